/**
 * Prisma: detection from its schema and configuration files (read as text, never run), and the
 * errors for malformed or incomplete setups, each naming the file.
 */
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { prisma } from '../../../../src/adapters/orms/prisma.js';
import { detectProject } from '../../../../src/detect/index.js';
import { detectionOf, FIXTURES, removeScratchCopies } from '../../../support/fixtures.js';
import { detect, errorOf, escape, PRISMA_DEPS, PRISMA_MIGRATION, PRISMA_SCHEMA, projectWith } from '../../../support/orms.js';

afterAll(removeScratchCopies);

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
      installFiles: ['prisma/schema.prisma'],
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
        'db/schema.prisma': PRISMA_SCHEMA.replace('postgresql', 'mysql'),
        'db/sql/20240101000000_init/migration.sql': 'CREATE TABLE a (id int);',
      },
      PRISMA_DEPS,
    );
    expect(detect(prisma, dir)).toMatchObject({
      configFile: 'prisma.config.ts',
      migrationsDir: 'db/sql',
      migrateCommand: ['node_modules/.bin/prisma', 'migrate', 'deploy', '--schema', 'db/schema.prisma'],
      installCommands: ['node_modules/.bin/prisma generate --schema db/schema.prisma'],
      installFiles: ['prisma.config.ts', 'db/schema.prisma'],
      database: { value: 'mysql', source: 'db/schema.prisma' },
    });
  });

  it('prefers prisma7.config.ts, reads the URL variable from its datasource, and copies no client generated into the sources', () => {
    const dir = projectWith(
      {
        'prisma7.config.ts': `import { defineConfig, env } from 'prisma/config';\nexport default defineConfig({ schema: 'prisma/schema.prisma', datasource: { url: env('PRIMARY_URL') } });\n`,
        'prisma.config.ts': `export default { schema: 'nowhere.prisma' };\n`,
        'prisma/schema.prisma': `generator client {\n  provider = "prisma-client"\n  output   = "../src/generated/prisma"\n}\ndatasource db {\n  provider = "postgresql"\n}\n`,
        ...PRISMA_MIGRATION,
      },
      PRISMA_DEPS,
    );
    expect(detect(prisma, dir)).toMatchObject({
      configFile: 'prisma7.config.ts',
      migrateCommand: ['node_modules/.bin/prisma', 'migrate', 'deploy'],
      urlVariable: { value: 'PRIMARY_URL', source: 'prisma7.config.ts' },
      runtimeCopies: [],
      // env() throws when PRIMARY_URL is unset, as in the image build: prisma generate gets a placeholder (it never connects).
      installCommands: ['PRIMARY_URL=postgresql://build:build@localhost:5432/build node_modules/.bin/prisma generate'],
      warnings: [],
    });
  });

  it('Prisma 7: prisma.config.ts with migrations.path and datasource.url, the prisma-client generator, a driver adapter', () => {
    const dir = projectWith(
      {
        'prisma.config.ts': `import 'dotenv/config';\nimport path from 'node:path';\nimport { defineConfig, env } from 'prisma/config';\nexport default defineConfig({\n  schema: path.join('db', 'schema.prisma'),\n  migrations: { path: path.join('db', 'migrations'), seed: 'tsx db/seed.ts' },\n  datasource: { url: process.env.DATABASE_URL ?? '' },\n});\n`,
        'db/schema.prisma': `generator client {\n  provider = "prisma-client"\n  output   = "../src/generated/prisma"\n}\ndatasource db {\n  provider = "postgresql"\n}\n`,
        'db/migrations/20250101000000_init/migration.sql': 'CREATE TABLE a (id int);',
      },
      { prisma: '7.1.0', '@prisma/client': '7.1.0', '@prisma/adapter-pg': '7.1.0', pg: '8.16.3' },
    );
    expect(detect(prisma, dir)).toMatchObject({
      configFile: 'prisma.config.ts',
      migrationsDir: 'db/migrations',
      migrateCommand: ['node_modules/.bin/prisma', 'migrate', 'deploy', '--schema', 'db/schema.prisma'],
      urlVariable: { value: 'DATABASE_URL', source: 'prisma.config.ts' },
      // Generated into the sources, with no query engine: nothing of node_modules/.prisma in the runtime image.
      runtimeCopies: [],
      installCommands: ['node_modules/.bin/prisma generate --schema db/schema.prisma'],
    });
  });

  it('the prisma-client generator infers its import extensions from tsconfig.json: it is copied with the schema for prisma generate', () => {
    const generator = (options: string) =>
      `generator client {\n  provider = "prisma-client"\n  output   = "../src/generated/prisma"\n${options}}\ndatasource db {\n  provider = "postgresql"\n}\n`;
    const files = {
      'prisma.config.ts': "import { defineConfig, env } from 'prisma/config';\nexport default defineConfig({ datasource: { url: env('DATABASE_URL') } });\n",
      'tsconfig.json': '{\n  // the shared settings\n  "extends": "./config/tsconfig.base",\n  "compilerOptions": { "outDir": "dist" }\n}\n',
      'config/tsconfig.base.json': '{ "extends": "@tsconfig/node22/tsconfig.json", "compilerOptions": { "module": "nodenext" } }\n',
      ...PRISMA_MIGRATION,
    };
    const deps = { prisma: '7.10.0', '@prisma/client': '7.10.0', '@prisma/adapter-pg': '7.10.0', pg: '8.16.3' };
    const inferred = projectWith({ ...files, 'prisma/schema.prisma': generator('') }, deps);
    expect(detect(prisma, inferred)?.installFiles).toEqual(['prisma.config.ts', 'prisma/schema.prisma', 'tsconfig.json', 'config/tsconfig.base.json']);
    const set = projectWith({ ...files, 'prisma/schema.prisma': generator('  importFileExtension = "js"\n') }, deps);
    expect(detect(prisma, set)?.installFiles).toEqual(['prisma.config.ts', 'prisma/schema.prisma']);
  });

  it('a fixed datasource url is refused with the fix', () => {
    const dir = projectWith(
      { 'prisma/schema.prisma': PRISMA_SCHEMA.replace('env("DATABASE_URL")', '"postgresql://app:secret@localhost:5432/app"'), ...PRISMA_MIGRATION },
      PRISMA_DEPS,
    );
    expect(errorOf(prisma, dir)).toMatch(
      /prisma\/schema\.prisma: the datasource url is a fixed value \("postgresql:\/\/app:secret@localhost:5432\/app"\): read it from a variable \(url = env\("DATABASE_URL"\)\)/,
    );
  });

  it('reads package.json#prisma.schema and a multi-file schema folder', () => {
    const dir = projectWith({
      'package.json': JSON.stringify({ dependencies: PRISMA_DEPS, prisma: { schema: 'database/schema' } }),
      'database/schema/models.prisma': 'model A {\n  id Int @id\n}\n',
      'database/schema/main.prisma': PRISMA_SCHEMA.replace('postgresql', 'sqlite'),
      'database/schema/migrations/20240101000000_init/migration.sql': 'CREATE TABLE a (id int);',
    });
    expect(detect(prisma, dir)).toMatchObject({
      configFile: 'database/schema',
      migrationsDir: 'database/schema/migrations',
      migrateCommand: ['node_modules/.bin/prisma', 'migrate', 'deploy', '--schema', 'database/schema'],
      database: { value: 'sqlite', source: 'database/schema/main.prisma' },
      // Its .prisma files, not the migrations folder inside it.
      installFiles: ['database/schema/main.prisma', 'database/schema/models.prisma'],
    });
  });

  it('copies only the schema before the install (no migrations, no sources), so that new migrations and source edits keep it cached', () => {
    const dir = projectWith({
      'package.json': JSON.stringify({ dependencies: PRISMA_DEPS, prisma: { schema: './src/db/schema.prisma' } }),
      'src/db/schema.prisma': PRISMA_SCHEMA,
      'src/db/migrations/20240101000000_init/migration.sql': 'CREATE TABLE a (id int);',
      'src/server.ts': '',
    });
    expect(detect(prisma, dir)).toMatchObject({
      installFiles: ['src/db/schema.prisma'],
      installCommands: ['node_modules/.bin/prisma generate --schema src/db/schema.prisma'],
      migrationsDir: 'src/db/migrations',
    });
  });

  it('warns that a directUrl variable must reach the migrate service too', () => {
    const dir = projectWith(
      {
        'prisma/schema.prisma': PRISMA_SCHEMA.replace('url      = env("DATABASE_URL")', 'url = env("DATABASE_URL")\n  directUrl = env("DIRECT_URL")'),
        ...PRISMA_MIGRATION,
      },
      PRISMA_DEPS,
    );
    expect(detect(prisma, dir)?.warnings).toEqual([expect.stringMatching(/directUrl reads DIRECT_URL/)]);
  });

  it('is not detected without a schema or config', () => {
    expect(detect(prisma, projectWith({}, PRISMA_DEPS))).toBeUndefined();
  });

  describe('errors name the file and the fix', () => {
    it('no migrations folder: the exact command that creates the first one, never db push', () => {
      const dir = projectWith({ 'prisma/schema.prisma': PRISMA_SCHEMA }, PRISMA_DEPS);
      const message = errorOf(prisma, dir);
      expect(message).toContain(path.join(dir, 'prisma/migrations'));
      expect(message).toMatch(/\(npx prisma migrate dev --name init\) and commit prisma\/migrations\//);
      expect(message).toMatch(/never migrate dev or db push/);
    });

    it('a migrations folder without migrations', () => {
      const dir = projectWith({ 'prisma/schema.prisma': PRISMA_SCHEMA, 'prisma/migrations/migration_lock.toml': 'provider = "postgresql"\n' }, PRISMA_DEPS);
      expect(errorOf(prisma, dir)).toContain(path.join(dir, 'prisma/migrations'));
    });

    it('no datasource block (a commented-out one does not count)', () => {
      const dir = projectWith(
        { 'prisma/schema.prisma': `// datasource db {\n//   provider = "postgresql"\n// }\nmodel A {\n  id Int @id\n}\n`, ...PRISMA_MIGRATION },
        PRISMA_DEPS,
      );
      expect(errorOf(prisma, dir)).toMatch(new RegExp(`^${escape(path.join(dir, 'prisma/schema.prisma'))}: no datasource block`));
    });

    it('a datasource without provider', () => {
      const dir = projectWith({ 'prisma/schema.prisma': 'datasource db {\n  url = env("DATABASE_URL")\n}\n', ...PRISMA_MIGRATION }, PRISMA_DEPS);
      expect(errorOf(prisma, dir)).toMatch(/schema\.prisma: the datasource block has no provider/);
    });

    it('MongoDB, which has no migrations', () => {
      const dir = projectWith({ 'prisma/schema.prisma': PRISMA_SCHEMA.replace('postgresql', 'mongodb'), ...PRISMA_MIGRATION }, PRISMA_DEPS);
      expect(errorOf(prisma, dir)).toMatch(/schema\.prisma: provider "mongodb" has no Prisma migrations/);
    });

    it('migrations made for another provider', () => {
      const dir = projectWith({ 'prisma/schema.prisma': PRISMA_SCHEMA.replace('postgresql', 'mysql'), ...PRISMA_MIGRATION }, PRISMA_DEPS);
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
      const dir = projectWith({ 'prisma/schema.prisma': PRISMA_SCHEMA, ...PRISMA_MIGRATION });
      expect(errorOf(prisma, dir)).toMatch(/schema\.prisma: found, but prisma is not in package\.json dependencies/);
    });
  });
});
