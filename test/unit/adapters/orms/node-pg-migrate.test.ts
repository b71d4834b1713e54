/**
 * node-pg-migrate: the options of the script that runs it, its config files, and a one-line error
 * naming the file for each malformed setup.
 */
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { nodePgMigrate } from '../../../../src/adapters/orms/node-pg-migrate.js';
import { detectProject } from '../../../../src/detect/index.js';
import { FIXTURES, removeScratchCopies } from '../../../support/fixtures.js';
import { detect, failure, project } from '../../../support/orms.js';

afterAll(removeScratchCopies);

describe('node-pg-migrate', () => {
  it('koa-node-pg-migrate-postgres: the migrate script’s -m db/migrations is passed on to `up`', () => {
    const facts = detectProject(path.join(FIXTURES, 'koa-node-pg-migrate-postgres'));
    expect(facts.orms).toEqual([
      {
        id: 'node-pg-migrate',
        detection: {
          configFile: 'package.json#scripts.migrate',
          migrationsDir: 'db/migrations',
          migrateCommand: ['node_modules/.bin/node-pg-migrate', 'up', '-m', 'db/migrations'],
          cliPackage: 'node-pg-migrate',
          database: { value: 'postgres', source: 'node-pg-migrate (PostgreSQL only)' },
          urlVariable: { value: 'DATABASE_URL', source: "node-pg-migrate's default" },
        },
      },
    ]);
  });

  const dependency = { dependencies: { 'node-pg-migrate': '^9.0.0', pg: '^8.13.0' } };

  it('is not detected without the dependency, nor for the dependency alone without migrations', () => {
    expect(detect(nodePgMigrate, project({}, { 'migrations/1_init.js': '' }))).toBeUndefined();
    expect(detect(nodePgMigrate, project(dependency))).toBeUndefined();
  });

  it('the defaults: migrations/, DATABASE_URL, pgmigrations', () => {
    const dir = project(dependency, { 'migrations/1_init.js': '' });
    expect(detect(nodePgMigrate, dir)).toEqual({
      configFile: 'package.json',
      migrationsDir: 'migrations',
      migrateCommand: ['node_modules/.bin/node-pg-migrate', 'up'],
      cliPackage: 'node-pg-migrate',
      database: { value: 'postgres', source: 'node-pg-migrate (PostgreSQL only)' },
      urlVariable: { value: 'DATABASE_URL', source: "node-pg-migrate's default" },
    });
  });

  it('passes on the options of the script that runs `up`, without the ones only `create` uses', () => {
    const scripts = {
      'migrate:create': 'node-pg-migrate create -j ts --migrations-dir sql',
      'migrate:up': 'dotenv -- node-pg-migrate up --migrations-dir=sql/migrations -t schema_migrations -d PG_URL --no-check-order -j ts',
    };
    const dir = project({ ...dependency, scripts }, { 'sql/migrations/1_init.sql': '' });
    expect(detect(nodePgMigrate, dir)).toMatchObject({
      configFile: 'package.json#scripts.migrate:up',
      migrationsDir: 'sql/migrations',
      migrateCommand: [
        'node_modules/.bin/node-pg-migrate',
        'up',
        '--migrations-dir=sql/migrations',
        '-t',
        'schema_migrations',
        '-d',
        'PG_URL',
        '--no-check-order',
      ],
      urlVariable: { value: 'PG_URL', source: 'package.json#scripts.migrate:up' },
      migrationTable: 'schema_migrations',
    });
  });

  it('reads a --config-file (its values win over the script, as in node-pg-migrate) and the config package', () => {
    const scripts = { migrate: 'node-pg-migrate -f config/migrate.json -m ignored' };
    const dir = project(
      { ...dependency, scripts },
      {
        'config/migrate.json': JSON.stringify({ db: { 'migrations-dir': 'db/migrations', 'database-url-var': 'EVENTS_DB_URL', 'migrations-schema': 'ops' } }),
        'db/migrations/1_init.js': '',
      },
    );
    expect(detect(nodePgMigrate, dir)).toMatchObject({
      configFile: 'config/migrate.json',
      migrationsDir: 'db/migrations',
      migrateCommand: ['node_modules/.bin/node-pg-migrate', 'up', '-f', 'config/migrate.json', '-m', 'ignored'],
      urlVariable: { value: 'EVENTS_DB_URL', source: 'config/migrate.json' },
      migrationTable: 'ops.pgmigrations',
    });

    const viaConfigPackage = project(
      { dependencies: { ...dependency.dependencies, config: '^3.3.0' } },
      {
        'config/default.json': JSON.stringify({ db: { 'migrations-dir': 'schema' } }),
        'schema/1_init.js': '',
      },
    );
    expect(detect(nodePgMigrate, viaConfigPackage)).toMatchObject({ configFile: 'config/default.json', migrationsDir: 'schema' });
  });

  it('malformed or incomplete configurations: one line naming the file and the fix', () => {
    expect(
      failure(
        nodePgMigrate,
        project({ ...dependency, scripts: { migrate: 'node-pg-migrate up -f migrate.json' } }, { 'migrate.json': '{ "migrations-dir": ' }),
        'migrate.json',
      ),
    ).toMatch(/invalid JSON/);
    expect(failure(nodePgMigrate, project({ ...dependency, scripts: { migrate: 'node-pg-migrate up -f missing.json' } }), 'missing.json')).toMatch(
      /does not exist/,
    );
    expect(failure(nodePgMigrate, project({ ...dependency, scripts: { migrate: 'node-pg-migrate up -m' } }), 'package.json')).toMatch(
      /passes -m without a value/,
    );
    expect(failure(nodePgMigrate, project({ ...dependency, scripts: { migrate: 'node-pg-migrate up -m db/migrations' } }), 'db/migrations')).toMatch(
      /does not exist/,
    );
    expect(failure(nodePgMigrate, project({ ...dependency, scripts: { migrate: 'node-pg-migrate up' } }), 'migrations')).toMatch(
      /default migrations directory does not exist/,
    );
  });
});
