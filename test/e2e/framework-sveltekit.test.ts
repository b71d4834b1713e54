/**
 * SvelteKit (adapter-node) + Knex + PostgreSQL on the engine: `node build` with production
 * dependencies (knex, pg) installed; devDependencies were bundled by the build.
 */
import { expect, it } from 'vitest';
import { httpGet, measureStop } from '../../src/verify/measure.js';
import { engine } from './support/stack.js';
import { standardStackSuite } from './support/standard-suite.js';

standardStackSuite({
  fixture: 'sveltekit-knex-postgres',
  tables: ['guests', 'entries'],
  migrations: 2,
  extra: (stack) => {
    it('renders the page (a server load that queries the database) and serves static/', async () => {
      const page = await httpGet(stack().url('/'));
      expect(page.status).toBe(200);
      expect(page.body).toContain('<h1>Guestbook</h1>');
      expect((await httpGet(stack().url('/robots.txt'))).status).toBe(200);
    });

    it('the runtime image has no devDependencies (SvelteKit, Vite)', async () => {
      const app = await stack().compose.exec('app', [
        'sh',
        '-c',
        'test -d node_modules/knex && echo knex; test -e node_modules/@sveltejs/kit || echo "no kit"; test -e node_modules/vite || echo "no vite"',
      ]);
      expect(app.stdout.trim().split('\n')).toEqual(['knex', 'no kit', 'no vite']);
    });

    it('`docker compose stop app` is prompt: SIGTERM reaches node, which exits', async () => {
      const stop = await measureStop(engine, stack().compose, 'app');
      expect(stop.durationMs).toBeLessThan(5000); // the grace period is 10 s
      expect([0, 143]).toContain(stop.exitCode); // its own handler, or the signal; never SIGKILL (137)
    });
  },
});
