/**
 * node-pg-migrate (Koa, plain JavaScript ES modules, no build step): the migrate target runs
 * `node-pg-migrate up` with the script's own `-m db/migrations`.
 */
import { expect, it } from 'vitest';
import { appliedMigrations } from '../../src/verify/measure.js';
import { standardStackSuite } from './support/standard-suite.js';

standardStackSuite({
  fixture: 'koa-node-pg-migrate-postgres',
  tables: ['venues', 'events'],
  migrations: 2,
  extra: (stack) => {
    it('ran the migrations of db/migrations, recorded in pgmigrations', async () => {
      expect(await appliedMigrations(stack().compose, stack().plan)).toEqual(['1714382400000_create-venues', '1715678400000_create-events']);
      expect((await stack().compose.logs('migrate')).stdout).toMatch(/No migrations to run!|Migrations complete!/);
    });
  },
});
