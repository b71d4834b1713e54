/**
 * React Router 7 (framework mode) + Knex + PostgreSQL on the engine: react-router-serve from
 * node_modules/.bin serving build/server/index.js.
 */
import { expect, it } from 'vitest';
import { httpGet, measureStop } from '../../src/verify/measure.js';
import { engine } from './support/stack.js';
import { standardStackSuite } from './support/standard-suite.js';

standardStackSuite({
  fixture: 'react-router-knex-postgres',
  tables: ['recipes', 'ingredients'],
  migrations: 2,
  extra: (stack) => {
    it('server-renders the page whose loader queries the database, and serves public/', async () => {
      const page = await httpGet(stack().url('/'));
      expect(page.status).toBe(200);
      expect(page.body).toContain('<h1>Recipes</h1>');
      expect((await httpGet(stack().url('/robots.txt'))).status).toBe(200);
    });

    it('`docker compose stop app` is prompt: SIGTERM reaches node running react-router-serve, which exits', async () => {
      const stop = await measureStop(engine, stack().compose, 'app');
      expect(stop.durationMs).toBeLessThan(5000); // the grace period is 10 s
      expect([0, 143]).toContain(stop.exitCode); // its own handler, or the signal; never SIGKILL (137)
    });
  },
});
