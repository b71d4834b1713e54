/**
 * A config that builds its connection from parts (host, port, user, password, database) instead
 * of one URL: the stack passes DATABASE_URL, and the entrypoint sets the parts from it.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { appliedMigrations, httpGet, timeline } from '../../src/verify/measure.js';
import { runCommand, type CommandResult } from '../../src/verify/compose.js';
import { removeScratchCopies } from '../support/fixtures.js';
import { engine, TestStack } from './support/stack.js';

const PARTS = `connection: {
    host: process.env.DB_HOST,
    port: Number(process.env.DB_PORT),
    user: process.env.DB_USER,
    password: process.env.DB_PASSWORD,
    database: process.env.DB_NAME,
  },`;

describe.skipIf(!inject('dockerLab'))('a knexfile that reads DB_HOST, DB_PORT, DB_USER, DB_PASSWORD, DB_NAME', () => {
  let stack: TestStack;
  let up: CommandResult;

  beforeAll(async () => {
    stack = await TestStack.generate('express-knex-postgres', [], ['compose.yaml'], (dir) => {
      const knexfile = path.join(dir, 'knexfile.js');
      writeFileSync(knexfile, readFileSync(knexfile, 'utf8').replace('connection: process.env.DATABASE_URL,', PARTS));
      writeFileSync(path.join(dir, '.env.example'), 'PORT=3000\n');
    });
    up = await stack.compose.up();
  });
  afterAll(async () => {
    await stack?.destroy();
    removeScratchCopies();
  });

  it('passes DATABASE_URL and sets the parts from it in the entrypoint', () => {
    expect(stack.plan.database.urlVariable).toBe('DATABASE_URL');
    expect(stack.plan.database.connectionParts).toEqual([
      { part: 'host', variable: 'DB_HOST' },
      { part: 'database', variable: 'DB_NAME' },
      { part: 'password', variable: 'DB_PASSWORD' },
      { part: 'port', variable: 'DB_PORT' },
      { part: 'user', variable: 'DB_USER' },
    ]);
    expect(readFileSync(path.join(stack.dir, 'docker-entrypoint.sh'), 'utf8')).toContain('export DB_HOST DB_NAME DB_PASSWORD DB_PORT DB_USER');
  });

  it('the entrypoint passes shellcheck', async () => {
    const result = await runCommand('shellcheck', ['--shell=sh', '--severity=style', path.join(stack.dir, 'docker-entrypoint.sh')]);
    expect(result.stdout).toBe('');
    expect(result.code).toBe(0);
  });

  it('migrates and serves', async () => {
    expect(up.code).toBe(0);
    const { migrate, app } = await timeline(engine, stack.compose);
    expect(migrate[0]!.exitCode).toBe(0);
    expect(app[0]!.health).toBe('healthy');
    expect(await appliedMigrations(stack.compose, stack.plan)).toHaveLength(2);
    expect((await httpGet(stack.url('/health'))).status).toBe(200);
  });

  it('the app sees each part', async () => {
    const env = await stack.compose.exec('app', ['docker-entrypoint.sh', 'sh', '-c', 'echo "$DB_HOST $DB_PORT $DB_USER $DB_NAME"']);
    expect(env.stdout.trim()).toBe('db 5432 app app');
  });
});
