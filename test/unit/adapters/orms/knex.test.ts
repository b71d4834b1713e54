/**
 * Knex: the knexfile is read with the parser (never run), wherever the project keeps it.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { knex } from '../../../../src/adapters/orms/knex.js';
import { typeorm } from '../../../../src/adapters/orms/typeorm.js';
import { removeScratchCopies } from '../../../support/fixtures.js';
import { detect, errorOf, project } from '../../../support/orms.js';

afterAll(removeScratchCopies);

const CONVICT = `
const convict = require('convict');
const path = require('path');
const config = convict({
  env: { format: ['development', 'production'], default: 'development', env: 'NODE_ENV' },
  db: {
    client: 'pg',
    connection: {
      host: { format: '*', default: '127.0.0.1', env: 'DB_HOST' },
      port: { format: 'port', default: 5432, env: 'DB_PORT' },
      database: { format: String, default: null, env: 'DB_NAME' },
      user: { format: String, default: null, env: 'DB_USER' },
      password: { format: String, default: null, env: 'DB_PASSWORD' },
    },
    pool: { min: 2, max: 10 },
    migrations: { tableName: 'knex_migrations', directory: path.resolve(__dirname, '../db/migrations') },
  },
});
module.exports = config;
`;

describe('Knex', () => {
  it('config/knexfile.js exporting a convict config (shorthand settings, path.resolve(__dirname, …)): migrations, client and connection parts', () => {
    const dir = project(
      { dependencies: { knex: '3.1.0', pg: '8.20.0', convict: '6.2.4' }, scripts: { migrate: 'knex --knexfile config/knexfile.js migrate:latest' } },
      {
        'config/index.js': CONVICT,
        'config/knexfile.js': "const config = require('./');\nmodule.exports = config.get('db');\n",
        'db/migrations/1_init.js': '',
      },
    );
    expect(detect(knex, dir)).toMatchObject({
      configFile: 'config/knexfile.js',
      migrationsDir: 'db/migrations',
      migrateCommand: ['node_modules/.bin/knex', '--knexfile', 'config/knexfile.js', 'migrate:latest'],
      database: { value: 'postgres', source: 'config/knexfile.js' },
      connectionParts: { value: { host: 'DB_HOST', port: 'DB_PORT', user: 'DB_USER', password: 'DB_PASSWORD', database: 'DB_NAME' } },
    });
  });

  it("path.resolve('x') and process.cwd() in a knexfile in a subfolder are that folder's: the knex CLI changes into it", () => {
    const dir = project(
      { dependencies: { knex: '3.1.0', pg: '8.20.0' } },
      {
        'db/knexfile.js':
          "const path = require('path');\nmodule.exports = {\n  client: 'pg',\n  connection: process.env.DATABASE_URL,\n  migrations: { directory: path.resolve('migrations') },\n  seeds: { directory: path.join(process.cwd(), 'seeds') },\n};\n",
        'db/migrations/1_init.js': '',
      },
    );
    expect(detect(knex, dir)).toMatchObject({
      configFile: 'db/knexfile.js',
      migrationsDir: 'db/migrations',
      migrateCommand: ['node_modules/.bin/knex', 'migrate:latest', '--knexfile', 'db/knexfile.js'],
    });
  });

  it('per-environment sections without production: the fix, and why an in-memory development database is no way out', () => {
    const dir = project(
      { dependencies: { knex: '2.3.0', sqlite3: '5.1.2' } },
      {
        'knexfile.js':
          "module.exports = {\n  development: { client: 'sqlite3', connection: { filename: ':memory:' }, migrations: { directory: './knex/migrations' } },\n};\n",
        'knex/migrations/1.js': '',
      },
    );
    expect(errorOf(knex, dir)).toMatch(
      /knexfile\.js: has per-environment sections \(development\) but no "production": add one .*development uses SQLite's in-memory database/,
    );
  });

  it('a production section in memory, a fixed connection, a syntax error naming the line', () => {
    const memory = project(
      { dependencies: { knex: '3.1.0' } },
      { 'knexfile.js': "module.exports = { client: 'better-sqlite3', connection: ':memory:' };\n", 'migrations/1.js': '' },
    );
    expect(errorOf(knex, memory)).toMatch(/knexfile\.js: the "production" connection is SQLite's in-memory database/);
    const fixed = project(
      { dependencies: { knex: '3.1.0' } },
      { 'knexfile.js': "module.exports = { client: 'pg', connection: { host: 'localhost', database: 'app' } };\n", 'migrations/1.js': '' },
    );
    expect(errorOf(knex, fixed)).toMatch(/knexfile\.js: the "production" connection is fixed/);
    const broken = project({ dependencies: { knex: '3.1.0' } }, { 'db/knexfile.js': "module.exports = {\n  client: 'pg',,\n};\n" });
    expect(errorOf(knex, broken)).toMatch(/db\/knexfile\.js:2:\d+: Unexpected token: fix the syntax/);
  });

  it('an app that migrates itself at start is warned about with its file and line', () => {
    const dir = project(
      { dependencies: { knex: '3.1.0', pg: '8.20.0' } },
      {
        'knexfile.js': "module.exports = { client: 'pg', connection: process.env.DATABASE_URL };\n",
        'migrations/1.js': '',
        'lib/db.js': "const knex = require('knex')(require('../knexfile'));\n\nasync function start() {\n  await knex.migrate.latest();\n}\n",
      },
    );
    expect(detect(knex, dir)?.warnings).toEqual([expect.stringMatching(/^lib\/db\.js:4: the app applies migrations itself \(knex\.migrate\.latest\(\)\)/)]);
  });
});

describe('TypeORM data source with type: process.env.DATABASE_TYPE and tsconfig.build.json', () => {
  it('compiles through the build tsconfig (test excluded), runs the project script compiled, and sets the type variable', () => {
    const dir = project(
      {
        dependencies: { typeorm: '0.3.27', pg: '8.16.3' },
        devDependencies: { 'ts-node': '10.9.2', typescript: '5.9.3', '@nestjs/cli': '11.0.0' },
        scripts: {
          build: 'nest build',
          typeorm: 'env-cmd -- ts-node -r tsconfig-paths/register ./node_modules/typeorm/cli.js',
          'migration:run': 'npm run typeorm -- --dataSource=src/database/data-source.ts migration:run',
        },
      },
      {
        'tsconfig.json': JSON.stringify({ compilerOptions: { outDir: './dist' }, include: ['src/**/*', 'test/**/*'] }),
        'tsconfig.build.json': JSON.stringify({ extends: './tsconfig.json', exclude: ['node_modules', 'test', 'dist'] }),
        'src/database/data-source.ts':
          "import { DataSource, DataSourceOptions } from 'typeorm';\nexport const AppDataSource = new DataSource({\n  type: process.env.DATABASE_TYPE,\n  url: process.env.DATABASE_URL,\n  migrations: [__dirname + '/migrations/**/*{.ts,.js}'],\n} as DataSourceOptions);\n",
        'src/database/migrations/1-Init.ts': '',
        'src/main.ts': '',
        'test/app.e2e-spec.ts': '',
      },
    );
    expect(detect(typeorm, dir)).toMatchObject({
      configFile: 'src/database/data-source.ts',
      migrationsDir: 'src/database/migrations',
      migrateCommand: ['node_modules/.bin/typeorm', '--dataSource=dist/database/data-source.js', 'migration:run'],
      urlVariable: { value: 'DATABASE_URL' },
      databaseTypeVariable: { name: 'DATABASE_TYPE', values: { postgres: 'postgres', mysql: 'mysql', mariadb: 'mariadb' } },
      notes: [expect.stringMatching(/scripts\.migration:run/), expect.stringMatching(/runs typeorm through ts-node: the image runs the compiled equivalent/)],
    });
    expect(detect(typeorm, dir)?.database).toBeUndefined();
  });

  it('TypeORM 0.2: an ormconfig.js in config/<folder>/ read by the CLI with -f, a dist/ glob mapped to the sources, and TypeScript migrations it cannot load', () => {
    const files = {
      'config/general/ormconfig.js':
        "module.exports = {\n  type: 'mysql',\n  host: process.env.MYSQL_HOST,\n  port: process.env.MYSQL_PORT,\n  migrations: ['dist/migrations/*.js'],\n};\n",
      'dist/migrations/.keep': '',
    };
    const dir = project({ dependencies: { typeorm: '0.2.45', mysql2: '2.3.3' } }, files);
    expect(detect(typeorm, dir)).toMatchObject({
      configFile: 'config/general/ormconfig.js',
      migrationsDir: 'dist/migrations',
      migrateCommand: ['node_modules/.bin/typeorm', 'migration:run', '-f', 'config/general/ormconfig'],
      database: { value: 'mysql' },
    });
    // The dist/ glob of a TypeScript project: the migrations are the sources the build compiles there.
    const compiled = project(
      { dependencies: { typeorm: '0.2.45', mysql2: '2.3.3' }, devDependencies: { typescript: '3.9.7' }, scripts: { build: 'tsc' } },
      {
        'config/general/ormconfig.js': files['config/general/ormconfig.js'],
        'tsconfig.json': JSON.stringify({ compilerOptions: { rootDir: '.', outDir: 'dist' }, include: ['src', 'migrations'] }),
        'migrations/1-Init.ts': '',
      },
    );
    expect(detect(typeorm, compiled)).toMatchObject({ configFile: 'config/general/ormconfig.js', migrationsDir: 'migrations' });
    const ts = project(
      { dependencies: { typeorm: '0.2.45', mysql2: '2.3.3' } },
      {
        ...files,
        'config/general/ormconfig.js': files['config/general/ormconfig.js'].replace('dist/migrations/*.js', 'migrations/**/*.ts'),
        'migrations/1.ts': '',
      },
    );
    expect(errorOf(typeorm, ts)).toMatch(
      /ormconfig\.js: migrations "migrations\/\*\*\/\*\.ts" are TypeScript, which the typeorm CLI loads only through ts-node/,
    );
  });
});
