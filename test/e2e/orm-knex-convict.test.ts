/**
 * Express + Knex + PostgreSQL configured with convict, like many real projects: the knexfile is
 * config/knexfile.js and exports the convict config's db section, whose connection is built from
 * parts (DB_HOST, DB_PORT, DB_NAME, DB_USER, DB_PASSWORD) with localhost defaults. The stack
 * passes one DATABASE_URL and the entrypoint sets each part from it, for the knex CLI (which
 * changes into config/ and resolves the migrations from there) and the app alike.
 */
import { expect, it } from 'vitest';
import { httpGet } from '../../src/verify/measure.js';
import { standardStackSuite } from './support/standard-suite.js';

standardStackSuite({
  fixture: 'express-knex-convict-postgres',
  tables: ['users', 'articles'],
  migrations: 2,
  extra: (stack) => {
    it("migrate runs the project's own script on config/knexfile.js, and the connection comes in parts", () => {
      const { plan } = stack();
      expect(plan.migration.command).toEqual(['node_modules/.bin/knex', '--knexfile', 'config/knexfile.js', 'migrate:latest']);
      expect(plan.database.urlVariable).toBe('DATABASE_URL');
      expect((plan.database.connectionParts ?? []).map(({ part, variable }) => `${part}=${variable}`).sort()).toEqual([
        'database=DB_NAME',
        'host=DB_HOST',
        'password=DB_PASSWORD',
        'port=DB_PORT',
        'user=DB_USER',
      ]);
    });

    it('the app reads each part from the URL, not the localhost defaults of its convict schema or .env.example', async () => {
      const env = await stack().compose.exec('app', ['docker-entrypoint.sh', 'sh', '-c', 'echo "$DB_HOST $DB_PORT"']);
      expect(env.stdout.trim()).toBe('db 5432');
      const articles = await httpGet(stack().url('/api/articles'));
      expect(articles.status).toBe(200);
      expect(JSON.parse(articles.body)).toEqual({ articles: [] });
    });
  },
});
