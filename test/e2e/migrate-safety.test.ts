/**
 * The migrate runner under stress: a database that never answers, SIGTERM in the middle of a
 * slow migration.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { appliedMigrations, queryDatabase, timeline } from '../../src/verify/measure.js';
import { removeScratchCopies } from '../support/fixtures.js';
import { engine, TestStack } from './support/stack.js';

describe.skipIf(!inject('dockerLab'))('the migrate runner', () => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await TestStack.generate('express-knex-postgres');
    // A deliberately slow third migration (10 s), to interrupt.
    writeFileSync(
      path.join(stack.dir, 'migrations/20240301000000_slow_backfill.js'),
      "exports.up = (knex) => knex.raw('SELECT pg_sleep(10)');\nexports.down = () => {};\n",
    );
    expect((await stack.compose.up(['db'])).code).toBe(0);
    expect((await stack.compose.run(['build', 'migrate'])).code).toBe(0);
  });
  afterAll(async () => {
    await stack?.destroy();
    removeScratchCopies();
  });

  it('gives up on an unreachable database after the timeout, names host and port, and the app never starts', async () => {
    const unreachable = stack.withOverride('compose.unreachable.yaml', {
      services: { migrate: { environment: { DATABASE_URL: 'postgres://app:change-me@db-is-not-here:5432/app', WAIT_FOR_DB_TIMEOUT: '4' } } },
    });
    const up = await unreachable.up([], { timeoutMs: 120_000 });
    expect(up.code).not.toBe(0);
    expect(up.stderr).toMatch(/service "migrate" didn't complete successfully: exit 69/);
    const { migrate, app } = await timeline(engine, unreachable);
    expect(migrate[0]!.exitCode).toBe(69);
    const waited = migrate[0]!.finishedAt!.getTime() - migrate[0]!.startedAt!.getTime();
    expect(waited).toBeGreaterThanOrEqual(3_500);
    expect(waited).toBeLessThan(20_000);
    expect((await unreachable.logs('migrate')).stdout).toMatch(/gave up waiting for the database at db-is-not-here:5432 after 4s \(WAIT_FOR_DB_TIMEOUT\)/);
    expect(app[0]!.status).toBe('created');
    expect(app[0]!.startedAt).toBeUndefined();
    await unreachable.run(['rm', '--force', '--stop', 'migrate', 'app']);
  });

  it('stops promptly on SIGTERM in the middle of a slow migration and releases the lock', async () => {
    expect((await stack.compose.run(['up', '--detach', '--no-deps', 'migrate'])).code).toBe(0);
    // Wait until the slow migration is running in the database.
    const sleeping = "SELECT COUNT(*) FROM pg_stat_activity WHERE query LIKE '%pg_sleep(10)%' AND pid <> pg_backend_pid()";
    for (let tries = 0; Number((await queryDatabase(stack.compose, stack.plan, sleeping))[0]![0]) === 0; tries++) {
      expect(tries).toBeLessThan(120);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    const advisory = "SELECT COUNT(*) FROM pg_locks WHERE locktype = 'advisory'";
    expect((await queryDatabase(stack.compose, stack.plan, advisory))[0]![0]).toBe('1');

    const stop = await stack.compose.stop('migrate', { timeoutMs: 30_000 });
    expect(stop.code).toBe(0);
    expect(stop.durationMs).toBeLessThan(5_000); // the grace period is 10 s
    const { migrate } = await timeline(engine, stack.compose);
    expect(migrate[0]!.exitCode).toBe(143); // the tool ended by SIGTERM, passed through

    expect((await queryDatabase(stack.compose, stack.plan, advisory))[0]![0]).toBe('0');
    expect((await queryDatabase(stack.compose, stack.plan, 'SELECT is_locked FROM knex_migrations_lock'))[0]![0]).toBe('0');
    expect(await appliedMigrations(stack.compose, stack.plan)).not.toContain('20240301000000_slow_backfill.js');
  });

  it('the next run completes', async () => {
    const up = await stack.compose.up([], { timeoutMs: 120_000 });
    expect(up.code).toBe(0);
    expect(await appliedMigrations(stack.compose, stack.plan)).toEqual([
      '20240105090000_create_customers.js',
      '20240212143000_create_orders.js',
      '20240301000000_slow_backfill.js',
    ]);
  });
});
