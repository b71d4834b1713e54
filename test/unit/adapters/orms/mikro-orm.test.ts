/**
 * Detection of Sequelize, MikroORM, node-pg-migrate and Kysely: every configuration form each
 * adapter reads, a one-line error naming the file for each malformed one, and proof that
 * detection reads configuration files without running them.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { kysely } from '../../src/adapters/orms/kysely.js';
import { mikroOrm } from '../../src/adapters/orms/mikro-orm.js';
import { nodePgMigrate } from '../../src/adapters/orms/node-pg-migrate.js';
import { sequelize } from '../../src/adapters/orms/sequelize.js';
import type { OrmAdapter, OrmDetection } from '../../src/adapters/types.js';
import { detectProject } from '../../src/detect/index.js';
import { Project } from '../../src/project/project.js';
import { UserError } from '../../src/errors.js';
import { buildPlan } from '../../src/plan/index.js';
import { resolveAnswers } from '../../src/plan/resolve.js';
import { detectionOf, FIXTURES, removeScratchCopies, scratchDir } from '../support/fixtures.js';

afterAll(removeScratchCopies);

/** A scratch project made of `files` (package.json from `manifest`). */
function project(manifest: Record<string, unknown>, files: Record<string, string> = {}): string {
  const dir = scratchDir('orm');
  const all = { 'package.json': JSON.stringify({ name: 'scratch', version: '1.0.0', ...manifest }, null, 2), ...files };
  for (const [name, content] of Object.entries(all)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), content);
  }
  return dir;
}

function detect(adapter: OrmAdapter, dir: string): OrmDetection | undefined {
  return adapter.detect(new Project(dir));
}

