/**
 * CI strategy: the stack has no migrate gate; the documented CI command migrates from the image
 * against the database, and `docker compose run --rm migrate` works locally.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { appliedMigrations, httpGet, timeline } from '../../src/verify/measure.js';
import { tableExists } from '../support/database.js';
import { runCommand } from '../../src/verify/compose.js';
import { removeScratchCopies } from '../support/fixtures.js';
import { engine, TestStack } from './support/stack.js';

describe.skipIf(!inject('dockerLab'))('ci strategy', () => {
  let stack: TestStack;
  let image: string;

  beforeAll(async () => {
    stack = await TestStack.generate('express-knex-postgres', ['--strategy', 'ci']);
    image = `${stack.compose.name}-ci-migrate`;
  });
  afterAll(async () => {
    await runCommand('docker', ['image', 'rm', '--force', image]);
    await stack?.destroy();
    removeScratchCopies();
  });

  it('`up --wait` starts db and app without running migrate', async () => {
    expect((await stack.compose.up()).code).toBe(0);
    const { migrate, app } = await timeline(engine, stack.compose);
    expect(migrate).toEqual([]);
    expect(app[0]!.health).toBe('healthy');
    expect(await tableExists(stack.compose, stack.plan, 'customers')).toBe(false);
  });

  it('the documented CI command migrates from the image against the database', async () => {
    // compose.yaml's header: docker build --target migrate -t <image>-migrate . && docker run --rm -e DATABASE_URL <image>-migrate
    const header = readFileSync(`${stack.dir}/compose.yaml`, 'utf8');
    expect(header).toContain('docker build --target migrate -t <image>-migrate . && docker run --rm -e DATABASE_URL <image>-migrate');
    const build = await runCommand('docker', ['build', '--quiet', '--target', 'migrate', '-t', image, '.'], { cwd: stack.dir });
    expect(build.stderr).toBe('');
    expect(build.code).toBe(0);
    const run = await runCommand('docker', ['run', '--rm', '--network', `${stack.compose.name}_backend`, '-e', 'DATABASE_URL', image], {
      env: { DATABASE_URL: 'postgres://app:change-me@db:5432/app' },
      timeoutMs: 120_000,
    });
    expect(run.code).toBe(0);
    expect(run.stdout + run.stderr).toMatch(/Batch 1 run: 2 migrations/);
    expect(await appliedMigrations(stack.compose, stack.plan)).toEqual(['20240105090000_create_customers.js', '20240212143000_create_orders.js']);
    expect((await httpGet(stack.url('/health'))).status).toBe(200);
  });

  it('`docker compose run --rm migrate` works locally and applies nothing new', async () => {
    const run = await stack.compose.run(['run', '--rm', 'migrate'], { timeoutMs: 300_000 });
    expect(run.code).toBe(0);
    expect(run.stdout + run.stderr).toMatch(/Already up to date/);
    expect(await appliedMigrations(stack.compose, stack.plan)).toHaveLength(2);
  });
});
