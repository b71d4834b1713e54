/**
 * The spine on the real engine: npm + Express + Knex + PostgreSQL, generated with --yes and
 * run with `docker compose up --wait`.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { appliedMigrations, httpGet, measureStop, timeline } from '../../src/verify/measure.js';
import { runCommand } from '../../src/verify/compose.js';
import { tableExists } from '../support/database.js';
import { removeScratchCopies } from '../support/fixtures.js';
import { engine, TestStack } from './support/stack.js';

describe.skipIf(!inject('dockerLab'))('express-knex-postgres on the engine', () => {
  let stack: TestStack;
  let firstUp: Awaited<ReturnType<TestStack['compose']['up']>>;

  beforeAll(async () => {
    stack = await TestStack.generate('express-knex-postgres');
    firstUp = await stack.compose.up();
  });
  afterAll(async () => {
    await stack?.destroy();
    removeScratchCopies();
  });

  it('`docker compose up --wait` succeeds', () => {
    expect(firstUp.stderr).not.toMatch(/didn't complete successfully/);
    expect(firstUp.code).toBe(0);
  });

  it('migrate exited 0 and finished before app started', async () => {
    const { migrate, app, database } = await timeline(engine, stack.compose);
    expect(migrate).toHaveLength(1);
    expect(migrate[0]!.status).toBe('exited');
    expect(migrate[0]!.exitCode).toBe(0);
    expect(app[0]!.status).toBe('running');
    expect(app[0]!.health).toBe('healthy');
    expect(database[0]!.health).toBe('healthy');
    expect(migrate[0]!.startedAt!.getTime()).toBeGreaterThanOrEqual(database[0]!.startedAt!.getTime());
    expect(migrate[0]!.finishedAt!.getTime()).toBeLessThanOrEqual(app[0]!.startedAt!.getTime());
    // The image brings its own init (tini in its ENTRYPOINT): compose adds none.
    expect(app[0]!.init).toBe(false);
    const entrypoint = await runCommand('docker', ['image', 'inspect', '--format', '{{json .Config.Entrypoint}}', app[0]!.image]);
    expect(JSON.parse(entrypoint.stdout)).toEqual(['tini', '-s', '--', 'docker-entrypoint.sh']);
  });

  it('both migrations are applied: their tables exist', async () => {
    expect(await tableExists(stack.compose, stack.plan, 'customers')).toBe(true);
    expect(await tableExists(stack.compose, stack.plan, 'orders')).toBe(true);
    const applied = await appliedMigrations(stack.compose, stack.plan);
    expect(applied).toEqual(['20240105090000_create_customers.js', '20240212143000_create_orders.js']);
  });

  it('/health answers 200 on the published port', async () => {
    const health = await httpGet(stack.url('/health'));
    expect(health).toEqual({ status: 200, body: '{"status":"ok"}' });
  });

  it('runs as the non-root node user, with no secret in the image', async () => {
    const { app } = await timeline(engine, stack.compose);
    const image = await engine.imageInfo(app[0]!.image);
    expect(image.user).toBe('node');
    expect(image.env.join('\n')).not.toMatch(/PASSWORD|DATABASE_URL/);
    expect(image.layers.join('\n')).not.toMatch(/change-me|POSTGRES_PASSWORD/);
  });

  it('a second `up` re-runs migrate without applying anything again', async () => {
    const before = await appliedMigrations(stack.compose, stack.plan);
    const again = await stack.compose.up();
    expect(again.code).toBe(0);
    const { migrate } = await timeline(engine, stack.compose);
    expect(migrate[0]!.exitCode).toBe(0);
    expect(await appliedMigrations(stack.compose, stack.plan)).toEqual(before);
    expect((await httpGet(stack.url('/health'))).status).toBe(200);
  });

  it('`docker compose stop app` is prompt and the app receives SIGTERM', async () => {
    const stop = await measureStop(engine, stack.compose, 'app');
    expect(stop.durationMs).toBeLessThan(5000); // the grace period is 10 s
    expect(stop.exitCode).toBe(0); // the app's own SIGTERM handler closed it
    expect((await stack.compose.logs('app')).stdout).toMatch(/received SIGTERM, shutting down/);
  });

  it("stop is prompt for an app without a SIGTERM handler too (the image's tini as PID 1)", async () => {
    // The same image and entrypoint, running a server that ignores signals if node is PID 1.
    const bare = stack.withOverride('compose.no-handler.yaml', {
      services: { app: { command: ['node', '-e', "require('http').createServer((q, s) => s.end('ok')).listen(process.env.PORT)"] } },
    });
    expect((await bare.up(['app'])).code).toBe(0);
    const stop = await measureStop(engine, bare, 'app');
    expect(stop.durationMs).toBeLessThan(5000);
    expect(stop.exitCode).toBe(143); // 128 + SIGTERM: terminated by the signal, not SIGKILLed (137)
  });
});
