/**
 * Drizzle: detection from drizzle.config.* (read as text, never run), where its migrator keeps
 * its table, and the errors for malformed or incomplete setups, each naming the file.
 */
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { drizzle } from '../../../../src/adapters/orms/drizzle.js';
import { detectProject } from '../../../../src/detect/index.js';
import { detectionOf, FIXTURES, removeScratchCopies } from '../../../support/fixtures.js';
import { detect, DRIZZLE_DEPS, DRIZZLE_JOURNAL, drizzleConfig, errorOf, project, projectWith } from '../../../support/orms.js';

afterAll(removeScratchCopies);

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
      warnings: [],
      notes: ["migrate runs the project's own scripts.db:migrate: node_modules/.bin/drizzle-kit migrate --config drizzle.config.ts"],
    });
    expect(facts.nativeModules).toEqual(['better-sqlite3']);
  });

  it('PostgreSQL: the migrator’s table lives in the drizzle schema, or where the config moves it', () => {
    const plain = projectWith(
      { 'drizzle.config.ts': drizzleConfig(`  dialect: 'postgresql',\n  dbCredentials: { url: process.env.DATABASE_URL! },`), ...DRIZZLE_JOURNAL },
      DRIZZLE_DEPS,
    );
    expect(detect(drizzle, plain)).toMatchObject({
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
    expect(detect(drizzle, moved)).toMatchObject({
      migrationsDir: 'db/out',
      migrationTable: 'ops.applied',
      migrateCommand: ['node_modules/.bin/drizzle-kit', 'migrate', '--config', 'drizzle.config.mjs'],
      urlVariable: { value: 'PG_URL' },
    });
  });

  it('libSQL gets a file: URL for the SQLite file', () => {
    const dir = projectWith(
      { 'drizzle.config.ts': drizzleConfig(`  dialect: 'sqlite',\n  dbCredentials: { url: process.env.DATABASE_URL! },`), ...DRIZZLE_JOURNAL },
      { 'drizzle-kit': '1', '@libsql/client': '1' },
    );
    expect(detect(drizzle, dir)?.sqliteUrlPrefix).toBe('file:');
  });

  it('reads the URL through a tsconfig paths alias (@/env → src/env) of a zod-validated environment; a turso dialect on a file: URL', () => {
    const dir = projectWith(
      {
        'tsconfig.json': JSON.stringify({ compilerOptions: { baseUrl: './', paths: { '@/*': ['./src/*'] }, outDir: 'dist' } }),
        'src/env.ts':
          "import { z } from 'zod';\nconst Schema = z.object({ DATABASE_URL: z.string().url() });\nconst { data: env } = Schema.safeParse(process.env);\nexport default env!;\n",
        'drizzle.config.ts': `import { defineConfig } from 'drizzle-kit';\nimport env from '@/env';\nexport default defineConfig({\n  out: './src/db/migrations',\n  dialect: 'turso',\n  dbCredentials: { url: env.DATABASE_URL },\n});\n`,
        'src/db/migrations/meta/_journal.json': '{"version":"7","dialect":"turso","entries":[]}',
      },
      { 'drizzle-kit': '0.31.4', '@libsql/client': '0.15.10' },
    );
    expect(detect(drizzle, dir)).toMatchObject({ migrationsDir: 'src/db/migrations', urlVariable: { value: 'DATABASE_URL' }, sqliteUrlPrefix: 'file:' });
    expect(detect(drizzle, dir)?.database).toBeUndefined();
  });

  it("drizzle-kit before 0.21 has no migrate command: the project's own migrate script, else the fix", () => {
    const files = { 'drizzle.config.ts': drizzleConfig(`  dialect: 'postgresql',\n  dbCredentials: { url: process.env.DATABASE_URL! },`), ...DRIZZLE_JOURNAL };
    const withScript = project(
      { dependencies: { 'drizzle-orm': '0.30.0', 'drizzle-kit': '0.20.14', pg: '8.13.1' }, scripts: { migrate: 'node dist/migrate.js' } },
      files,
    );
    expect(detect(drizzle, withScript)).toMatchObject({
      migrateCommand: ['node', 'dist/migrate.js'],
      notes: [expect.stringMatching(/drizzle-kit 0\.20\.14 has no migrate command/)],
    });
    const without = project({ dependencies: { 'drizzle-orm': '0.30.0', 'drizzle-kit': '0.20.14', pg: '8.13.1' } }, files);
    expect(errorOf(drizzle, without)).toMatch(/package\.json: drizzle-kit 0\.20\.14 has no migrate command \(it came in 0\.21\): upgrade it/);
  });

  it('an app that migrates itself at start is warned about, naming the file and line', () => {
    const dir = projectWith(
      {
        'drizzle.config.ts': drizzleConfig(`  dialect: 'postgresql',\n  dbCredentials: { url: process.env.DATABASE_URL! },`),
        ...DRIZZLE_JOURNAL,
        'src/server.ts':
          "import { migrate } from 'drizzle-orm/node-postgres/migrator';\nimport { db } from './db';\n\nawait migrate(db, { migrationsFolder: 'drizzle' });\n",
      },
      DRIZZLE_DEPS,
    );
    expect(detect(drizzle, dir)?.warnings).toEqual([expect.stringMatching(/^src\/server\.ts:4: the app applies migrations itself \(drizzle-orm's migrate/)]);
  });

  it('a drizzle config a script names with --config, and SQLite in memory', () => {
    const config = drizzleConfig(`  dialect: 'sqlite',\n  out: './drizzle',\n  dbCredentials: { url: process.env.DB_FILE ?? ':memory:' },`);
    const dir = project(
      { dependencies: DRIZZLE_DEPS, scripts: { 'db:migrate': 'drizzle-kit migrate --config config/drizzle.ts' } },
      { 'config/drizzle.ts': config, ...DRIZZLE_JOURNAL },
    );
    expect(errorOf(drizzle, dir)).toMatch(/config\/drizzle\.ts: dbCredentials\.url is SQLite's in-memory database/);
  });

  describe('errors name the file and the fix', () => {
    const cases: [string, Record<string, string>, RegExp][] = [
      [
        'no dialect',
        { 'drizzle.config.ts': drizzleConfig(`  // dialect: 'postgresql',\n  dbCredentials: { url: process.env.DATABASE_URL! },`), ...DRIZZLE_JOURNAL },
        /drizzle\.config\.ts: no dialect/,
      ],
      [
        'an unknown dialect',
        { 'drizzle.config.ts': drizzleConfig(`  dialect: 'oracle',\n  dbCredentials: { url: process.env.DATABASE_URL! },`), ...DRIZZLE_JOURNAL },
        /drizzle\.config\.ts: dialect "oracle"/,
      ],
      [
        'no migrations generated',
        { 'drizzle.config.ts': drizzleConfig(`  dialect: 'postgresql',\n  out: './migrations',\n  dbCredentials: { url: process.env.DATABASE_URL! },`) },
        /migrations: no drizzle migrations \(meta\/_journal\.json\): run drizzle-kit generate and commit migrations\//,
      ],
      ['no dbCredentials', { 'drizzle.config.ts': drizzleConfig(`  dialect: 'postgresql',`), ...DRIZZLE_JOURNAL }, /drizzle\.config\.ts: no dbCredentials/],
      [
        'credentials without url',
        {
          'drizzle.config.ts': drizzleConfig(`  dialect: 'postgresql',\n  dbCredentials: { host: process.env.PGHOST!, database: 'app' },`),
          ...DRIZZLE_JOURNAL,
        },
        /drizzle\.config\.ts: dbCredentials has no url/,
      ],
      [
        'a fixed url',
        { 'drizzle.config.ts': drizzleConfig(`  dialect: 'sqlite',\n  dbCredentials: { url: 'sqlite.db' },`), ...DRIZZLE_JOURNAL },
        /drizzle\.config\.ts: dbCredentials\.url is a fixed value \('sqlite\.db'\)/,
      ],
      ['malformed JSON', { 'drizzle.config.json': '{ "dialect": "sqlite", }', ...DRIZZLE_JOURNAL }, /drizzle\.config\.json: invalid JSON/],
      [
        'a JSON config, which can only hold a fixed url',
        { 'drizzle.config.json': '{ "dialect": "sqlite", "dbCredentials": { "url": "app.db" } }', ...DRIZZLE_JOURNAL },
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