/** The UserError detection throws: one line, naming `file` (absolute). */
function failure(adapter: OrmAdapter, dir: string, file: string): string {
  let caught: unknown;
  try {
    adapter.detect(new Project(dir));
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(UserError);
  const message = (caught as Error).message;
  expect(message).not.toContain('\n');
  expect(message.startsWith(`${path.join(dir, file)}:`), message).toBe(true);
  return message;
}

/** A file that leaves a mark and throws if anything ever runs it. */
function trap(marker: string): string {
  return `require('node:fs').writeFileSync(${JSON.stringify(marker)}, 'executed'); throw new Error('detection executed project code');\n`;
}

const TSCONFIG = JSON.stringify({ compilerOptions: { rootDir: 'src', outDir: 'dist', module: 'commonjs' }, include: ['src'] });

describe('the fixtures', () => {
  it('express-sequelize-mariadb: .sequelizerc → db/config.js (production use_env_variable, dialect mariadb)', () => {
    const facts = detectProject(path.join(FIXTURES, 'express-sequelize-mariadb'));
    expect(facts.orms).toEqual([
      {
        id: 'sequelize',
        detection: {
          configFile: 'db/config.js',
          migrationsDir: 'db/migrations',
          migrateCommand: ['node_modules/.bin/sequelize-cli', 'db:migrate'],
          cliPackage: 'sequelize-cli',
          database: { value: 'mariadb', source: 'db/config.js' },
          urlVariable: { value: 'DATABASE_URL', source: 'db/config.js' },
          urlSchemes: { mariadb: 'mariadb' },
          sqliteUrlPrefix: 'sqlite://',
        },
      },
    ]);
    expect(facts.warnings).toEqual([]);
  });

  it('fastify-mikroorm-postgres: package.json#mikro-orm.configPaths → the compiled config, without ts-node', () => {
    const facts = detectProject(path.join(FIXTURES, 'fastify-mikroorm-postgres'));
    expect(facts.orms).toEqual([
      {
        id: 'mikro-orm',
        detection: {
          configFile: 'src/mikro-orm.config.ts',
          migrationsDir: 'src/migrations',
          migrateCommand: ['env', 'MIKRO_ORM_CLI_USE_TS_NODE=false', 'node_modules/.bin/mikro-orm', 'migration:up', '--config', 'dist/mikro-orm.config.js'],
          cliPackage: '@mikro-orm/cli',
          database: { value: 'postgres', source: 'src/mikro-orm.config.ts' },
          urlVariable: { value: 'DATABASE_URL', source: 'src/mikro-orm.config.ts' },
          warnings: [],
        },
      },
    ]);
  });

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

  it('hono-kysely-postgres: the Migrator script runs compiled, database and URL from the module it imports', () => {
    const facts = detectProject(path.join(FIXTURES, 'hono-kysely-postgres'));
    expect(facts.orms).toEqual([
      {
        id: 'kysely',
        detection: {
          configFile: 'src/migrate.ts',
          migrationsDir: 'src/migrations',
          migrateCommand: ['node', 'dist/migrate.js'],
          cliPackage: 'kysely',
          database: { value: 'postgres', source: 'src/db.ts' },
          urlVariable: { value: 'DATABASE_URL', source: 'src/db.ts' },
          warnings: [],
        },
      },
    ]);
  });
});

describe('Sequelize', () => {
  const cli = { dependencies: { sequelize: '^6.37.0', pg: '^8.13.0' }, devDependencies: { 'sequelize-cli': '^6.6.0' } };
  const production = { production: { use_env_variable: 'DATABASE_URL', dialect: 'postgres' } };

  it('is not detected without .sequelizerc or sequelize-cli, nor when sequelize-cli was never set up', () => {
    expect(detect(sequelize, project({ dependencies: { sequelize: '^6.37.0' } }, { 'config/config.json': JSON.stringify(production) }))).toBeUndefined();
    expect(detect(sequelize, project(cli))).toBeUndefined();
  });

  it('reads config/config.json and migrations/ by default', () => {
    const dir = project(cli, { 'config/config.json': JSON.stringify({ development: { dialect: 'postgres' }, ...production }), 'migrations/.keep': '' });
    expect(detect(sequelize, dir)).toMatchObject({
      configFile: 'config/config.json',
      migrationsDir: 'migrations',
      migrateCommand: ['node_modules/.bin/sequelize-cli', 'db:migrate'],
      database: { value: 'postgres', source: 'config/config.json' },
      urlVariable: { value: 'DATABASE_URL', source: 'config/config.json' },
    });
    expect(detect(sequelize, dir)?.urlSchemes).toBeUndefined();
  });

  it('prefers config/config.js over config/config.json, as sequelize-cli does', () => {
    const dir = project(cli, {
      'config/config.json': JSON.stringify(production),
      'config/config.js': "module.exports = {\n  production: { url: process.env.PG_URL, dialect: 'postgres' },\n};\n",
      'migrations/.keep': '',
    });
    expect(detect(sequelize, dir)).toMatchObject({ configFile: 'config/config.js', urlVariable: { value: 'PG_URL', source: 'config/config.js' } });
  });

  it('follows .sequelizerc: quoted keys, path.resolve with and without __dirname', () => {
    const dir = project(cli, {
      '.sequelizerc':
        "const path = require('path');\nmodule.exports = {\n  // config: path.resolve('old', 'config.json'),\n  \"config\": path.resolve(__dirname, 'database', 'config.json'),\n  'migrations-path': path.resolve('database', 'migrations'),\n};\n",
      'database/config.json': JSON.stringify(production),
      'database/migrations/.keep': '',
    });
    expect(detect(sequelize, dir)).toMatchObject({ configFile: 'database/config.json', migrationsDir: 'database/migrations' });
  });

  it('accepts a flat configuration without environments, and reads a renamed SequelizeMeta', () => {
    const dir = project(cli, {
      'config/config.json': JSON.stringify({ use_env_variable: 'DB_URL', dialect: 'mysql', migrationStorageTableName: 'sequelize_meta' }),
      'migrations/.keep': '',
    });
    expect(detect(sequelize, dir)).toMatchObject({ urlVariable: { value: 'DB_URL' }, database: { value: 'mysql' }, migrationTable: 'sequelize_meta' });
  });

  it('asks for mariadb:// when the project talks to MariaDB through the mariadb driver, mysql:// through mysql2', () => {
    const files = { 'config/config.json': JSON.stringify({ production: { use_env_variable: 'DATABASE_URL' } }), 'migrations/.keep': '' };
    const mariadbDriver = project({ ...cli, dependencies: { sequelize: '^6.37.0', mariadb: '^3.4.0' } }, files);
    expect(detect(sequelize, mariadbDriver)?.urlSchemes).toEqual({ mariadb: 'mariadb' });
    const mysql2 = project({ ...cli, dependencies: { sequelize: '^6.37.0', mysql2: '^3.11.0' } }, files);
    expect(detect(sequelize, mysql2)?.urlSchemes).toBeUndefined();
    // The stack's SQLite file as Sequelize reads it.
    expect(detect(sequelize, mysql2)?.sqliteUrlPrefix).toBe('sqlite://');
  });

  it('malformed or incomplete configurations: one line naming the file and the fix', () => {
    expect(failure(sequelize, project(cli, { 'config/config.json': '{ "production": { ', 'migrations/.keep': '' }), 'config/config.json')).toMatch(
      /invalid JSON/,
    );
    expect(
      failure(
        sequelize,
        project(cli, { 'config/config.json': JSON.stringify({ development: { dialect: 'postgres' } }), 'migrations/.keep': '' }),
        'config/config.json',
      ),
    ).toMatch(/no "production"/);
    expect(
      failure(
        sequelize,
        project(cli, { 'config/config.js': "module.exports = { development: { dialect: 'postgres' }, test: {} };", 'migrations/.keep': '' }),
        'config/config.js',
      ),
    ).toMatch(/no "production"/);
    expect(
      failure(
        sequelize,
        project(cli, { 'config/config.json': JSON.stringify({ production: { host: 'db', dialect: 'postgres' } }), 'migrations/.keep': '' }),
        'config/config.json',
      ),
    ).toMatch(/use_env_variable/);
    expect(
      failure(
        sequelize,
        project(cli, {
          'config/config.json': JSON.stringify({ production: { use_env_variable: 'DATABASE_URL', migrationStorage: 'json' } }),
          'migrations/.keep': '',
        }),
        'config/config.json',
      ),
    ).toMatch(/migrationStorage "json"/);
    expect(failure(sequelize, project(cli, { 'config/config.js': 'const production = {};\n', 'migrations/.keep': '' }), 'config/config.js')).toMatch(
      /exports no configuration/,
    );
    expect(
      failure(
        sequelize,
        project(cli, { '.sequelizerc': "const path = require('path');\nmodule.exports = { config: path.resolve('db', 'config.js') };" }),
        '.sequelizerc',
      ),
    ).toMatch(/db\/config\.js, which does not exist/);
    expect(
      failure(
        sequelize,
        project(cli, { '.sequelizerc': 'const configPath = process.env.CFG;\nmodule.exports = { config: configPath };', 'config/config.json': '{}' }),
        '.sequelizerc',
      ),
    ).toMatch(/can't read where config points/);
    expect(failure(sequelize, project(cli, { 'config/config.json': JSON.stringify(production) }), 'migrations')).toMatch(/does not exist/);
  });
});

describe('MikroORM', () => {
  const v6 = {
    dependencies: { '@mikro-orm/core': '6.6.16', '@mikro-orm/postgresql': '6.6.16', '@mikro-orm/migrations': '6.6.16' },
    devDependencies: { '@mikro-orm/cli': '6.6.16' },
  };
  const build = { scripts: { build: 'tsc' } };

  it('is not detected without @mikro-orm packages, nor for the ORM without its CLI and config', () => {
    expect(detect(mikroOrm, project({}, { 'mikro-orm.config.js': 'module.exports = {};' }))).toBeUndefined();
    expect(detect(mikroOrm, project({ dependencies: { '@mikro-orm/core': '6.6.16' } }))).toBeUndefined();
  });

  it('a JavaScript config at the root runs as it is, with migrations/ by default', () => {
    const dir = project(v6, { 'mikro-orm.config.js': 'module.exports = { clientUrl: process.env.PG_URL, entities: [] };\n', 'migrations/.keep': '' });
    expect(detect(mikroOrm, dir)).toMatchObject({
      configFile: 'mikro-orm.config.js',
      migrationsDir: 'migrations',
      migrateCommand: ['node_modules/.bin/mikro-orm', 'migration:up', '--config', 'mikro-orm.config.js'],
      database: { value: 'postgres', source: 'dependency @mikro-orm/postgresql' },
      urlVariable: { value: 'PG_URL' },
    });
  });

  it('src/mikro-orm.config.ts by default; __dirname-relative migrations; MikroORM 7 turns its TypeScript preference off', () => {
    const v7 = {
      ...build,
      dependencies: { '@mikro-orm/core': '^7.2.0', '@mikro-orm/mariadb': '^7.2.0', '@mikro-orm/migrations': '^7.2.0' },
      devDependencies: { '@mikro-orm/cli': '^7.2.0' },
    };
    const dir = project(v7, {
      'tsconfig.json': TSCONFIG,
      'src/mikro-orm.config.ts':
        "import { defineConfig } from '@mikro-orm/mariadb';\nimport path from 'node:path';\nexport default defineConfig({\n  migrations: { path: path.join(__dirname, 'migrations'), tableName: 'schema_history' },\n});\n",
      'src/migrations/Migration1.ts': '',
    });
    expect(detect(mikroOrm, dir)).toMatchObject({
      configFile: 'src/mikro-orm.config.ts',
      migrationsDir: 'src/migrations',
      migrateCommand: ['env', 'MIKRO_ORM_CLI_PREFER_TS=false', 'node_modules/.bin/mikro-orm', 'migration:up', '--config', 'dist/mikro-orm.config.js'],
      database: { value: 'mariadb', source: 'src/mikro-orm.config.ts' },
      // No clientUrl: MikroORM reads its own variable.
      urlVariable: { value: 'MIKRO_ORM_CLIENT_URL' },
      migrationTable: 'schema_history',
      warnings: [],
    });
  });

  it('MikroORM 7 needs Node 22.17, and the plan warns when the image gets an older Node', async () => {
    const v7 = {
      dependencies: { '@mikro-orm/core': '^7.2.0', '@mikro-orm/sqlite': '^7.2.0', '@mikro-orm/migrations': '^7.2.0' },
      devDependencies: { '@mikro-orm/cli': '^7.2.0' },
    };
    const dir = project(v7, { '.nvmrc': '20\n', 'mikro-orm.config.js': 'module.exports = {};', 'migrations/.keep': '' });
    const minimumNode = { value: '22.17', source: 'MikroORM 7' };
    expect(detect(mikroOrm, dir)?.minimumNode).toEqual(minimumNode);

    // The plan is a function of data: the fixture's facts with the v7 requirement.
    const facts = detectProject(path.join(FIXTURES, 'fastify-mikroorm-postgres'));
    const orm = detectionOf(facts.orms[0]);
    orm.minimumNode = minimumNode;
    const { answers } = await resolveAnswers(facts, { flags: { node: '20' } });
    expect(buildPlan(facts, answers).warnings).toContainEqual(
      expect.stringMatching(/MikroORM 7 needs Node\.js 22\.17 or newer, but the image gets Node\.js 20: pass --node 22/),
    );
    const { answers: newer } = await resolveAnswers(facts, { flags: { node: '22' } });
    expect(buildPlan(facts, newer).warnings.join('\n')).not.toMatch(/needs Node/);
  });

  it('never picks a compiled config from a local build as the configuration', () => {
    const dir = project(
      { ...v6, ...build, 'mikro-orm': { configPaths: ['./dist/mikro-orm.config.js', './src/mikro-orm.config.ts'] } },
      {
        'tsconfig.json': TSCONFIG,
        'dist/mikro-orm.config.js': 'exports.default = {};',
        'src/mikro-orm.config.ts': "export default { migrations: { path: 'dist/db/migrations', pathTs: 'src/db/migrations' } };",
        'src/db/migrations/Migration1.ts': '',
      },
    );
    expect(detect(mikroOrm, dir)).toMatchObject({ configFile: 'src/mikro-orm.config.ts', migrationsDir: 'src/db/migrations' });
  });

  it('malformed or incomplete configurations: one line naming the file and the fix', () => {
    const config = {
      'tsconfig.json': TSCONFIG,
      'src/mikro-orm.config.ts': "export default { migrations: { path: 'dist/migrations', pathTs: 'src/migrations' } };",
      'src/migrations/Migration1.ts': '',
    };
    expect(failure(mikroOrm, project({ ...v6, ...build, 'mikro-orm': ['src/mikro-orm.config.ts'] }, config), 'package.json')).toMatch(
      /"mikro-orm" must be an object/,
    );
    expect(failure(mikroOrm, project({ ...v6, ...build, 'mikro-orm': { configPaths: 'src/mikro-orm.config.ts' } }, config), 'package.json')).toMatch(
      /configPaths must be an array/,
    );
    expect(failure(mikroOrm, project(v6), 'package.json')).toMatch(/no MikroORM config/);
    expect(
      failure(
        mikroOrm,
        project({ ...v6, dependencies: { '@mikro-orm/core': '6.6.16', '@mikro-orm/postgresql': '6.6.16' } }, { 'mikro-orm.config.js': 'module.exports = {};' }),
        'package.json',
      ),
    ).toMatch(/@mikro-orm\/migrations is not a dependency/);
    expect(failure(mikroOrm, project(v6, { 'mikro-orm.config.js': 'const config = {};\n' }), 'mikro-orm.config.js')).toMatch(/exports no configuration/);
    expect(
      failure(
        mikroOrm,
        project({ ...v6, ...build }, { ...config, 'src/mikro-orm.config.ts': "export default { migrations: { path: 'src/migrations' } };" }),
        'src/mikro-orm.config.ts',
      ),
    ).toMatch(/holds TypeScript.*path: 'dist\/migrations' and pathTs: 'src\/migrations'/);
    expect(
      failure(
        mikroOrm,
        project(
          { ...v6, ...build },
          { ...config, 'src/mikro-orm.config.ts': "export default { migrations: { path: 'dist/other', pathTs: 'src/migrations' } };" },
        ),
        'src/mikro-orm.config.ts',
      ),
    ).toMatch(/make them match/);
    expect(
      failure(
        mikroOrm,
        project({ ...v6, ...build }, { ...config, 'src/mikro-orm.config.ts': 'export default { migrations: { path: migrationsFolder } };' }),
        'src/mikro-orm.config.ts',
      ),
    ).toMatch(/can't read migrations\.path/);
    expect(
      failure(mikroOrm, project({ ...v6, ...build }, { ...config, 'tsconfig.json': '{ "compilerOptions": { "outDir": "dist", } ' }), 'tsconfig.json'),
    ).toMatch(/invalid JSON/);
    expect(failure(mikroOrm, project({ ...v6, ...build }, { ...config, 'tsconfig.json': '{ "compilerOptions": {} }' }), 'tsconfig.json')).toMatch(
      /no compilerOptions\.outDir/,
    );
    expect(failure(mikroOrm, project(v6, config), 'package.json')).toMatch(/no "build" script/);
  });
});

describe('node-pg-migrate', () => {
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

describe('Kysely', () => {
  const script = (body: string) =>
    [
      "import { promises as fs } from 'node:fs';",
      "import path from 'node:path';",
      "import { FileMigrationProvider, Migrator } from 'kysely/migration';",
      "import { db } from './db.js';",
      body,
    ].join('\n');
  const checked =
    "const migrator = new Migrator({ db, provider: new FileMigrationProvider({ fs, path, migrationFolder: path.join(import.meta.dirname, 'migrations') }) });\nconst { error } = await migrator.migrateToLatest();\nif (error) process.exit(1);\n";
  const db =
    "import { Kysely, MysqlDialect } from 'kysely';\nimport { createPool } from 'mysql2';\nexport const db = new Kysely({ dialect: new MysqlDialect({ pool: createPool({ uri: process.env.MYSQL_URL }) }) });\n";
  const typescript = { type: 'module', scripts: { build: 'tsc' }, dependencies: { kysely: '^0.29.0', mysql2: '^3.11.0' } };

  it('is not detected without kysely, nor for kysely used as a query builder only', () => {
    expect(detect(kysely, project({}, { 'src/migrate.js': checked }))).toBeUndefined();
    expect(detect(kysely, project(typescript, { 'src/db.ts': db }))).toBeUndefined();
  });

  it('a TypeScript Migrator script runs compiled; dialect and URL variable come from the module it imports', () => {
    const dir = project(typescript, {
      'tsconfig.json': TSCONFIG,
      'src/db.ts': db,
      'src/migrate.ts': script(checked.replace("'migrations') })", "'migrations') }), migrationTableName: 'schema_versions'")),
      'src/migrations/001_init.ts': '',
    });
    expect(detect(kysely, dir)).toEqual({
      configFile: 'src/migrate.ts',
      migrationsDir: 'src/migrations',
      migrateCommand: ['node', 'dist/migrate.js'],
      cliPackage: 'kysely',
      database: { value: 'mysql', source: 'src/db.ts' },
      urlVariable: { value: 'MYSQL_URL', source: 'src/db.ts' },
      migrationTable: 'schema_versions',
      warnings: [],
    });
  });

  it('a JavaScript script runs as it is; a plain string folder is relative to the working directory', () => {
    const dir = project(
      { dependencies: { kysely: '^0.28.0', pg: '^8.13.0' } },
      {
        'scripts/migrate.mjs':
          "import { Migrator, FileMigrationProvider, PostgresDialect, Kysely } from 'kysely';\nconst db = new Kysely({ dialect: new PostgresDialect({}) });\nconst { error } = await new Migrator({ db, provider: new FileMigrationProvider({ migrationFolder: 'db/migrations' }) }).migrateToLatest();\nif (error) throw error;\n",
        'db/migrations/001_init.mjs': '',
      },
    );
    expect(detect(kysely, dir)).toMatchObject({
      configFile: 'scripts/migrate.mjs',
      migrationsDir: 'db/migrations',
      migrateCommand: ['node', 'scripts/migrate.mjs'],
      database: { value: 'postgres' },
    });
  });

  it('warns when the script ignores the error migrateToLatest() returns', () => {
    const dir = project(typescript, {
      'tsconfig.json': TSCONFIG,
      'src/db.ts': db,
      'src/migrate.ts': script(checked.replace('if (error) process.exit(1);', 'console.log(error);')),
      'src/migrations/001_init.ts': '',
    });
    expect(detect(kysely, dir)?.warnings).toEqual([
      expect.stringMatching(/^src\/migrate\.ts: migrateToLatest\(\) reports a failed migration .* process\.exit\(1\)$/),
    ]);
  });

  it('kysely-ctl: kysely.config.ts (or .config/) and `kysely migrate:latest`', () => {
    const ctl = { dependencies: { kysely: '^0.28.0', pg: '^8.13.0' }, devDependencies: { 'kysely-ctl': '^0.21.0' } };
    const root = project(ctl, {
      'kysely.config.ts':
        "import { defineConfig } from 'kysely-ctl';\nimport { Pool } from 'pg';\nexport default defineConfig({\n  dialect: 'pg',\n  dialectConfig: { pool: new Pool({ connectionString: process.env.DATABASE_URL }) },\n  migrations: { migrationFolder: 'db/migrations', migrationTableName: 'kysely_history' },\n});\n",
      'db/migrations/001_init.ts': '',
    });
    expect(detect(kysely, root)).toEqual({
      configFile: 'kysely.config.ts',
      migrationsDir: 'db/migrations',
      migrateCommand: ['node_modules/.bin/kysely', 'migrate:latest'],
      cliPackage: 'kysely-ctl',
      database: { value: 'postgres', source: 'kysely.config.ts' },
      urlVariable: { value: 'DATABASE_URL', source: 'kysely.config.ts' },
      migrationTable: 'kysely_history',
    });
    const dotConfig = project(ctl, {
      '.config/kysely.config.ts': "import { db } from '../src/db';\nexport default { kysely: db };\n",
      'src/db.ts': db,
      'migrations/001_init.ts': '',
    });
    expect(detect(kysely, dotConfig)).toMatchObject({
      configFile: '.config/kysely.config.ts',
      migrationsDir: 'migrations',
      database: { value: 'mysql', source: 'src/db.ts' },
    });
  });

  it('malformed or incomplete configurations: one line naming the file and the fix', () => {
    const base = { 'tsconfig.json': TSCONFIG, 'src/db.ts': db, 'src/migrations/001_init.ts': '' };
    expect(failure(kysely, project({ dependencies: { kysely: '^0.28.0' } }, { 'kysely.config.ts': 'export default {};' }), 'kysely.config.ts')).toMatch(
      /kysely-ctl is not in package\.json/,
    );
    expect(
      failure(
        kysely,
        project({ dependencies: { kysely: '^0.28.0', 'kysely-ctl': '^0.21.0' } }, { 'kysely.config.ts': 'const config = {};' }),
        'kysely.config.ts',
      ),
    ).toMatch(/exports no configuration/);
    expect(
      failure(kysely, project({ dependencies: { kysely: '^0.28.0', 'kysely-ctl': '^0.21.0' } }, { 'kysely.config.ts': 'export default {};' }), 'migrations'),
    ).toMatch(/does not exist/);
    expect(
      failure(kysely, project(typescript, { ...base, 'src/migrate.ts': script(checked.replace(/migrationFolder: [^}]+/, '')) }), 'src/migrate.ts'),
    ).toMatch(/without a FileMigrationProvider migrationFolder/);
    expect(
      failure(kysely, project(typescript, { ...base, 'src/migrate.ts': script(checked.replace(/path\.join\([^)]*\)/, 'folder')) }), 'src/migrate.ts'),
    ).toMatch(/can't read migrationFolder \(folder\)/);
    expect(failure(kysely, project(typescript, { ...base, 'src/migrate.ts': script(checked.replace("'migrations'", "'sql'")) }), 'src/sql')).toMatch(
      /does not exist/,
    );
    expect(
      failure(kysely, project(typescript, { ...base, 'src/migrate.ts': script(checked), 'src/migrate-down.ts': script(checked) }), 'package.json'),
    ).toMatch(/several files run Kysely's Migrator/);
    expect(
      failure(
        kysely,
        project(typescript, { ...base, 'tsconfig.json': '{ "compilerOptions": { "rootDir": "src" } }', 'src/migrate.ts': script(checked) }),
        'tsconfig.json',
      ),
    ).toMatch(/no compilerOptions\.outDir/);
  });

  it('of several scripts, the one a package.json script runs', () => {
    const dir = project(
      { ...typescript, scripts: { build: 'tsc', migrate: 'node dist/migrate.js' } },
      { 'tsconfig.json': TSCONFIG, 'src/db.ts': db, 'src/migrate.ts': script(checked), 'src/reset.ts': script(checked), 'src/migrations/001_init.ts': '' },
    );
    expect(detect(kysely, dir)?.configFile).toBe('src/migrate.ts');
  });
});

describe('detection reads configuration files and never runs them', () => {
  it.each([
    [
      'Sequelize',
      sequelize,
      { devDependencies: { 'sequelize-cli': '^6.6.0' } },
      { '.sequelizerc': 'TRAP', 'config/config.js': "TRAP\nmodule.exports = { production: { use_env_variable: 'DATABASE_URL' } };", 'migrations/1.js': 'TRAP' },
    ],
    [
      'MikroORM',
      mikroOrm,
      { dependencies: { '@mikro-orm/core': '6.6.16', '@mikro-orm/migrations': '6.6.16' } },
      { 'mikro-orm.config.js': 'TRAP\nmodule.exports = {};', 'migrations/Migration1.js': 'TRAP' },
    ],
    [
      'node-pg-migrate',
      nodePgMigrate,
      { dependencies: { 'node-pg-migrate': '^9.0.0' }, scripts: { migrate: 'node-pg-migrate up -f migrate.js' } },
      { 'migrate.js': "TRAP\nmodule.exports = { 'migrations-dir': 'migrations' };", 'migrations/1.js': 'TRAP' },
    ],
    [
      'Kysely',
      kysely,
      { dependencies: { kysely: '^0.28.0' } },
      {
        'migrate.cjs':
          "TRAP\nconst { Migrator } = require('kysely');\nconst { error } = await new Migrator({ migrationFolder: 'migrations' }).migrateToLatest();\nif (error) process.exit(1);",
        'migrations/1.js': 'TRAP',
      },
    ],
  ])('%s', (_name, adapter, manifest, files) => {
    const dir = scratchDir('trap');
    const marker = path.join(dir, 'EXECUTED');
    const trapped = Object.fromEntries(Object.entries(files).map(([file, text]) => [file, text.replace('TRAP', trap(marker))]));
    const root = project(manifest, trapped);
    expect(detect(adapter, root)).toBeDefined();
    expect(existsSync(marker)).toBe(false);
  });
});
