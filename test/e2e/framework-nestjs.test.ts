/**
 * NestJS + Knex + PostgreSQL on the engine: compiled by `nest build`, run as `node dist/main`
 * (start:prod) with production dependencies only.
 */
import { expect, it } from 'vitest';
import { measureStop } from '../../src/verify/measure.js';
import { engine } from './support/stack.js';
import { standardStackSuite } from './support/standard-suite.js';

standardStackSuite({
  fixture: 'nestjs-knex-postgres',
  tables: ['products', 'stock_levels'],
  migrations: 2,
  extra: (stack) => {
    it('the app writes to and reads from the migrated schema', async () => {
      const created = await fetch(stack().url('/products'), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ sku: 'SKU-1', name: 'Widget' }),
      });
      expect(created.status).toBe(201);
      const listed = (await (await fetch(stack().url('/products'))).json()) as { sku: string }[];
      expect(listed.map((product) => product.sku)).toEqual(['SKU-1']);
    });

    it('runs the compiled output without the Nest CLI or TypeScript', async () => {
      const app = await stack().compose.exec('app', [
        'sh',
        '-c',
        'test -f dist/main.js && echo built; test -e node_modules/@nestjs/cli || echo "no cli"; test -e node_modules/typescript || echo "no typescript"',
      ]);
      expect(app.stdout.trim().split('\n')).toEqual(['built', 'no cli', 'no typescript']);
    });

    it('`docker compose stop app` is prompt: SIGTERM reaches node', async () => {
      const stop = await measureStop(engine, stack().compose, 'app');
      expect(stop.durationMs).toBeLessThan(5000); // the grace period is 10 s
      // Nest runs its shutdown hooks, then re-raises the signal: 143, never SIGKILL's 137.
      expect(stop.exitCode).toBe(143);
    });
  },
});
