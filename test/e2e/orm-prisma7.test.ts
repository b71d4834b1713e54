/**
 * Express + Prisma 7 + PostgreSQL on the engine: prisma.config.ts (schema, migrations and the
 * datasource URL through env()), the `prisma-client` generator writing TypeScript into
 * src/generated (compiled with the app), and @prisma/adapter-pg, so the app needs no query
 * engine at all.
 *
 * As in orm-prisma.test.ts, the lab has only placeholder Prisma engines (served at
 * PRISMA_ENGINES_MIRROR), and `prisma migrate deploy` always runs the Rust schema engine: what
 * this test proves is that both images build offline, that the migrate image runs the project's
 * own Prisma 7 CLI, which loads prisma.config.ts and connects with the URL compose gives it, up to
 * the engine, whose failure keeps the app from starting. Then it applies the migrations' SQL
 * itself with psql, as `migrate deploy` would, and starts the app alone: the Prisma 7 client
 * reads and writes through the pg driver with no engine binary in the image.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { httpGet, timeline } from '../../src/verify/measure.js';
import { runCommand, type CommandResult, type ComposeProject } from '../../src/verify/compose.js';
import { removeScratchCopies } from '../support/fixtures.js';
import { applyMigrationsWithPsql, withPrismaMirror } from './support/prisma.js';
import { engine, TestStack } from './support/stack.js';

const SCHEMA_ENGINE = '/app/node_modules/@prisma/engines/schema-engine-debian-openssl-3.0.x';

describe.skipIf(!inject('dockerLab'))('express-prisma7-postgres on the engine (placeholder Prisma engines)', () => {
  let stack: TestStack;
  let lab: ComposeProject;
  let up: CommandResult;

  beforeAll(async () => {
    stack = await TestStack.generate('express-prisma7-postgres');
    lab = withPrismaMirror(stack, { PRISMA_SCHEMA_ENGINE_BINARY: SCHEMA_ENGINE });
    up = await lab.up();
  });
  afterAll(async () => {
    await lab?.down();
    removeScratchCopies();
  });

  it('the plan: prisma migrate deploy (the project script), the config read for the URL variable, tsconfig.json copied for generate', () => {
    expect(stack.plan.migration.configFile).toBe('prisma.config.ts');
    expect(stack.plan.migration.migrationsDir).toBe('prisma/migrations');
    expect(stack.plan.migration.command).toEqual(['node_modules/.bin/prisma', 'migrate', 'deploy']);
    expect(stack.plan.database.urlVariable).toBe('DATABASE_URL');
    const dockerfile = readFileSync(path.join(stack.dir, 'Dockerfile'), 'utf8');
    expect(dockerfile).toContain('COPY package.json package-lock.json prisma.config.ts tsconfig.json ./');
    expect(dockerfile).not.toMatch(/\.prisma\/client/);
  });

  it('both images build offline through the PRISMA_ENGINES_MIRROR build argument', async () => {
    expect(up.stderr).not.toMatch(/failed to solve|failed to build/i);
    const { migrate, app } = await timeline(engine, lab);
    expect(migrate).toHaveLength(1);
    expect(app).toHaveLength(1);
  });

  it("migrate runs the project's Prisma 7 CLI with prisma.config.ts against the db service and stops at the engine: the app never starts", async () => {
    expect(up.code).not.toBe(0);
    expect(up.stderr).toMatch(/service "migrate" didn't complete successfully: exit 1/);
    const logs = (await lab.logs('migrate')).stdout;
    expect(logs).toMatch(/Loaded Prisma config from prisma\.config\.ts/);
    expect(logs).toMatch(/Prisma schema loaded from prisma\/schema\.prisma/);
    expect(logs).toMatch(/Datasource "db": PostgreSQL database "app", schema "public" at "db:5432"/);
    const { migrate, app, database } = await timeline(engine, lab);
    expect(database[0]!.health).toBe('healthy');
    expect(migrate[0]!.exitCode).toBe(1);
    expect(app[0]!.startedAt).toBeUndefined();
  });

  it('the runtime image has the client generated for compiled imports (./internal/class.js) and the node user', async () => {
    // The CLI and its (placeholder) engines are there too: @prisma/client's peer dependency keeps
    // prisma in a production install. The app never runs them (below).
    const { app } = await timeline(engine, lab);
    const inside = await runCommand(
      'docker',
      ['run', '--rm', '--entrypoint', 'sh', app[0]!.image, '-c', 'grep -c "internal/class.js" dist/generated/prisma/client.js; id -un'],
      { timeoutMs: 60_000 },
    );
    expect(inside.code).toBe(0);
    expect(inside.stdout.trim().split('\n')).toEqual(['1', 'node']);
  });

  it('once the schema exists (the migrations applied with psql), the app serves through @prisma/adapter-pg', async () => {
    await applyMigrationsWithPsql(lab, stack.plan, path.join(stack.dir, 'prisma/migrations'));
    const started = await lab.run(['up', '--detach', '--wait', '--no-deps', 'app'], { timeoutMs: 180_000 });
    expect(started.stderr).not.toMatch(/error/i);
    expect(started.code).toBe(0);
    expect((await httpGet(stack.url('/health'))).status).toBe(200);

    const created = await fetch(stack.url('/notes'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ title: 'First', tags: ['a', 'b'] }),
    });
    expect(created.status).toBe(201);
    const notes = (await (await fetch(stack.url('/notes'))).json()) as { title: string; tags: { name: string }[] }[];
    expect(notes.map((note) => [note.title, note.tags.map((tag) => tag.name).sort()])).toEqual([['First', ['a', 'b']]]);
  });
});
