/**
 * Astro (@astrojs/node standalone) + Knex + PostgreSQL on the engine: `node dist/server/entry.mjs`
 * on port 4321, bound to every interface through HOST.
 */
import { expect, it } from 'vitest';
import { httpGet, measureStop } from '../../src/verify/measure.js';
import { engine } from './support/stack.js';
import { standardStackSuite } from './support/standard-suite.js';

standardStackSuite({
  fixture: 'astro-knex-postgres',
  tables: ['releases', 'changes'],
  migrations: 2,
  extra: (stack) => {
    it('listens on 4321 on every interface: the published port answers', async () => {
      expect(stack().plan.app.port).toBe(4321);
      const page = await httpGet(stack().url('/'));
      expect(page.status).toBe(200);
      expect(page.body).toContain('<h1>Changelog</h1>');
      expect((await httpGet(stack().url('/robots.txt'))).status).toBe(200);
    });

    it('`docker compose stop app` is prompt: SIGTERM reaches node, which exits', async () => {
      const stop = await measureStop(engine, stack().compose, 'app');
      expect(stop.durationMs).toBeLessThan(5000); // the grace period is 10 s
      expect([0, 143]).toContain(stop.exitCode); // its own handler, or the signal; never SIGKILL (137)
    });
  },
});
