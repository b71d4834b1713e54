/**
 * Prisma, TypeORM and Drizzle: detection from their configuration files (read as text, never
 * run), the errors for malformed or incomplete setups (each naming the file), and the choice
 * between several tools.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { detectProject } from '../../src/detect/index.js';
import { drizzle } from '../../src/adapters/orms/drizzle.js';
import { prisma } from '../../src/adapters/orms/prisma.js';
import { typeorm } from '../../src/adapters/orms/typeorm.js';
import { orms } from '../../src/adapters/orms/index.js';
import { Project } from '../../src/project/project.js';
import { UserError } from '../../src/errors.js';
import { runCli } from '../support/cli.js';
import { detectionOf, FIXTURES, removeScratchCopies, scratchDir } from '../support/fixtures.js';

afterAll(removeScratchCopies);

/** A scratch project made of `files` (package.json defaults to one depending on `dependencies`). */
function projectWith(files: Record<string, string>, dependencies: Record<string, string> = {}): string {
  const dir = scratchDir('orm');
  const all = { 'package.json': JSON.stringify({ name: 'scratch', dependencies, scripts: { build: 'tsc', start: 'node dist/server.js' } }), ...files };
  for (const [file, text] of Object.entries(all)) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), text);
  }
  return dir;
}

/** The adapter's detection, or the UserError it threw. */
function detectWith(adapter: typeof prisma, dir: string) {
  return adapter.detect(new Project(dir));
}

function errorOf(adapter: typeof prisma, dir: string): string {
  try {
    adapter.detect(new Project(dir));
  } catch (error) {
    expect(error).toBeInstanceOf(UserError);
    const message = (error as Error).message;
    expect(message.split('\n')).toHaveLength(1);
    return message;
  }
  throw new Error('expected a UserError');
}

const PRISMA_DEPS = { '@prisma/client': '6.19.3', prisma: '6.19.3' };
const SCHEMA = `generator client {\n  provider = "prisma-client-js"\n}\n\ndatasource db {\n  provider = "postgresql"\n  url      = env("DATABASE_URL")\n}\n`;
const MIGRATION = {
  'prisma/migrations/20240101000000_init/migration.sql': 'CREATE TABLE a (id int);',
  'prisma/migrations/migration_lock.toml': 'provider = "postgresql"\n',
};

describe('registry', () => {
  it('lists prisma, typeorm and drizzle before knex', () => {
    expect(orms.map((orm) => orm.id).slice(0, 4)).toEqual(['prisma', 'typeorm', 'drizzle', 'knex']);
  });

  it('declares each tool’s lock and migration table', () => {
    expect([prisma.takesOwnLock, typeorm.takesOwnLock, drizzle.takesOwnLock]).toEqual([true, false, false]);
    expect([prisma.migrationTable, prisma.migrationNameColumn]).toEqual(['_prisma_migrations', 'migration_name']);
    expect([typeorm.migrationTable, typeorm.migrationNameColumn]).toEqual(['migrations', 'name']);
    expect([drizzle.migrationTable, drizzle.migrationNameColumn]).toEqual(['__drizzle_migrations', 'hash']);
    expect(prisma.lockNote).toMatch(/pg_advisory_lock/);
    expect(typeorm.lockNote).toMatch(/no lock/);
    expect(drizzle.lockNote).toMatch(/no lock/);
  });
});

