/**
 * Express + TypeORM + PostgreSQL on the engine: the migrate image runs the project's own
 * typeorm CLI on the compiled data source (dist/data-source.js, never ts-node), which records
 * migrations in the table the DataSource names (migrationsTableName).
 */
import { expect, it } from 'vitest';
import { appliedMigrations } from '../../src/verify/measure.js';
import { tableExists } from '../support/database.js';
import { standardStackSuite } from './support/standard-suite.js';

standardStackSuite({
  fixture: 'express-typeorm-postgres',
  tables: ['customers', 'orders'],
  migrations: 2,
  extra: (stack) => {
    it('records the migration classes in the configured typeorm_migrations table, not the default one', async () => {
      expect(stack().plan.migration.migrationTable).toBe('typeorm_migrations');
      expect(await appliedMigrations(stack().compose, stack().plan)).toEqual(['CreateCustomers1704445200000', 'CreateOrders1707748200000']);
      expect(await tableExists(stack().compose, stack().plan, 'migrations')).toBe(false);
    });
  },
});
