/**
 * pnpm (pinned by package.json#packageManager) + Knex with the mysql2 driver on MariaDB: the
 * image installs pnpm itself, and this is the MariaDB end-to-end coverage.
 */
import { expect, it } from 'vitest';
import { read } from '../support/fixtures.js';
import { flagsFor } from '../support/golden-flags.js';
import { standardStackSuite } from './support/standard-suite.js';

const fixture = 'pnpm-express-knex-mariadb';

standardStackSuite({
  fixture,
  flags: flagsFor(fixture),
  tables: ['products', 'stock_movements'],
  migrations: 2,
  extra: (stack) => {
    it('the pinned pnpm installed the dependencies, and the runtime image does not carry it', async () => {
      expect(read(stack().dir, 'Dockerfile')).toMatch(/^FROM base AS package-manager\nRUN .*\n {4}npm install --global pnpm@10\.34\.9$/m);
      const app = await stack().compose.exec('app', ['sh', '-c', 'command -v pnpm || echo "no pnpm"; test -d node_modules/.pnpm && echo "pnpm layout"']);
      expect(app.stdout.trim().split('\n')).toEqual(['no pnpm', 'pnpm layout']);
    });

    it('the database is MariaDB, and the app writes to it through mysql2', async () => {
      const version = await stack().compose.exec('db', ['sh', '-c', 'mariadb -u"$MARIADB_USER" -p"$MARIADB_PASSWORD" -N -B -e "SELECT VERSION()"']);
      expect(version.stdout).toMatch(/MariaDB/);
      const created = await fetch(stack().url('/products'), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ sku: 'SKU-1', name: 'Widget', quantity: 3 }),
      });
      expect(created.status).toBe(201);
      expect(await created.json()).toMatchObject({ sku: 'SKU-1', quantity: 3 });
    });
  },
});