describe('Prisma', () => {
  it('reads fixtures/express-prisma-postgres: schema, migrations, database, URL variable and image needs', () => {
    const facts = detectProject(path.join(FIXTURES, 'express-prisma-postgres'));
    expect(facts.orms.map((orm) => orm.id)).toEqual(['prisma']);
    const found = detectionOf(facts.orms[0]);
    expect(found).toMatchObject({
      configFile: 'prisma/schema.prisma',
      migrationsDir: 'prisma/migrations',
      migrateCommand: ['node_modules/.bin/prisma', 'migrate', 'deploy'],
      cliPackage: 'prisma',
      database: { value: 'postgres', source: 'prisma/schema.prisma' },
      urlVariable: { value: 'DATABASE_URL', source: 'prisma/schema.prisma' },
      installFiles: ['prisma'],
      systemPackages: ['openssl'],
      buildArgs: ['PRISMA_ENGINES_MIRROR'],
      installCommands: ['node_modules/.bin/prisma generate'],
      runtimeCopies: [{ stage: 'deps', from: 'node_modules/.prisma', to: 'node_modules/.prisma' }],
      warnings: [],
    });
    expect(found.sqliteUrlPrefix).toBe('file:');
  });

  it('follows prisma.config.ts to a schema and migrations elsewhere, and passes --schema', () => {
    const dir = projectWith(
      {
        'prisma.config.ts': `import path from 'node:path';\nimport { defineConfig } from 'prisma/config';\nexport default defineConfig({\n  schema: path.join('db', 'schema.prisma'),\n  migrations: { path: 'db/sql' },\n});\n`,
        'db/schema.prisma': SCHEMA.replace('postgresql', 'mysql'),
        'db/sql/20240101000000_init/migration.sql': 'CREATE TABLE a (id int);',
      },
      PRISMA_DEPS,
    );
    expect(detectWith(prisma, dir)).toMatchObject({
      configFile: 'prisma.config.ts',
      migrationsDir: 'db/sql',
      migrateCommand: ['node_modules/.bin/prisma', 'migrate', 'deploy', '--schema', 'db/schema.prisma'],
      installCommands: ['node_modules/.bin/prisma generate --schema db/schema.prisma'],
      installFiles: ['prisma.config.ts', 'db'],
      database: { value: 'mysql', source: 'db/schema.prisma' },
    });
  });

  it('prefers prisma7.config.ts, reads the URL variable from its datasource, and copies no client generated into the sources', () => {
    const dir = projectWith(
      {
        'prisma7.config.ts': `import { defineConfig, env } from 'prisma/config';\nexport default defineConfig({ schema: 'prisma/schema.prisma', datasource: { url: env('PRIMARY_URL') } });\n`,
        'prisma.config.ts': `export default { schema: 'nowhere.prisma' };\n`,
        'prisma/schema.prisma': `generator client {\n  provider = "prisma-client"\n  output   = "../src/generated/prisma"\n}\ndatasource db {\n  provider = "postgresql"\n}\n`,
        ...MIGRATION,
      },
      PRISMA_DEPS,
    );
    expect(detectWith(prisma, dir)).toMatchObject({
      configFile: 'prisma7.config.ts',
      migrateCommand: ['node_modules/.bin/prisma', 'migrate', 'deploy'],
      urlVariable: { value: 'PRIMARY_URL', source: 'prisma7.config.ts' },
      runtimeCopies: [],
      warnings: [expect.stringMatching(/^prisma7\.config\.ts: env\(\) from prisma\/config throws when the variable is unset/)],
    });
  });

  it('reads package.json#prisma.schema and a multi-file schema folder', () => {
    const dir = projectWith({
      'package.json': JSON.stringify({ dependencies: PRISMA_DEPS, prisma: { schema: 'database/schema' } }),
      'database/schema/models.prisma': 'model A {\n  id Int @id\n}\n',
      'database/schema/main.prisma': SCHEMA.replace('postgresql', 'sqlite'),
      'database/schema/migrations/20240101000000_init/migration.sql': 'CREATE TABLE a (id int);',
    });
    expect(detectWith(prisma, dir)).toMatchObject({
      configFile: 'database/schema',
      migrationsDir: 'database/schema/migrations',
      migrateCommand: ['node_modules/.bin/prisma', 'migrate', 'deploy', '--schema', 'database/schema'],
      database: { value: 'sqlite', source: 'database/schema/main.prisma' },
      installFiles: ['database/schema'],
    });
  });

  it('copies only the schema’s own folder before the install, so that source edits keep it cached', () => {
    const dir = projectWith({
      'package.json': JSON.stringify({ dependencies: PRISMA_DEPS, prisma: { schema: './src/db/schema.prisma' } }),
      'src/db/schema.prisma': SCHEMA,
      'src/db/migrations/20240101000000_init/migration.sql': 'CREATE TABLE a (id int);',
      'src/server.ts': '',
    });
    expect(detectWith(prisma, dir)).toMatchObject({
      installFiles: ['src/db'],
      installCommands: ['node_modules/.bin/prisma generate --schema src/db/schema.prisma'],
      migrationsDir: 'src/db/migrations',
    });
  });

  it('warns that a directUrl variable must reach the migrate service too', () => {
    const dir = projectWith(
      { 'prisma/schema.prisma': SCHEMA.replace('url      = env("DATABASE_URL")', 'url = env("DATABASE_URL")\n  directUrl = env("DIRECT_URL")'), ...MIGRATION },
      PRISMA_DEPS,
    );
    expect(detectWith(prisma, dir)?.warnings).toEqual([expect.stringMatching(/directUrl reads DIRECT_URL/)]);
  });

  it('is not detected without a schema or config', () => {
    expect(detectWith(prisma, projectWith({}, PRISMA_DEPS))).toBeUndefined();
  });

  describe('errors name the file and the fix', () => {
    it('no migrations folder: prisma migrate dev locally, never db push', () => {
      const dir = projectWith({ 'prisma/schema.prisma': SCHEMA }, PRISMA_DEPS);
      const message = errorOf(prisma, dir);
      expect(message).toContain(path.join(dir, 'prisma/migrations'));
      expect(message).toMatch(/prisma migrate dev.*commit prisma\/migrations\//);
      expect(message).toMatch(/never migrate dev or db push/);
    });

    it('a migrations folder without migrations', () => {
      const dir = projectWith({ 'prisma/schema.prisma': SCHEMA, 'prisma/migrations/migration_lock.toml': 'provider = "postgresql"\n' }, PRISMA_DEPS);
      expect(errorOf(prisma, dir)).toContain(path.join(dir, 'prisma/migrations'));
    });

    it('no datasource block (a commented-out one does not count)', () => {
      const dir = projectWith(
        { 'prisma/schema.prisma': `// datasource db {\n//   provider = "postgresql"\n// }\nmodel A {\n  id Int @id\n}\n`, ...MIGRATION },
        PRISMA_DEPS,
      );
      expect(errorOf(prisma, dir)).toMatch(new RegExp(`^${escape(path.join(dir, 'prisma/schema.prisma'))}: no datasource block`));
    });

    it('a datasource without provider', () => {
      const dir = projectWith({ 'prisma/schema.prisma': 'datasource db {\n  url = env("DATABASE_URL")\n}\n', ...MIGRATION }, PRISMA_DEPS);
      expect(errorOf(prisma, dir)).toMatch(/schema\.prisma: the datasource block has no provider/);
    });

    it('MongoDB, which has no migrations', () => {
      const dir = projectWith({ 'prisma/schema.prisma': SCHEMA.replace('postgresql', 'mongodb'), ...MIGRATION }, PRISMA_DEPS);
      expect(errorOf(prisma, dir)).toMatch(/schema\.prisma: provider "mongodb" has no Prisma migrations/);
    });

    it('migrations made for another provider', () => {
      const dir = projectWith({ 'prisma/schema.prisma': SCHEMA.replace('postgresql', 'mysql'), ...MIGRATION }, PRISMA_DEPS);
      expect(errorOf(prisma, dir)).toMatch(/migration_lock\.toml: migrations were made for "postgresql" but the datasource provider is "mysql"/);
    });

    it('a config file naming a schema that does not exist', () => {
      const dir = projectWith({ 'prisma.config.ts': `export default { schema: 'db/missing.prisma' }\n` }, PRISMA_DEPS);
      expect(errorOf(prisma, dir)).toMatch(new RegExp(`^${escape(path.join(dir, 'prisma.config.ts'))}: schema "db/missing.prisma" does not exist`));
    });

    it('a config file and no schema anywhere', () => {
      const dir = projectWith({ 'prisma.config.ts': `export default {}\n` }, PRISMA_DEPS);
      expect(errorOf(prisma, dir)).toMatch(/prisma\.config\.ts: no schema found/);
    });

    it('package.json#prisma.schema pointing nowhere', () => {
      const dir = projectWith({ 'package.json': JSON.stringify({ dependencies: PRISMA_DEPS, prisma: { schema: 'db/schema.prisma' } }) });
      expect(errorOf(prisma, dir)).toMatch(/package\.json: prisma\.schema "db\/schema\.prisma" is not an existing schema file/);
    });

    it('a schema without the prisma package', () => {
      const dir = projectWith({ 'prisma/schema.prisma': SCHEMA, ...MIGRATION });
      expect(errorOf(prisma, dir)).toMatch(/schema\.prisma: found, but prisma is not in package\.json dependencies/);
    });
  });
});

const TYPEORM_DEPS = { typeorm: '^1.1.1', pg: '^8.13.1' };
const TSCONFIG = JSON.stringify({ compilerOptions: { rootDir: 'src', outDir: 'dist' }, include: ['src'] });
const dataSource = (options: string) =>
  `import { DataSource } from 'typeorm';\nexport const AppDataSource = new DataSource({\n  type: 'postgres',\n  url: process.env.DATABASE_URL,\n${options}\n});\n`;

describe('TypeORM', () => {
  it('reads fixtures/express-typeorm-postgres: the compiled data source, its migrations and table', () => {
    const facts = detectProject(path.join(FIXTURES, 'express-typeorm-postgres'));
    expect(facts.orms.map((orm) => orm.id)).toEqual(['typeorm']);
    expect(detectionOf(facts.orms[0])).toEqual({
      configFile: 'src/data-source.ts',
      migrationsDir: 'src/migrations',
      migrateCommand: ['node_modules/.bin/typeorm', 'migration:run', '-d', 'dist/data-source.js'],
      cliPackage: 'typeorm',
      database: { value: 'postgres', source: 'src/data-source.ts' },
      urlVariable: { value: 'DATABASE_URL', source: 'src/data-source.ts' },
      migrationTable: 'typeorm_migrations',
      warnings: [],
    });
  });

  it('maps a working-directory glob in the build output back to the sources, and keeps the default table', () => {
    const dir = projectWith(
      { 'tsconfig.json': TSCONFIG, 'src/db/data-source.ts': dataSource(`  migrations: ['dist/db/migrations/*.js'],`), 'src/db/migrations/1-Init.ts': '' },
      TYPEORM_DEPS,
    );
    const found = detectWith(typeorm, dir);
    expect(found).toMatchObject({
      migrationsDir: 'src/db/migrations',
      migrateCommand: ['node_modules/.bin/typeorm', 'migration:run', '-d', 'dist/db/data-source.js'],
    });
    expect(found?.migrationTable).toBeUndefined();
  });

  it('finds the folder of migration classes from their imports, and infers rootDir from include', () => {
    const dir = projectWith(
      {
        'tsconfig.json': JSON.stringify({ compilerOptions: { outDir: './build/' }, include: ['src/**/*.ts'] }),
        'src/data-source.ts': `import { Init1700000000000 } from './db/migrations/1700000000000-Init';\n${dataSource('  migrations: [Init1700000000000],')}`,
        'src/db/migrations/1700000000000-Init.ts': '',
      },
      TYPEORM_DEPS,
    );
    expect(detectWith(typeorm, dir)).toMatchObject({
      migrationsDir: 'src/db/migrations',
      migrateCommand: ['node_modules/.bin/typeorm', 'migration:run', '-d', 'build/data-source.js'],
    });
  });

  it('runs a JavaScript data source as it is, with path.join(__dirname, …) migrations', () => {
    const dir = projectWith(
      {
        'db.js': `const { DataSource } = require('typeorm');\nconst path = require('path');\nmodule.exports = new DataSource({ type: 'mysql', url: process.env.MYSQL_URL, migrations: [path.join(__dirname, 'migrations', '*.js')] });\n`,
        'migrations/1-Init.js': '',
      },
      { typeorm: '^1.1.1', mysql2: '^3' },
    );
    expect(detectWith(typeorm, dir)).toMatchObject({
      configFile: 'db.js',
      migrationsDir: 'migrations',
      migrateCommand: ['node_modules/.bin/typeorm', 'migration:run', '-d', 'db.js'],
      database: { value: 'mysql', source: 'db.js' },
      urlVariable: { value: 'MYSQL_URL', source: 'db.js' },
    });
  });

  it('picks the data source a package.json script passes to the CLI when there are several', () => {
    const dir = projectWith({
      'package.json': JSON.stringify({
        dependencies: TYPEORM_DEPS,
        scripts: { build: 'tsc', 'migration:run': 'typeorm migration:run -d dist/data-source.js' },
      }),
      'tsconfig.json': TSCONFIG,
      'src/data-source.ts': dataSource(`  migrations: [__dirname + '/migrations/*.js'],`),
      'src/reporting-source.ts': dataSource(`  migrations: [],`),
      'src/migrations/1-Init.ts': '',
      'test/data-source.spec.ts': dataSource(''),
    });
    expect(detectWith(typeorm, dir)?.configFile).toBe('src/data-source.ts');
  });

  it('warns about synchronize and migrationsRun', () => {
    const dir = projectWith(
      {
        'tsconfig.json': TSCONFIG,
        'src/data-source.ts': dataSource(`  synchronize: true,\n  migrationsRun: true,\n  migrations: [\`\${__dirname}/migrations/*.{js,ts}\`],`),
        'src/migrations/1-Init.ts': '',
      },
      TYPEORM_DEPS,
    );
    expect(detectWith(typeorm, dir)?.warnings).toEqual([expect.stringMatching(/synchronize: true/), expect.stringMatching(/migrationsRun: true/)]);
  });

  it('is not detected without the typeorm dependency or without a DataSource', () => {
    expect(detectWith(typeorm, projectWith({ 'src/data-source.ts': dataSource('  migrations: [],') }))).toBeUndefined();
    expect(detectWith(typeorm, projectWith({ 'src/server.ts': '// new DataSource( in a comment' }, TYPEORM_DEPS))).toBeUndefined();
  });

  describe('errors name the file and the fix', () => {
    it('no migrations option', () => {
      const dir = projectWith({ 'tsconfig.json': TSCONFIG, 'src/data-source.ts': dataSource('  migrationsTableName: "m",') }, TYPEORM_DEPS);
      expect(errorOf(typeorm, dir)).toMatch(new RegExp(`^${escape(path.join(dir, 'src/data-source.ts'))}: the DataSource has no migrations option`));
    });

    it('several DataSources and no script naming one', () => {
      const dir = projectWith(
        { 'tsconfig.json': TSCONFIG, 'src/a.ts': dataSource('  migrations: [],'), 'src/b.ts': dataSource('  migrations: [],') },
        TYPEORM_DEPS,
      );
      expect(errorOf(typeorm, dir)).toMatch(/package\.json: several files create a TypeORM DataSource \(src\/a\.ts, src\/b\.ts\): name the one/);
    });

    it('migrations that match TypeScript only, which the compiled data source cannot load', () => {
      const dir = projectWith(
        { 'tsconfig.json': TSCONFIG, 'src/data-source.ts': dataSource(`  migrations: ['src/migrations/*.ts'],`), 'src/migrations/1-Init.ts': '' },
        TYPEORM_DEPS,
      );
      expect(errorOf(typeorm, dir)).toMatch(/data-source\.ts: migrations "src\/migrations\/\*\.ts" matches TypeScript files only/);
    });

    it('a TypeScript data source without outDir', () => {
      const dir = projectWith(
        { 'tsconfig.json': '{ "compilerOptions": {} }', 'src/data-source.ts': dataSource(`  migrations: [__dirname + '/migrations/*.js'],`) },
        TYPEORM_DEPS,
      );
      expect(errorOf(typeorm, dir)).toMatch(new RegExp(`^${escape(path.join(dir, 'tsconfig.json'))}: no compilerOptions.outDir.*never ts-node`));
    });

    it('a malformed tsconfig.json', () => {
      const dir = projectWith(
        { 'tsconfig.json': '{ "compilerOptions": { "outDir": "dist", } ', 'src/data-source.ts': dataSource(`  migrations: [__dirname + '/migrations/*.js'],`) },
        TYPEORM_DEPS,
      );
      expect(errorOf(typeorm, dir)).toMatch(/tsconfig\.json: invalid JSON/);
    });

    it('a DataSource that is not exported', () => {
      const dir = projectWith(
        {
          'tsconfig.json': TSCONFIG,
          'src/data-source.ts': `import { DataSource } from 'typeorm';\nconst source = new DataSource({ type: 'postgres', migrations: [] });\n`,
        },
        TYPEORM_DEPS,
      );
      expect(errorOf(typeorm, dir)).toMatch(/data-source\.ts: creates a DataSource but does not export it/);
    });

    it('a migrations folder that does not exist', () => {
      const dir = projectWith({ 'tsconfig.json': TSCONFIG, 'src/data-source.ts': dataSource(`  migrations: [__dirname + '/migrations/*.js'],`) }, TYPEORM_DEPS);
      expect(errorOf(typeorm, dir)).toMatch(
        new RegExp(`^${escape(path.join(dir, 'src/migrations'))}: the migrations directory of src/data-source.ts does not exist`),
      );
    });

    it('a TypeORM 0.2 ormconfig', () => {
      const dir = projectWith({ 'ormconfig.json': '{}' }, TYPEORM_DEPS);
      expect(errorOf(typeorm, dir)).toMatch(/ormconfig\.json: ormconfig files are not read by the TypeORM 0\.3\+ CLI/);
    });
  });
});

const DRIZZLE_DEPS = { 'drizzle-orm': '^0.45.4', 'drizzle-kit': '^0.31.11', pg: '^8' };
const JOURNAL = { 'drizzle/meta/_journal.json': '{"version":"7","dialect":"postgresql","entries":[]}' };
const drizzleConfig = (body: string) => `import { defineConfig } from 'drizzle-kit';\nexport default defineConfig({\n${body}\n});\n`;

describe('Drizzle', () => {
  it('reads fixtures/express-drizzle-sqlite: dialect, out folder, URL variable; SQLite keeps the default table', () => {
    const facts = detectProject(path.join(FIXTURES, 'express-drizzle-sqlite'));
    expect(facts.orms.map((orm) => orm.id)).toEqual(['drizzle']);
    expect(detectionOf(facts.orms[0])).toEqual({
      configFile: 'drizzle.config.ts',
      migrationsDir: 'drizzle',
      migrateCommand: ['node_modules/.bin/drizzle-kit', 'migrate', '--config', 'drizzle.config.ts'],
      cliPackage: 'drizzle-kit',
      database: { value: 'sqlite', source: 'drizzle.config.ts' },
      urlVariable: { value: 'DB_FILE_NAME', source: 'drizzle.config.ts' },
    });
    expect(facts.nativeModules).toEqual(['better-sqlite3']);
  });

  it('PostgreSQL: the migrator’s table lives in the drizzle schema, or where the config moves it', () => {
    const plain = projectWith(
      { 'drizzle.config.ts': drizzleConfig(`  dialect: 'postgresql',\n  dbCredentials: { url: process.env.DATABASE_URL! },`), ...JOURNAL },
      DRIZZLE_DEPS,
    );
    expect(detectWith(drizzle, plain)).toMatchObject({
      migrationTable: 'drizzle.__drizzle_migrations',
      database: { value: 'postgres' },
      urlVariable: { value: 'DATABASE_URL' },
    });
    const moved = projectWith(
      {
        'drizzle.config.mjs': drizzleConfig(
          `  dialect: 'postgresql',\n  out: './db/out',\n  migrations: { table: 'applied', schema: 'ops' },\n  dbCredentials: { url: process.env['PG_URL'] },`,
        ),
        'db/out/meta/_journal.json': '{}',
      },
      DRIZZLE_DEPS,
    );
    expect(detectWith(drizzle, moved)).toMatchObject({
      migrationsDir: 'db/out',
      migrationTable: 'ops.applied',
      migrateCommand: ['node_modules/.bin/drizzle-kit', 'migrate', '--config', 'drizzle.config.mjs'],
      urlVariable: { value: 'PG_URL' },
    });
  });

  it('libSQL gets a file: URL for the SQLite file', () => {
    const dir = projectWith(
      { 'drizzle.config.ts': drizzleConfig(`  dialect: 'sqlite',\n  dbCredentials: { url: process.env.DATABASE_URL! },`), ...JOURNAL },
      { 'drizzle-kit': '1', '@libsql/client': '1' },
    );
    expect(detectWith(drizzle, dir)?.sqliteUrlPrefix).toBe('file:');
  });

  describe('errors name the file and the fix', () => {
    const cases: [string, Record<string, string>, RegExp][] = [
      [
        'no dialect',
        { 'drizzle.config.ts': drizzleConfig(`  // dialect: 'postgresql',\n  dbCredentials: { url: process.env.DATABASE_URL! },`), ...JOURNAL },
        /drizzle\.config\.ts: no dialect/,
      ],
      [
        'an unknown dialect',
        { 'drizzle.config.ts': drizzleConfig(`  dialect: 'oracle',\n  dbCredentials: { url: process.env.DATABASE_URL! },`), ...JOURNAL },
        /drizzle\.config\.ts: dialect "oracle"/,
      ],
      [
        'no migrations generated',
        { 'drizzle.config.ts': drizzleConfig(`  dialect: 'postgresql',\n  out: './migrations',\n  dbCredentials: { url: process.env.DATABASE_URL! },`) },
        /migrations: no drizzle migrations \(meta\/_journal\.json\): run drizzle-kit generate and commit migrations\//,
      ],
      ['no dbCredentials', { 'drizzle.config.ts': drizzleConfig(`  dialect: 'postgresql',`), ...JOURNAL }, /drizzle\.config\.ts: no dbCredentials/],
      [
        'credentials without url',
        { 'drizzle.config.ts': drizzleConfig(`  dialect: 'postgresql',\n  dbCredentials: { host: process.env.PGHOST!, database: 'app' },`), ...JOURNAL },
        /drizzle\.config\.ts: dbCredentials has no url/,
      ],
      [
        'a fixed url',
        { 'drizzle.config.ts': drizzleConfig(`  dialect: 'sqlite',\n  dbCredentials: { url: 'sqlite.db' },`), ...JOURNAL },
        /drizzle\.config\.ts: dbCredentials\.url is a fixed value \('sqlite\.db'\)/,
      ],
      ['malformed JSON', { 'drizzle.config.json': '{ "dialect": "sqlite", }', ...JOURNAL }, /drizzle\.config\.json: invalid JSON/],
      [
        'a JSON config, which can only hold a fixed url',
        { 'drizzle.config.json': '{ "dialect": "sqlite", "dbCredentials": { "url": "app.db" } }', ...JOURNAL },
        /drizzle\.config\.json: dbCredentials\.url is a fixed value/,
      ],
    ];
    it.each(cases)('%s', (_name, files, expected) => {
      const dir = projectWith(files, DRIZZLE_DEPS);
      const message = errorOf(drizzle, dir);
      expect(message.startsWith(dir)).toBe(true);
      expect(message).toMatch(expected);
    });
  });
});

describe('several tools, and never running project code', () => {
  it('two tools set up: --yes stops with exit 2 listing them and naming --orm; --orm picks one', async () => {
    const dir = projectWith(
      {
        'knexfile.js': `module.exports = { client: 'pg', connection: process.env.DATABASE_URL };\n`,
        'migrations/20240101_init.js': 'exports.up = () => {}; exports.down = () => {};\n',
        'prisma/schema.prisma': SCHEMA,
        ...MIGRATION,
        'package-lock.json': JSON.stringify({ lockfileVersion: 3, packages: { '': {} } }),
        'src/server.js': `app.get('/health', () => {}); app.listen(process.env.PORT ?? 3000);\n`,
      },
      { knex: '^3', pg: '^8', ...PRISMA_DEPS },
    );
    const both = await runCli([dir, '--yes']);
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/several migration tools are set up \(prisma: prisma\/schema\.prisma, knex: knexfile\.js\)/);
    expect(both.stderr).toMatch(/--orm/);
    const chosen = await runCli([dir, '--yes', '--orm', 'knex']);
    expect(chosen.stderr).toBe('');
    expect(chosen.code).toBe(0);
  });

  it('config files that would throw or write when run are only read', () => {
    const marker = path.join(scratchDir('marker'), 'ran');
    const payload = `require('node:fs').writeFileSync(${JSON.stringify(marker)}, 'ran'); throw new Error('executed');\n`;
    const dir = projectWith(
      {
        'prisma.config.ts': `${payload}export default { schema: 'prisma/schema.prisma' };\n`,
        'prisma/schema.prisma': SCHEMA,
        ...MIGRATION,
        'drizzle.config.ts': `${payload}${drizzleConfig(`  dialect: 'postgresql',\n  dbCredentials: { url: process.env.DATABASE_URL! },`)}`,
        ...JOURNAL,
        'tsconfig.json': TSCONFIG,
        'src/data-source.ts': `${payload}${dataSource(`  migrations: [__dirname + '/migrations/*.js'],`)}`,
        'src/migrations/1-Init.ts': '',
      },
      { ...PRISMA_DEPS, ...TYPEORM_DEPS, ...DRIZZLE_DEPS },
    );
    const facts = detectProject(dir);
    expect(facts.orms.map((orm) => orm.id)).toEqual(['prisma', 'typeorm', 'drizzle']);
    expect(existsSync(marker)).toBe(false);
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
