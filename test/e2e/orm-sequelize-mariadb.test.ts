/**
 * Sequelize (sequelize-cli, .sequelizerc, db/config.js with use_env_variable) on MariaDB through
 * the `mariadb` driver: the stack hands it a mariadb:// URL, since Sequelize takes its dialect
 * from the scheme.
 */
import { expect, it } from 'vitest';
import { appliedMigrations } from '../../src/verify/measure.js';
import { standardStackSuite } from './support/standard-suite.js';

standardStackSuite({
  fixture: 'express-sequelize-mariadb',
  tables: ['authors', 'books'],
  migrations: 2,
  extra: (stack) => {
    it('sequelize-cli ran the production section of db/config.js and recorded both files in SequelizeMeta', async () => {
      const logs = (await stack().compose.logs('migrate')).stdout;
      expect(logs).toMatch(/Loaded configuration file "db[/\\]config\.js"/);
      expect(logs).toMatch(/Using environment "production"/);
      expect(await appliedMigrations(stack().compose, stack().plan)).toEqual(['20240301100000-create-authors.js', '20240315120000-create-books.js']);
    });

    it('the app and the migration tool get a mariadb:// URL', () => {
      expect(stack().plan.database.connectionUrl).toMatch(/^mariadb:\/\//);
    });
  },
});
