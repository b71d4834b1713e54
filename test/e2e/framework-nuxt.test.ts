/**
 * Nuxt + Knex + PostgreSQL on the engine: the runtime image is Nitro's .output alone (its own
 * traced node_modules), started as `node .output/server/index.mjs`.
 */
import { expect, it } from 'vitest';
import { httpGet, measureStop } from '../../src/verify/measure.js';
import { engine } from './support/stack.js';
import { standardStackSuite } from './support/standard-suite.js';

standardStackSuite({
  fixture: 'nuxt-knex-postgres',
  tables: ['rooms', 'bookings'],
  migrations: 2,
  extra: (stack) => {
    it('renders the page, whose data comes from an API route that queries the database', async () => {
      const page = await httpGet(stack().url('/'));
      expect(page.status).toBe(200);
      expect(page.body).toContain('<h1>Rooms</h1>');
      expect(await httpGet(stack().url('/api/rooms'))).toEqual({ status: 200, body: '[]' });
    });

    it('the runtime image holds .output only: no project node_modules, no sources', async () => {
      const app = await stack().compose.exec('app', ['sh', '-c', 'ls -A /app']);
      expect(app.stdout.trim().split('\n')).toEqual(['.output']);
    });

    it('`docker compose stop app` is prompt: SIGTERM reaches node, which exits', async () => {
      const stop = await measureStop(engine, stack().compose, 'app');
      expect(stop.durationMs).toBeLessThan(5000); // the grace period is 10 s
      expect([0, 143]).toContain(stop.exitCode); // its own handler, or the signal; never SIGKILL (137)
    });
  },
});
