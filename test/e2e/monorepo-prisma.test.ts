/**
 * pnpm workspaces with Prisma 7 in packages/db, generated at the root: the app (apps/api) is picked
 * by itself, and `prisma generate` runs in packages/db during the install, reading prisma.config.ts
 * through a tsconfig that extends the shared packages/tsconfig (copied into the install stage for
 * it). As in orm-prisma7.test.ts, the lab's Prisma engines are placeholders: migrate runs the
 * package's own Prisma CLI up to the schema engine, then the test applies the migrations' SQL with
 * psql and starts the app alone, which serves through @prisma/adapter-pg.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { httpGet, timeline } from '../../src/verify/measure.js';
import type { CommandResult, ComposeProject } from '../../src/verify/compose.js';
import { removeScratchCopies } from '../support/fixtures.js';
import { applyMigrationsWithPsql, withPrismaMirror } from './support/prisma.js';
import { engine, TestStack } from './support/stack.js';

const SCHEMA_ENGINE = '/app/node_modules/.pnpm/node_modules/@prisma/engines/schema-engine-debian-openssl-3.0.x';

describe.skipIf(!inject('dockerLab'))('pnpm-workspace-prisma7 on the engine (placeholder Prisma engines)', () => {
  let stack: TestStack;
  let lab: ComposeProject;
  let up: CommandResult;

  beforeAll(async () => {
    stack = await TestStack.generate('pnpm-workspace-prisma7');
    lab = withPrismaMirror(stack, { PRISMA_SCHEMA_ENGINE_BINARY: SCHEMA_ENGINE });
    up = await lab.up();
  });
  afterAll(async () => {
    await lab?.down();
    removeScratchCopies();
  });

  it('the plan: apps/api, migrations in packages/db, the tsconfig chain copied for generate', () => {
    expect(stack.plan.workspace?.app).toBe('apps/api');
    expect(stack.plan.workspace?.migrations).toBe('packages/db');
    const dockerfile = readFileSync(path.join(stack.dir, 'Dockerfile'), 'utf8');
    expect(dockerfile).toMatch(/^COPY packages\/tsconfig\/package\.json packages\/tsconfig\/base\.json \.\/packages\/tsconfig\/$/m);
    expect(dockerfile).toMatch(/&& cd \/app\/packages\/db && PATH=\/app\/packages\/db\/node_modules\/\.bin:\$PATH (\S+=\S+ )*prisma generate && cd \/app$/m);
  });

  it('both images build offline, and migrate runs the package’s Prisma 7 CLI against the db service up to the engine: the app never starts', async () => {
    expect(up.stderr).not.toMatch(/failed to solve|failed to build/i);
    expect(up.stderr).toMatch(/service "migrate" didn't complete successfully: exit 1/);
    const logs = (await lab.logs('migrate')).stdout;
    expect(logs).toMatch(/Loaded Prisma config from prisma\.config\.ts/);
    expect(logs).toMatch(/Datasource "db": PostgreSQL database "app", schema "public" at "db:5432"/);
    const { migrate, app } = await timeline(engine, lab);
    expect(migrate[0]!.exitCode).toBe(1);
    expect(app[0]!.startedAt).toBeUndefined();
  });

  it('once the schema exists (the migrations applied with psql), the app serves through @prisma/adapter-pg', async () => {
    await applyMigrationsWithPsql(lab, stack.plan, path.join(stack.dir, 'packages/db/prisma/migrations'));
    const started = await lab.run(['up', '--detach', '--wait', '--no-deps', 'app'], { timeoutMs: 180_000 });
    expect(started.stderr).not.toMatch(/error/i);
    expect(started.code).toBe(0);
    expect((await httpGet(stack.url('/health'))).status).toBe(200);
    const created = await fetch(stack.url('/notes'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ title: 'First', tags: ['a'] }),
    });
    expect(created.status).toBe(201);
  });
});
