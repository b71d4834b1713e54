/**
 * A failed migration stops the rollout: `up` exits non-zero, app is never started, and what
 * the earlier migration applied is still there.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { appliedMigrations, timeline } from '../../src/verify/measure.js';
import { tableExists } from '../support/database.js';
import type { CommandResult } from '../../src/verify/compose.js';
import { removeScratchCopies } from '../support/fixtures.js';
import { engine, TestStack } from './support/stack.js';

describe.skipIf(!inject('dockerLab'))('express-knex-postgres-failing-migration on the engine', () => {
  let stack: TestStack;
  let up: CommandResult;

  beforeAll(async () => {
    stack = await TestStack.generate('express-knex-postgres-failing-migration');
    up = await stack.compose.up();
  });
  afterAll(async () => {
    await stack?.destroy();
    removeScratchCopies();
  });

  it('`docker compose up --wait` exits non-zero and names the migrate service', () => {
    expect(up.code).not.toBe(0);
    expect(up.stderr).toMatch(/service "migrate" didn't complete successfully: exit 1/);
  });

  it('migrate failed on the invalid SQL', async () => {
    const { migrate } = await timeline(engine, stack.compose);
    expect(migrate[0]!.exitCode).toBe(1);
    expect((await stack.compose.logs('migrate')).stdout).toMatch(/migration failed with error: CREATE INDEX CONCURENTLY .* syntax error/);
  });

  it('the app container was created but never started', async () => {
    const { app } = await timeline(engine, stack.compose);
    expect(app).toHaveLength(1);
    expect(app[0]!.status).toBe('created');
    expect(app[0]!.startedAt).toBeUndefined();
  });

  it('the first migration is applied and recorded; the failed one is not', async () => {
    expect(await tableExists(stack.compose, stack.plan, 'customers')).toBe(true);
    const applied = await appliedMigrations(stack.compose, stack.plan);
    expect(applied).toEqual(['20240105090000_create_customers.js']);
  });
});
