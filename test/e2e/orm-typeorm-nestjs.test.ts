/**
 * NestJS + TypeORM 0.3 + PostgreSQL, set up like many real Nest projects: the data source reads
 * `type: process.env.DATABASE_TYPE`, `nest build` compiles through tsconfig.build.json (which
 * leaves test/ out, so dist/ mirrors src/), and migrations run through the project's own
 * `migration:run` script, which loads the TypeScript data source with ts-node. The image never
 * runs ts-node: migrate runs that script's compiled equivalent on dist/database/data-source.js,
 * and the stack sets DATABASE_TYPE for migrate and app.
 */
import { expect, it } from 'vitest';
import { standardStackSuite } from './support/standard-suite.js';

standardStackSuite({
  fixture: 'nestjs-typeorm-postgres',
  tables: ['categories', 'products'],
  migrations: 2,
  extra: (stack) => {
    it("migrate runs the project's migration:run script, compiled: the typeorm CLI on dist/, no ts-node", async () => {
      const { plan } = stack();
      expect(plan.migration.command).toEqual(['node_modules/.bin/typeorm', '--dataSource=dist/database/data-source.js', 'migration:run']);
      expect(plan.database.typeVariable).toEqual({ name: 'DATABASE_TYPE', value: 'postgres' });
      const logs = (await stack().compose.logs('migrate')).stdout;
      expect(logs).toMatch(/Migration CreateCategories1730000000000 has been\s+executed successfully/);
      expect(logs).toMatch(/Migration CreateProducts1730000100000 has been\s+executed successfully/);
      expect(logs).not.toMatch(/ts-node|\.ts\b/);
    });

    it('the app writes to and reads from the migrated schema through its TypeORM repository', async () => {
      const created = await fetch(stack().url('/products'), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ sku: 'SKU-1', name: 'Widget' }),
      });
      expect(created.status).toBe(201);
      const listed = (await (await fetch(stack().url('/products'))).json()) as { sku: string }[];
      expect(listed.map((product) => product.sku)).toEqual(['SKU-1']);
    });

    it('runs the compiled output, dist/main.js (not dist/src/main.js), without the Nest CLI', async () => {
      // ts-node and typescript stay in the production install: npm keeps devDependencies that are
      // also optional peers of a production one (typeorm's ts-node), as in real Nest projects.
      const app = await stack().compose.exec('app', [
        'sh',
        '-c',
        'test -f dist/main.js && echo built; test -e dist/src || echo "no dist/src"; test -e node_modules/@nestjs/cli || echo "no nest cli"',
      ]);
      expect(app.stdout.trim().split('\n')).toEqual(['built', 'no dist/src', 'no nest cli']);
    });
  },
});
