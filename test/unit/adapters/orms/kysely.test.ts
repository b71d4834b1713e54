/**
 * Kysely: the Migrator script (or kysely-ctl's config) the adapter reads, where the dialect and the
 * URL variable come from, and a one-line error naming the file for each malformed setup.
 */
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { kysely } from '../../../../src/adapters/orms/kysely.js';
import { detectProject } from '../../../../src/detect/index.js';
import { FIXTURES, removeScratchCopies } from '../../../support/fixtures.js';
import { COMMONJS_TSCONFIG, detect, failure, project } from '../../../support/orms.js';

afterAll(removeScratchCopies);

describe('Kysely', () => {
  it('hono-kysely-postgres: the Migrator script runs compiled, database and URL read through the module it imports', () => {
    const facts = detectProject(path.join(FIXTURES, 'hono-kysely-postgres'));
    expect(facts.orms).toEqual([
      {
        id: 'kysely',
        detection: {
          configFile: 'src/migrate.ts',
          migrationsDir: 'src/migrations',
          migrateCommand: ['node', 'dist/migrate.js'],
          cliPackage: 'kysely',
          database: { value: 'postgres', source: 'src/migrate.ts' },
          urlVariable: { value: 'DATABASE_URL', source: 'src/migrate.ts' },
          warnings: [],
        },
      },
    ]);
  });

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

  it('a TypeScript Migrator script runs compiled; dialect and URL variable read through the module it imports', () => {
    const dir = project(typescript, {
      'tsconfig.json': COMMONJS_TSCONFIG,
      'src/db.ts': db,
      'src/migrate.ts': script(checked.replace("'migrations') })", "'migrations') }), migrationTableName: 'schema_versions'")),
      'src/migrations/001_init.ts': '',
    });
    expect(detect(kysely, dir)).toEqual({
      configFile: 'src/migrate.ts',
      migrationsDir: 'src/migrations',
      migrateCommand: ['node', 'dist/migrate.js'],
      cliPackage: 'kysely',
      database: { value: 'mysql', source: 'src/migrate.ts' },
      urlVariable: { value: 'MYSQL_URL', source: 'src/migrate.ts' },
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
      'tsconfig.json': COMMONJS_TSCONFIG,
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
      warnings: [],
    });
    const dotConfig = project(ctl, {
      '.config/kysely.config.ts': "import { db } from '../src/db';\nexport default { kysely: db };\n",
      'src/db.ts': db,
      'migrations/001_init.ts': '',
    });
    expect(detect(kysely, dotConfig)).toMatchObject({
      configFile: '.config/kysely.config.ts',
      migrationsDir: 'migrations',
      database: { value: 'mysql', source: '.config/kysely.config.ts' },
      urlVariable: { value: 'MYSQL_URL', source: '.config/kysely.config.ts' },
    });
  });

  it('malformed or incomplete configurations: one line naming the file and the fix', () => {
    const base = { 'tsconfig.json': COMMONJS_TSCONFIG, 'src/db.ts': db, 'src/migrations/001_init.ts': '' };
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

  it('reads the Kysely instance with the parser: postgres.js, connection parts, SQLite built in a function, in memory refused', () => {
    const migrate = (db: string) =>
      `import { promises as fs } from 'node:fs';\nimport path from 'node:path';\nimport { FileMigrationProvider, Kysely, Migrator, PostgresDialect, PostgresJSDialect, SqliteDialect } from 'kysely';\nimport postgres from 'postgres';\nimport pg from 'pg';\nimport SQLite from 'better-sqlite3';\n${db}\nconst { error } = await new Migrator({ db, provider: new FileMigrationProvider({ fs, path, migrationFolder: path.join(import.meta.dirname, 'migrations') }) }).migrateToLatest();\nif (error) process.exit(1);\n`;
    const scratch = (db: string) =>
      project(typescript, { 'tsconfig.json': COMMONJS_TSCONFIG, 'src/migrate.ts': migrate(db), 'src/migrations/001_init.ts': '' });
    expect(detect(kysely, scratch('const db = new Kysely({ dialect: new PostgresJSDialect({ postgres: postgres(process.env.PG_URL!) }) });'))).toMatchObject({
      database: { value: 'postgres' },
      urlVariable: { value: 'PG_URL' },
    });
    const parts = detect(
      kysely,
      scratch(
        'const db = new Kysely({ dialect: new PostgresDialect({ pool: new pg.Pool({ host: process.env.PGHOST, port: Number(process.env.PGPORT), user: process.env.PGUSER, password: process.env.PGPASSWORD, database: process.env.PGDATABASE }) }) });',
      ),
    );
    expect(parts).toMatchObject({
      database: { value: 'postgres' },
      connectionParts: { value: { host: 'PGHOST', port: 'PGPORT', user: 'PGUSER', password: 'PGPASSWORD', database: 'PGDATABASE' }, source: 'src/migrate.ts' },
    });
    expect(parts?.urlVariable).toBeUndefined();
    expect(
      detect(
        kysely,
        scratch(
          'function createDb(file: string) {\n  return new Kysely({ dialect: new SqliteDialect({ database: new SQLite(file) }) });\n}\nconst db = createDb(process.env.DATABASE_FILE!);',
        ),
      ),
    ).toMatchObject({ database: { value: 'sqlite' }, urlVariable: { value: 'DATABASE_FILE' } });
    expect(failure(kysely, scratch("const db = new Kysely({ dialect: new SqliteDialect({ database: new SQLite(':memory:') }) });"), 'src/migrate.ts')).toMatch(
      /in-memory database/,
    );
  });

  it('a plain-string migrationFolder is read from the root; one in the build output maps back to the sources', () => {
    const dir = project(typescript, {
      'tsconfig.json': COMMONJS_TSCONFIG,
      'src/db.ts': db,
      'src/migrate.ts': script(checked.replace("path.join(import.meta.dirname, 'migrations')", "'dist/migrations'")),
      'src/migrations/001_init.ts': '',
    });
    expect(detect(kysely, dir)).toMatchObject({ migrationsDir: 'src/migrations', migrateCommand: ['node', 'dist/migrate.js'] });
  });

  it("kysely-ctl: the folder is the working directory's, and the project's own migrate script runs", () => {
    const dir = project(
      {
        dependencies: { kysely: '^0.28.0', pg: '^8.13.0' },
        devDependencies: { 'kysely-ctl': '^0.21.0' },
        scripts: { 'db:migrate': 'kysely migrate latest --no-filesystem-caching' },
      },
      {
        '.config/kysely.config.ts':
          "import { defineConfig } from 'kysely-ctl';\nimport { PostgresDialect } from 'kysely';\nimport { Pool } from 'pg';\nexport default defineConfig({\n  dialect: new PostgresDialect({ pool: new Pool({ connectionString: process.env.POSTGRES_URL }) }),\n  migrations: { migrationFolder: 'src/db/migrations' },\n});\n",
        'src/db/migrations/001_init.ts': '',
      },
    );
    expect(detect(kysely, dir)).toMatchObject({
      configFile: '.config/kysely.config.ts',
      migrationsDir: 'src/db/migrations',
      database: { value: 'postgres' },
      urlVariable: { value: 'POSTGRES_URL' },
      migrateCommand: ['node_modules/.bin/kysely', 'migrate', 'latest', '--no-filesystem-caching'],
      notes: [expect.stringMatching(/^migrate runs the project's own scripts\.db:migrate: /)],
    });
  });

  it('--orm-config names the Migrator script among several', () => {
    const dir = project(typescript, {
      'tsconfig.json': COMMONJS_TSCONFIG,
      'src/db.ts': db,
      'src/migrate.ts': script(checked),
      'src/reset.ts': script(checked),
      'src/migrations/001_init.ts': '',
    });
    expect(detect(kysely, dir, 'src/reset.ts')).toMatchObject({ configFile: 'src/reset.ts', migrateCommand: ['node', 'dist/reset.js'] });
  });

  it('of several scripts, the one a package.json script runs', () => {
    const dir = project(
      { ...typescript, scripts: { build: 'tsc', migrate: 'node dist/migrate.js' } },
      {
        'tsconfig.json': COMMONJS_TSCONFIG,
        'src/db.ts': db,
        'src/migrate.ts': script(checked),
        'src/reset.ts': script(checked),
        'src/migrations/001_init.ts': '',
      },
    );
    expect(detect(kysely, dir)?.configFile).toBe('src/migrate.ts');
  });
});
