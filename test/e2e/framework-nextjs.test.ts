/**
 * Next.js (app router, output: 'standalone') + Knex + PostgreSQL on the engine: the runtime image
 * holds the traced standalone server, its static assets and public/, and no installed node_modules.
 */
import { expect, it } from 'vitest';
import { httpGet, measureStop } from '../../src/verify/measure.js';
import { engine } from './support/stack.js';
import { standardStackSuite } from './support/standard-suite.js';

standardStackSuite({
  fixture: 'nextjs-knex-postgres',
  tables: ['notebooks', 'notes'],
  migrations: 2,
  extra: (stack) => {
    it('serves the server-rendered page (which queries the database) and public/', async () => {
      const page = await httpGet(stack().url('/'));
      expect(page.status).toBe(200);
      expect(page.body).toContain('<h1>Notebooks</h1>');
      expect(await httpGet(stack().url('/robots.txt'))).toEqual({ status: 200, body: 'User-agent: *\nDisallow:\n' });
    });

    it('serves the static assets copied from .next/static', async () => {
      const page = await httpGet(stack().url('/'));
      const asset = /\/_next\/static\/[^"']+\.js/.exec(page.body)?.[0];
      expect(asset).toBeDefined();
      expect((await httpGet(stack().url(asset!))).status).toBe(200);
    });

    it('the runtime image is the standalone output: server.js and only the traced packages', async () => {
      const app = await stack().compose.exec('app', [
        'sh',
        '-c',
        'test -f server.js && echo server; test -d node_modules/knex && echo knex; test -e node_modules/typescript || echo "no typescript"; test -e app || echo "no sources"',
      ]);
      expect(app.stdout.trim().split('\n')).toEqual(['server', 'knex', 'no typescript', 'no sources']);
    });

    it('the server can write its cache under .next, as the non-root user', async () => {
      const app = await stack().compose.exec('app', ['sh', '-c', 'id -un; mkdir -p .next/cache/probe && echo writable']);
      expect(app.stdout.trim().split('\n')).toEqual(['node', 'writable']);
    });

    it('`docker compose stop app` is prompt: SIGTERM reaches node, which exits', async () => {
      const stop = await measureStop(engine, stack().compose, 'app');
      expect(stop.durationMs).toBeLessThan(5000); // the grace period is 10 s
      expect([0, 143]).toContain(stop.exitCode); // its own handler, or the signal; never SIGKILL (137)
    });
  },
});
