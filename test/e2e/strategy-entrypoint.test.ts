/**
 * Entrypoint strategy: every app container migrates (under the runner's lock) before it starts.
 * Five replicas started together all become healthy and the migrations are applied once.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { appliedMigrations, measureStop, timeline } from '../../src/verify/measure.js';
import { tableExists } from '../support/database.js';
import type { ComposeProject } from '../../src/verify/compose.js';
import { removeScratchCopies } from '../support/fixtures.js';
import { engine, TestStack } from './support/stack.js';

const REPLICAS = 5;

describe.skipIf(!inject('dockerLab'))('entrypoint strategy, --scale app=5', () => {
  let stack: TestStack;
  let scaled: ComposeProject;
  let up: Awaited<ReturnType<ComposeProject['up']>>;

  beforeAll(async () => {
    stack = await TestStack.generate('express-knex-postgres', ['--strategy', 'entrypoint']);
    // Replicas can't share one published host port: drop it for this test.
    scaled = stack.withOverride('compose.scale.yaml', 'services:\n  app:\n    ports: !reset []\n');
    up = await scaled.run(['up', '--detach', '--wait', '--scale', `app=${REPLICAS}`], { timeoutMs: 10 * 60_000 });
  });
  afterAll(async () => {
    await stack?.destroy();
    removeScratchCopies();
  });

  it('generates no migrate gate: app depends on the database only', async () => {
    const config = JSON.parse((await stack.compose.run(['config', '--format', 'json'])).stdout);
    expect(Object.keys(config.services.app.depends_on)).toEqual(['db']);
    expect(config.services.migrate).toBeUndefined(); // only with --profile migrate
    const withProfile = JSON.parse((await stack.compose.run(['--profile', 'migrate', 'config', '--format', 'json'])).stdout);
    expect(withProfile.services.migrate.profiles).toEqual(['migrate']);
  });

  it(`all ${REPLICAS} replicas become healthy`, async () => {
    expect(up.stderr).not.toMatch(/error/i);
    expect(up.code).toBe(0);
    const { app, migrate } = await timeline(engine, scaled);
    expect(app).toHaveLength(REPLICAS);
    expect(app.map((c) => c.health)).toEqual(Array(REPLICAS).fill('healthy'));
    expect(migrate).toEqual([]); // no one-shot in this strategy
  });

  it('every replica migrated before starting, and the migrations were applied once', async () => {
    expect(await tableExists(scaled, stack.plan, 'orders')).toBe(true);
    expect(await appliedMigrations(scaled, stack.plan)).toEqual(['20240105090000_create_customers.js', '20240212143000_create_orders.js']);
    const logs = (await scaled.logs('app')).stdout;
    expect(logs.match(/applying pending migrations before the app starts/g)).toHaveLength(REPLICAS);
    expect(logs.match(/orders-api listening on 3000/g)).toHaveLength(REPLICAS);
    // Exactly one replica applied the batch; the others found nothing pending.
    expect(logs.match(/Batch 1 run: 2 migrations/g)).toHaveLength(1);
    expect(logs).not.toMatch(/MigrationLocked|already locked/);
  });

  it('a replica still stops promptly', async () => {
    const stop = await measureStop(engine, scaled, 'app');
    expect(stop.durationMs).toBeLessThan(8000);
    expect(stop.killed).toBe(false);
  });
});
