import { describe, expect, it } from 'vitest';
import {
  asString,
  branches,
  ConfigSyntaxError,
  describe as describeValue,
  envVariable,
  property,
  readModule,
  type JsValue,
  type SourceReader,
} from '../../../src/project/js-module.js';

/** An in-memory project: file path → text; folders are implied by the paths. */
function project(files: Record<string, string>): SourceReader {
  const folders = new Set<string>();
  for (const file of Object.keys(files)) {
    const parts = file.split('/');
    for (let i = 1; i < parts.length; i++) folders.add(parts.slice(0, i).join('/'));
  }
  return {
    readText: (rel) => (Object.hasOwn(files, rel) ? files[rel] : undefined),
    exists: (rel) => Object.hasOwn(files, rel) || folders.has(rel),
    isDirectory: (rel) => folders.has(rel),
  };
}

/** A compact plain form of a value, so that assertions state exact results. */
function plain(value: JsValue | undefined): unknown {
  if (value === undefined) return '<absent>';
  const { fromFunction, ...rest } = value;
  if (fromFunction) return { fromFunction: plain(rest) };
  switch (value.kind) {
    case 'literal':
      return value.value;
    case 'object': {
      const object: Record<string, unknown> = Object.fromEntries([...value.properties].map(([key, v]) => [key, plain(v)]));
      if (value.incomplete) object.$incomplete = true;
      if (value.constructedBy) object.$new = value.constructedBy;
      return object;
    }
    case 'array':
      return value.incomplete ? { array: value.elements.map(plain), incomplete: true } : value.elements.map(plain);
    case 'env':
      return { env: value.name, ...(value.fallback ? { fallback: plain(value.fallback) } : {}), ...(value.conversion ? { conversion: value.conversion } : {}) };
    case 'template':
      return { template: value.parts.map(plain) };
    case 'oneOf':
      return { oneOf: value.options.map(plain) };
    case 'path':
      return value.outsideProject ? { path: value.path, outside: true } : { path: value.path };
    case 'unknown':
      return { unknown: value.source, ...(value.reason ? { reason: value.reason } : {}) };
  }
}

function defaultOf(files: Record<string, string>, file: string): unknown {
  return plain(readModule(project(files), file).defaultExport);
}

describe('readModule: knex', () => {
  const knexfile = `
require('dotenv').config();
const path = require('path');

const common = {
  client: 'pg',
  migrations: { directory: path.join(__dirname, 'db', 'migrations'), tableName: 'knex_migrations' },
  pool: { min: 2, max: 10 },
};

module.exports = {
  development: {
    ...common,
    connection: { host: 'localhost', port: 5432, user: 'dev', database: 'app_dev' },
  },
  production: {
    ...common,
    connection: process.env.DATABASE_URL,
    pool: { min: 0, max: Number(process.env.DB_POOL_MAX || 20) },
  },
};
`;

  it('reads module.exports with spreads of a local object, path.join(__dirname, …) and env reads', () => {
    expect(defaultOf({ 'knexfile.js': knexfile }, 'knexfile.js')).toEqual({
      development: {
        client: 'pg',
        migrations: { directory: { path: 'db/migrations' }, tableName: 'knex_migrations' },
        pool: { min: 2, max: 10 },
        connection: { host: 'localhost', port: 5432, user: 'dev', database: 'app_dev' },
      },
      production: {
        client: 'pg',
        migrations: { directory: { path: 'db/migrations' }, tableName: 'knex_migrations' },
        // Overridden after the spread, in the spread's position (as JavaScript orders it).
        pool: { min: 0, max: { env: 'DB_POOL_MAX', fallback: 20, conversion: 'number' } },
        connection: { env: 'DATABASE_URL' },
      },
    });
  });

  it('named exports are the properties of module.exports; envReads lists each variable once', () => {
    const module = readModule(project({ 'knexfile.js': knexfile }), 'knexfile.js');
    expect([...module.named.keys()]).toEqual(['development', 'production']);
    expect(asString(property(module.named.get('production'), 'client'))).toBe('pg');
    expect(module.envReads()).toEqual([
      { name: 'DATABASE_URL', line: 18 },
      { name: 'DB_POOL_MAX', fallback: { kind: 'literal', value: 20 }, line: 19 },
    ]);
  });

  it('config/knexfile.js reading the connection from a convict config in ./index', () => {
    const files = {
      'config/index.js': `
const convict = require('convict');
const config = convict({
  env: { doc: 'Environment', format: ['production', 'development'], default: 'development', env: 'NODE_ENV' },
  db: {
    url: { doc: 'Connection URL', format: String, default: '', env: 'DATABASE_URL' },
    pool: { max: { format: 'nat', default: 10, env: 'DB_POOL_MAX' } },
    schema: { format: String, default: 'public' },
  },
});
config.validate({ allowed: 'strict' });
module.exports = config;
`,
      'config/knexfile.js': `
const config = require('./index');
module.exports = {
  client: 'pg',
  connection: config.get('db.url'),
  pool: { min: 0, max: config.get('db.pool.max') },
  searchPath: [config.get('db.schema')],
  migrations: { directory: __dirname + '/../migrations' },
};
`,
    };
    const module = readModule(project(files), 'config/knexfile.js');
    expect(plain(module.defaultExport)).toEqual({
      client: 'pg',
      connection: { env: 'DATABASE_URL', fallback: '' },
      pool: { min: 0, max: { env: 'DB_POOL_MAX', fallback: 10 } },
      searchPath: ['public'],
      migrations: { directory: { path: 'migrations' } },
    });
    expect(module.envReads().map((read) => read.name)).toEqual(['DATABASE_URL', 'DB_POOL_MAX']);
    expect(plain(readModule(project(files), 'config/index.js').defaultExport)).toMatchObject({ unknown: expect.stringMatching(/^convict\(/) });
  });

  it('top-level assignments to a local config object are applied, and config[NODE_ENV] is any of its sections', () => {
    const files = {
      'knexfile.ts': `
import type { Knex } from 'knex';
const config: { [key: string]: Knex.Config } = {
  development: { client: 'sqlite3', connection: { filename: './dev.sqlite3' }, useNullAsDefault: true },
};
config.production = { client: 'pg', connection: process.env.DATABASE_URL };
config.development.migrations = { directory: './migrations' };
export default config;
`,
      'config/database.js': `
const config = require('./config.json');
module.exports = config[process.env.NODE_ENV || 'development'];
`,
      'config/config.json': '{ "development": { "dialect": "sqlite" }, "production": { "use_env_variable": "DATABASE_URL", "dialect": "postgres" } }',
    };
    expect(defaultOf(files, 'knexfile.ts')).toEqual({
      development: { client: 'sqlite3', connection: { filename: './dev.sqlite3' }, useNullAsDefault: true, migrations: { directory: './migrations' } },
      production: { client: 'pg', connection: { env: 'DATABASE_URL' } },
    });
    const sequelize = readModule(project(files), 'config/database.js').defaultExport;
    expect(plain(sequelize)).toEqual({ oneOf: [{ dialect: 'sqlite' }, { use_env_variable: 'DATABASE_URL', dialect: 'postgres' }] });
    expect(asString(property(sequelize, 'use_env_variable'))).toBe('DATABASE_URL');
    expect(branches(sequelize).map((b) => asString(property(b, 'dialect')))).toEqual(['sqlite', 'postgres']);
  });
});

describe('readModule: drizzle, prisma, kysely', () => {
  it('drizzle.config.ts: defineConfig, and dbCredentials.url from a zod-validated env in ./src/env', () => {
    const files = {
      'drizzle.config.ts': `
import 'dotenv/config';
import { defineConfig } from 'drizzle-kit';
import { env } from './src/env';

export default defineConfig({
  dialect: 'postgresql',
  schema: './src/db/schema.ts',
  out: './drizzle',
  dbCredentials: { url: env.DATABASE_URL },
  migrations: { table: '__migrations', schema: 'public' },
  strict: true,
} satisfies Parameters<typeof defineConfig>[0]);
`,
      'src/env.ts': `
import { z } from 'zod';

const EnvSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  DATABASE_URL: z.string().url(),
});

export const env = EnvSchema.parse(process.env);
export type Env = z.infer<typeof EnvSchema>;
`,
    };
    const module = readModule(project(files), 'drizzle.config.ts');
    expect(plain(module.defaultExport)).toEqual({
      dialect: 'postgresql',
      schema: './src/db/schema.ts',
      out: './drizzle',
      dbCredentials: { url: { env: 'DATABASE_URL' } },
      migrations: { table: '__migrations', schema: 'public' },
      strict: true,
    });
    expect(envVariable(property(module.defaultExport, 'dbCredentials', 'url'))?.name).toBe('DATABASE_URL');
    expect(module.envReads()).toEqual([{ name: 'DATABASE_URL', line: 10 }]);
  });

  it('prisma.config.ts: env() from prisma/config', () => {
    const files = {
      'prisma.config.ts': `
import path from 'node:path';
import { defineConfig, env } from 'prisma/config';

export default defineConfig({
  schema: path.join('prisma', 'schema.prisma'),
  migrations: { path: 'prisma/migrations', seed: 'tsx prisma/seed.ts' },
  datasource: { url: env('DATABASE_URL'), shadowDatabaseUrl: env('SHADOW_DATABASE_URL') },
});
`,
    };
    expect(defaultOf(files, 'prisma.config.ts')).toEqual({
      // A relative path joined without a base stays a string: the tool resolves it.
      schema: 'prisma/schema.prisma',
      migrations: { path: 'prisma/migrations', seed: 'tsx prisma/seed.ts' },
      datasource: { url: { env: 'DATABASE_URL' }, shadowDatabaseUrl: { env: 'SHADOW_DATABASE_URL' } },
    });
    expect(
      readModule(project(files), 'prisma.config.ts')
        .envReads()
        .map((r) => r.name),
    ).toEqual(['DATABASE_URL', 'SHADOW_DATABASE_URL']);
  });

  it('kysely.config.ts: constructed dialect and pool keep their options, tagged with the constructor', () => {
    const files = {
      'kysely.config.ts': `
import { PostgresDialect } from 'kysely';
import { defineConfig } from 'kysely-ctl';
import { Pool } from 'pg';

export default defineConfig({
  dialect: new PostgresDialect({ pool: new Pool({ connectionString: process.env.DATABASE_URL, max: 5 }) }),
  migrations: { migrationFolder: 'db/migrations' },
});
`,
    };
    const module = readModule(project(files), 'kysely.config.ts');
    expect(plain(module.defaultExport)).toEqual({
      dialect: { pool: { connectionString: { env: 'DATABASE_URL' }, max: 5, $new: 'Pool' }, $new: 'PostgresDialect' },
      migrations: { migrationFolder: 'db/migrations' },
    });
    expect(module.constructions('Pool').map((args) => args.map(plain))).toEqual([[{ connectionString: { env: 'DATABASE_URL' }, max: 5 }]]);
  });
});

describe('readModule: TypeORM and MikroORM', () => {
  const dataSource = `
import 'reflect-metadata';
import { join } from 'node:path';
import { DataSource } from 'typeorm';

export const AppDataSource = new DataSource({
  type: process.env.DATABASE_TYPE as any,
  url: \`postgres://\${process.env.DB_USER}:\${process.env.DB_PASSWORD}@\${process.env.DB_HOST ?? 'localhost'}:5432/app\`,
  port: parseInt(process.env.DB_PORT ?? '5432', 10),
  ssl: Boolean(process.env.DB_SSL),
  entities: [join(__dirname, '**', '*.entity.{ts,js}')],
  migrations: [__dirname + '/migrations/**/*{.ts,.js}'],
  synchronize: false,
});
`;

  it('new DataSource({…}) reads as its options, tagged DataSource; conversions and templates keep the env reads', () => {
    const module = readModule(project({ 'src/db/data-source.ts': dataSource }), 'src/db/data-source.ts');
    expect(module.defaultExport).toBeUndefined();
    expect(plain(module.named.get('AppDataSource'))).toEqual({
      type: { env: 'DATABASE_TYPE' },
      url: {
        template: ['postgres://', { env: 'DB_USER' }, ':', { env: 'DB_PASSWORD' }, '@', { env: 'DB_HOST', fallback: 'localhost' }, ':5432/app'],
      },
      port: { env: 'DB_PORT', fallback: '5432', conversion: 'number' },
      ssl: { env: 'DB_SSL', conversion: 'boolean' },
      entities: [{ path: 'src/db/**/*.entity.{ts,js}' }],
      migrations: [{ path: 'src/db/migrations/**/*{.ts,.js}' }],
      synchronize: false,
      $new: 'DataSource',
    });
    expect(module.constructions('DataSource')).toHaveLength(1);
    expect(plain(module.constructions('DataSource')[0]![0])).toMatchObject({ synchronize: false });
    expect(envVariable(property(module.named.get('AppDataSource'), 'url'))?.name).toBe('DB_USER');
    // Cut at 80 characters.
    expect(describeValue(property(module.named.get('AppDataSource'), 'url'))).toBe(
      '`postgres://${process.env.DB_USER}:${process.env.DB_PASSWORD}@${process.env.DB_…',
    );
    expect(describeValue(property(module.named.get('AppDataSource'), 'port'))).toBe("Number(process.env.DB_PORT ?? '5432')");
    expect(module.envReads().map((r) => r.name)).toEqual(['DATABASE_TYPE', 'DB_USER', 'DB_PASSWORD', 'DB_HOST', 'DB_PORT', 'DB_SSL']);
  });

  it('mikro-orm.config.ts: defineConfig from a driver package, paths as written', () => {
    const files = {
      'src/mikro-orm.config.ts': `
import { defineConfig } from '@mikro-orm/postgresql';
import { Migrator } from '@mikro-orm/migrations';

export default defineConfig({
  clientUrl: process.env.DATABASE_URL,
  dbName: process.env.DB_NAME ?? 'app',
  entities: ['dist/**/*.entity.js'],
  entitiesTs: ['src/**/*.entity.ts'],
  extensions: [Migrator],
  migrations: { path: 'dist/migrations', pathTs: 'src/migrations', tableName: 'mikro_orm_migrations' },
  debug: process.env.NODE_ENV !== 'production',
});
`,
    };
    const config = readModule(project(files), 'src/mikro-orm.config.ts').defaultExport;
    expect(plain(property(config, 'migrations'))).toEqual({ path: 'dist/migrations', pathTs: 'src/migrations', tableName: 'mikro_orm_migrations' });
    expect(plain(property(config, 'clientUrl'))).toEqual({ env: 'DATABASE_URL' });
    expect(plain(property(config, 'dbName'))).toEqual({ env: 'DB_NAME', fallback: 'app' });
    expect(plain(property(config, 'extensions'))).toEqual([{ unknown: "Migrator (from '@mikro-orm/migrations')" }]);
    expect(plain(property(config, 'debug'))).toEqual({ unknown: "process.env.NODE_ENV !== 'production'" });
  });
});

describe('readModule: conditionals and functions', () => {
  it('a ternary on NODE_ENV keeps both branches; property() takes the first branch that has the path', () => {
    const files = {
      'ormconfig.ts': `
const isProduction = process.env.NODE_ENV === 'production';
export default isProduction
  ? { type: 'postgres', url: process.env.DATABASE_URL, migrations: ['dist/migrations/*.js'] }
  : { type: 'sqlite', database: 'dev.sqlite', migrations: ['src/migrations/*.ts'] };
`,
    };
    const config = readModule(project(files), 'ormconfig.ts').defaultExport;
    expect(plain(config)).toEqual({
      oneOf: [
        { type: 'postgres', url: { env: 'DATABASE_URL' }, migrations: ['dist/migrations/*.js'] },
        { type: 'sqlite', database: 'dev.sqlite', migrations: ['src/migrations/*.ts'] },
      ],
    });
    expect(branches(config)).toHaveLength(2);
    expect(asString(property(config, 'type'))).toBe('postgres');
    expect(branches(config).map((branch) => asString(property(branch, 'type')))).toEqual(['postgres', 'sqlite']);
    expect(plain(property(config, 'url'))).toEqual({ env: 'DATABASE_URL' });
    expect(asString(property(config, 'database'))).toBe('dev.sqlite');
    expect(describeValue(property(config, 'migrations', '0'))).toBe("'dist/migrations/*.js'");
  });

  it('|| and ?? with known left sides pick a side; a known condition picks its branch', () => {
    const files = {
      'config.js': `
const mode = 'production';
module.exports = {
  a: '' || 'fallback',
  b: 'set' || 'fallback',
  c: null ?? 3,
  d: 0 ?? 3,
  e: mode === 'production' ? 'prod' : 'dev',
  f: process.env.A ?? process.env.B ?? 'x',
  g: process.env.FLAG && { ssl: true },
  h: 60 * 1000,
  i: !true,
  j: 'a' + 1 + 2,
};
`,
    };
    expect(defaultOf(files, 'config.js')).toEqual({
      a: 'fallback',
      b: 'set',
      c: 3,
      d: 0,
      e: 'prod',
      f: { env: 'A', fallback: { env: 'B', fallback: 'x' } },
      g: { oneOf: [{ env: 'FLAG' }, { ssl: true }] },
      h: 60000,
      i: false,
      j: 'a12',
    });
  });

  it('functions returning an object read as that object, marked as a function', () => {
    const arrow = { 'a.config.ts': "export default () => ({ out: './drizzle' });" };
    const asyncArrow = { 'b.config.mjs': 'export default async ({ mode }) => ({ mode, url: process.env.DATABASE_URL });' };
    const block = {
      'c.config.js': `
module.exports = function () {
  const dir = 'migrations';
  if (process.env.CI) {
    return { directory: dir, ci: true };
  }
  return { directory: dir };
};
`,
    };
    expect(defaultOf(arrow, 'a.config.ts')).toEqual({ fromFunction: { out: './drizzle' } });
    expect(defaultOf(asyncArrow, 'b.config.mjs')).toEqual({ fromFunction: { mode: { unknown: 'mode' }, url: { env: 'DATABASE_URL' } } });
    expect(defaultOf(block, 'c.config.js')).toEqual({ fromFunction: { oneOf: [{ directory: 'migrations', ci: true }, { directory: 'migrations' }] } });
    expect(describeValue(readModule(project(arrow), 'a.config.ts').defaultExport)).toBe('() => { out }');
  });

  it("the file's own functions are called with their arguments; a local defineConfig returns what it is given", () => {
    const files = {
      'db.config.ts': `
function defineConfig<T>(config: T): T { return config; }
const section = (name: string, port = 5432) => ({ database: name, port, url: \`postgres://db:\${port}/\${name}\` });
const sections = { primary: section('app'), replica: section('app_ro', 5433) };
export default defineConfig({ ...sections, legacy: section(process.env.LEGACY_DB!) });
`,
    };
    expect(defaultOf(files, 'db.config.ts')).toEqual({
      primary: { database: 'app', port: 5432, url: 'postgres://db:5432/app' },
      replica: { database: 'app_ro', port: 5433, url: 'postgres://db:5433/app_ro' },
      legacy: { database: { env: 'LEGACY_DB' }, port: 5432, url: { template: ['postgres://db:5432/', { env: 'LEGACY_DB' }] } },
    });
  });

  it('a function calling itself stops at the call limit', () => {
    const files = { 'loop.js': 'const f = (n) => f(n + 1); module.exports = { value: f(0) };' };
    expect(defaultOf(files, 'loop.js')).toEqual({ value: { unknown: 'f(n + 1)', reason: 'calls nested too deeply to read' } });
  });
});

describe('readModule: environment reads', () => {
  it('every way of reading a variable, with fallbacks from ??, || and destructuring defaults', () => {
    const files = {
      'settings.mjs': `
const { DB_HOST = 'localhost', DB_PORT, ...others } = process.env;
const { env } = process;
export const settings = {
  host: DB_HOST,
  port: +DB_PORT,
  user: process.env['DB_USER'] || 'postgres',
  password: env.DB_PASSWORD,
  bun: Bun.env.BUN_VAR,
  vite: import.meta.env.VITE_API_URL,
  rest: others.REST_VAR,
  name: String(process.env.DB_NAME ?? 'app').trim(),
};
`,
    };
    const module = readModule(project(files), 'settings.mjs');
    expect(plain(module.named.get('settings'))).toEqual({
      host: { env: 'DB_HOST', fallback: 'localhost' },
      port: { env: 'DB_PORT', conversion: 'number' },
      user: { env: 'DB_USER', fallback: 'postgres' },
      password: { env: 'DB_PASSWORD' },
      bun: { env: 'BUN_VAR' },
      vite: { env: 'VITE_API_URL' },
      rest: { env: 'REST_VAR' },
      name: { env: 'DB_NAME', fallback: 'app', conversion: 'string' },
    });
    expect(module.envReads()).toEqual([
      { name: 'DB_HOST', fallback: { kind: 'literal', value: 'localhost' }, line: 2 },
      { name: 'DB_PORT', line: 2 },
      { name: 'DB_USER', fallback: { kind: 'literal', value: 'postgres' }, line: 7 },
      { name: 'DB_PASSWORD', line: 8 },
      { name: 'BUN_VAR', line: 9 },
      { name: 'VITE_API_URL', line: 10 },
      { name: 'REST_VAR', line: 11 },
      { name: 'DB_NAME', fallback: { kind: 'literal', value: 'app' }, line: 12 },
    ]);
  });

  it('validated env objects: createEnv (runtimeEnv), cleanEnv, envSchema, convict', () => {
    const files = {
      'src/env.ts': `
import { createEnv } from '@t3-oss/env-nextjs';
import { z } from 'zod';
export const env = createEnv({
  server: { DATABASE_URL: z.string().url() },
  client: { NEXT_PUBLIC_SITE: z.string() },
  runtimeEnv: { DATABASE_URL: process.env.POSTGRES_URL, NEXT_PUBLIC_SITE: process.env.NEXT_PUBLIC_SITE },
});
`,
      'src/envalid.ts': `
import { cleanEnv, str, port } from 'envalid';
export const env = cleanEnv(process.env, { DATABASE_URL: str(), PORT: port({ default: 3000 }) });
`,
      'src/schema-env.js': `
const envSchema = require('env-schema');
const config = envSchema({ schema: { type: 'object', properties: { DATABASE_URL: { type: 'string' } } }, dotenv: true });
module.exports = config;
`,
      'db.ts': `
import { env } from './src/env';
import { env as checked } from './src/envalid';
import schemaEnv from './src/schema-env.js';
export default {
  t3: env.DATABASE_URL,
  site: env.NEXT_PUBLIC_SITE,
  envalid: checked.DATABASE_URL,
  port: checked.PORT,
  helper: checked.isProduction,
  envSchema: schemaEnv.DATABASE_URL,
};
`,
    };
    expect(defaultOf(files, 'db.ts')).toEqual({
      // runtimeEnv says where createEnv takes each variable from.
      t3: { env: 'POSTGRES_URL' },
      site: { env: 'NEXT_PUBLIC_SITE' },
      envalid: { env: 'DATABASE_URL' },
      port: { env: 'PORT' },
      helper: { unknown: 'checked.isProduction' },
      envSchema: { env: 'DATABASE_URL' },
    });
  });
});

describe('readModule: paths', () => {
  it('__dirname, import.meta.dirname, process.cwd(), new URL(…, import.meta.url), fileURLToPath + dirname', () => {
    const files = {
      'src/config/paths.mjs': `
import path, { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
const here = dirname(fileURLToPath(import.meta.url));
export default {
  joined: path.join(__dirname, '..', 'migrations'),
  resolved: path.resolve(import.meta.dirname, 'seeds/'),
  fromCwd: path.resolve(process.cwd(), 'db', 'migrations'),
  bareResolve: path.resolve('db/migrations'),
  template: \`\${__dirname}/sql\`,
  url: new URL('../../drizzle', import.meta.url).pathname,
  here: path.join(here, 'data'),
  relative: './stays/a/string',
  root: path.join(__dirname, '../..'),
};
`,
    };
    expect(defaultOf(files, 'src/config/paths.mjs')).toEqual({
      joined: { path: 'src/migrations' },
      resolved: { path: 'src/config/seeds' },
      fromCwd: { path: 'db/migrations' },
      bareResolve: { path: 'db/migrations' },
      template: { path: 'src/config/sql' },
      url: { path: 'drizzle' },
      here: { path: 'src/config/data' },
      relative: './stays/a/string',
      root: { path: '.' },
    });
  });

  it("a tool's working directory: process.cwd() and path.resolve('x') start there, __dirname stays the file's", () => {
    const files = {
      'db/knexfile.js': `
const path = require('path');
const { base } = require('../config/paths.js');
module.exports = {
  cwd: process.cwd(),
  bareResolve: path.resolve('migrations'),
  joined: path.join(process.cwd(), 'seeds'),
  dirname: path.join(__dirname, 'sql'),
  imported: base,
};
`,
      'config/paths.js': "const path = require('path');\nmodule.exports = { base: path.resolve('shared') };\n",
    };
    const module = readModule(project(files), 'db/knexfile.js', { workingDirectory: 'db' });
    expect(plain(module.defaultExport)).toEqual({
      cwd: { path: 'db' },
      bareResolve: { path: 'db/migrations' },
      joined: { path: 'db/seeds' },
      dirname: { path: 'db/sql' },
      imported: { path: 'db/shared' },
    });
  });

  it('paths that leave the project are kept and marked', () => {
    const files = {
      'knexfile.js': `
const path = require('path');
module.exports = {
  shared: path.resolve(__dirname, '../../shared/migrations'),
  absolute: path.join('/var/lib/app', 'migrations'),
  resolvedAbsolute: path.resolve(__dirname, '/etc/app'),
};
`,
    };
    expect(defaultOf(files, 'knexfile.js')).toEqual({
      shared: { path: '../../shared/migrations', outside: true },
      absolute: { path: '/var/lib/app/migrations', outside: true },
      resolvedAbsolute: { path: '/etc/app', outside: true },
    });
  });
});

describe('readModule: modules', () => {
  it('ESM imports of .js names resolve to .ts sources, index files and JSON; re-exports are followed', () => {
    const files = {
      'config/index.ts': `
export { database as db } from './database.js';
export * from './paths';
import defaults from './defaults.json';
export const name = defaults.name;
const local = { level: 'info' };
export { local as logging, local as default };
`,
      'config/database.ts': "export const database = { client: 'pg', connection: process.env.DATABASE_URL };",
      'config/paths/index.ts': "export const migrations = 'db/migrations';\nexport type Unused = string;",
      'config/defaults.json': '{ "name": "app", "port": 3000 }',
      'app.config.ts': `
import * as everything from './config';
import settings, { db, migrations } from './config/index.js';
import { port } from './config/defaults.json';
export default { db, migrations, settings, port, names: Object.keys(everything), ns: everything.name };
`,
    };
    const module = readModule(project(files), 'config/index.ts');
    expect([...module.named.keys()]).toEqual(['db', 'name', 'logging', 'migrations']);
    expect(plain(module.named.get('db'))).toEqual({ client: 'pg', connection: { env: 'DATABASE_URL' } });
    expect(plain(module.named.get('migrations'))).toBe('db/migrations');
    expect(plain(module.defaultExport)).toEqual({ level: 'info' });
    expect(defaultOf(files, 'app.config.ts')).toEqual({
      db: { client: 'pg', connection: { env: 'DATABASE_URL' } },
      migrations: 'db/migrations',
      settings: { level: 'info' },
      port: 3000,
      names: { unknown: 'Object.keys(everything)' },
      ns: 'app',
    });
  });

  it('CommonJS exports.x, require of an ES module (its namespace), and missing imports say why', () => {
    const files = {
      'lib/a.cjs': "exports.client = 'mysql2';\nexports.pool = { max: 4 };\nmodule.exports.pool.max = 8;",
      'lib/b.ts': 'export default { seeds: "./seeds" };\nexport const extra = 1;',
      'config.cjs': `
const a = require('./lib/a.cjs');
const b = require('./lib/b');
const missing = require('./lib/nope');
const outside = require('../elsewhere');
module.exports = { client: a.client, pool: a.pool, seeds: b.default.seeds, extra: b.extra, missing, outside };
`,
    };
    expect(defaultOf(files, 'config.cjs')).toEqual({
      client: 'mysql2',
      pool: { max: 8 },
      seeds: './seeds',
      extra: 1,
      missing: { unknown: "import('./lib/nope')", reason: './lib/nope: no such file (from config.cjs)' },
      outside: { unknown: "import('../elsewhere')", reason: '../elsewhere is outside the project' },
    });
    const factory = readModule(project({ 'factory.js': 'module.exports = (env) => ({ client: "pg", debug: env === "development" });' }), 'factory.js');
    expect(plain(factory.defaultExport)).toEqual({ fromFunction: { client: 'pg', debug: { unknown: 'env === "development"' } } });
    expect([...factory.named.keys()]).toEqual([]);
  });

  it('an import cycle reads as unknown where it closes, without looping', () => {
    const files = {
      'a.js': "const b = require('./b');\nmodule.exports = { name: 'a', other: b.name, viaB: b.other };",
      'b.js': "const a = require('./a');\nmodule.exports = { name: 'b', other: a.name };",
      'x.ts': "export * from './y';\nexport const x = 1;",
      'y.ts': "export * from './x';\nexport const y = 2;",
    };
    // Read from a.js, b.js meets a.js while a.js is still being read.
    expect(defaultOf(files, 'a.js')).toEqual({ name: 'a', other: 'b', viaB: { unknown: 'a.name', reason: 'import cycle through a.js' } });
    expect(defaultOf(files, 'b.js')).toEqual({ name: 'b', other: 'a' });
    const x = readModule(project(files), 'x.ts');
    expect([...x.named.keys()]).toEqual(['x', 'y']);
    expect(plain(x.named.get('y'))).toBe(2);
  });

  it('a syntax error in an imported file reads as unknown with the reason; in the file itself it throws', () => {
    const files = {
      'broken.ts': "export const config = {\n  client: 'pg',,\n};",
      'knexfile.ts': "import { config } from './broken';\nexport default { ...config, debug: true };",
    };
    expect(defaultOf(files, 'knexfile.ts')).toEqual({ debug: true, $incomplete: true });
    expect(plain(readModule(project(files), 'knexfile.ts').named.get('x'))).toBe('<absent>');
    let error: unknown;
    try {
      readModule(project(files), 'broken.ts');
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigSyntaxError);
    expect({ ...(error as ConfigSyntaxError), message: (error as Error).message }).toEqual({
      name: 'ConfigSyntaxError',
      file: 'broken.ts',
      line: 2,
      column: 16,
      message: 'Unexpected token',
    });
  });

  it('TypeScript-only syntax is ignored', () => {
    const files = {
      'config.ts': `
import type { Config } from './types';
interface Extra { debug?: boolean }
enum Mode { A }
const dialect = 'postgresql' as const;
const base = <const>{ out: 'drizzle' };
export default {
  dialect,
  ...base,
  url: process.env.DATABASE_URL!,
  frozen: Object.freeze({ table: 'migrations' }),
  casted: (process.env.PORT as unknown as number),
  generic: identity<string>('x'),
} satisfies Config;
function identity<T>(value: T): T { return value; }
`,
    };
    expect(defaultOf(files, 'config.ts')).toEqual({
      dialect: 'postgresql',
      out: 'drizzle',
      url: { env: 'DATABASE_URL' },
      frozen: { table: 'migrations' },
      casted: { env: 'PORT' },
      generic: 'x',
    });
  });

  it('unknown spreads and computed keys mark the object incomplete; library calls keep their callee and arguments', () => {
    const files = {
      'config.js': `
import { getSecrets } from './secrets-client.js';
import pino from 'pino';
const key = process.env.KEY_NAME;
export default {
  ...getSecrets(),
  [key]: 1,
  ['literal' + 'Key']: 2,
  logger: pino({ level: 'info' }),
};
`,
      'secrets-client.js': 'export async function getSecrets() { const r = await fetch("http://vault"); return r.json(); }',
    };
    const config = readModule(project(files), 'config.js').defaultExport;
    expect(plain(config)).toEqual({ literalKey: 2, logger: { unknown: "pino({ level: 'info' })" }, $incomplete: true });
    expect(property(config, 'logger')).toMatchObject({ call: { callee: 'pino', module: 'pino', args: [{ kind: 'object' }] } });
    expect(
      readModule(project(files), 'config.js')
        .constructions('pino')
        .map((args) => args.map(plain)),
    ).toEqual([[{ level: 'info' }]]);
  });
});

describe('readModule: limits', () => {
  it('a file nested too deeply for the parser is refused with ConfigSyntaxError', () => {
    const text = `export default ${'['.repeat(5000)}${']'.repeat(5000)};`;
    expect(() => readModule(project({ 'deep.js': text }), 'deep.js')).toThrow(new ConfigSyntaxError('deep.js', 1, 1, 'nested too deeply to read'));
  });

  it('nesting the parser accepts but past the evaluation depth reads as unknown, without a stack overflow', () => {
    const depth = 200;
    const text = `export default ${'{ a: '.repeat(depth)}1${' }'.repeat(depth)};`;
    let value = readModule(project({ 'deep.js': text }), 'deep.js').defaultExport;
    let levels = 0;
    while (value?.kind === 'object') {
      value = property(value, 'a');
      levels++;
    }
    expect(levels).toBeGreaterThan(100);
    expect(levels).toBeLessThan(depth);
    expect(value).toMatchObject({ kind: 'unknown', reason: 'nested too deeply to read' });
  });

  it('strings doubling through constants stop at the length limit; long operator chains stay bounded', () => {
    const doubling = [
      "const s0 = 'xxxxxxxxxxxxxxxx';",
      ...Array.from({ length: 30 }, (_, i) => `const s${i + 1} = s${i} + s${i};`),
      'export default s30;',
    ].join('\n');
    expect(readModule(project({ 'big.js': doubling }), 'big.js').defaultExport).toMatchObject({ kind: 'unknown', reason: 'string too long to read' });
    const chain = `export default 1${' + 1'.repeat(800)};`;
    expect(readModule(project({ 'chain.js': chain }), 'chain.js').defaultExport).toMatchObject({ kind: 'unknown', reason: 'nested too deeply to read' });
  });

  it('a file larger than the limit is refused', () => {
    const text = `export default '${'x'.repeat(1_000_001)}';`;
    expect(() => readModule(project({ 'huge.js': text }), 'huge.js')).toThrow(/too large to read/);
  });

  it('a long chain of imports stops at the import depth', () => {
    const files: Record<string, string> = { 'm0.js': "module.exports = require('./m1');" };
    for (let i = 1; i < 20; i++) files[`m${i}.js`] = `module.exports = require('./m${i + 1}');`;
    files['m20.js'] = "module.exports = 'end';";
    expect(defaultOf(files, 'm0.js')).toEqual({ unknown: "import('./m9')", reason: 'imports nested more than 8 deep' });
  });
});

describe('value helpers', () => {
  it('describe gives short text for every kind of value', () => {
    const files = {
      'v.js': `
module.exports = {
  s: 'text', n: 5, env: process.env.URL ?? 'x', num: Number(process.env.PORT),
  obj: { a: 1, b: 2, c: 3, d: 4, e: 5 }, arr: [1, 2, 3, 4], either: process.env.X ? 'a' : 'b',
  path: require('path').join(__dirname, 'm'), call: foo(1),
};
`,
    };
    const value = readModule(project(files), 'v.js').defaultExport;
    const describedProperty = (key: string): string => describeValue(property(value, key));
    expect(['s', 'n', 'env', 'num', 'obj', 'arr', 'either', 'path', 'call'].map(describedProperty)).toEqual([
      "'text'",
      '5',
      "process.env.URL ?? 'x'",
      'Number(process.env.PORT)',
      '{ a, b, c, d, … }',
      '[1, 2, 3, …]',
      "'a' or 'b'",
      'm',
      'foo(1)',
    ]);
    expect(describeValue(undefined)).toBe('nothing');
  });

  it('envVariable finds the first env read through templates and branches; asString only certain strings', () => {
    const template: JsValue = {
      kind: 'template',
      parts: [
        { kind: 'literal', value: 'mysql://' },
        { kind: 'env', name: 'DB_HOST' },
      ],
    };
    expect(envVariable({ kind: 'oneOf', options: [{ kind: 'literal', value: 'x' }, template] })?.name).toBe('DB_HOST');
    expect(envVariable({ kind: 'literal', value: 'x' })).toBeUndefined();
    expect(
      asString({
        kind: 'oneOf',
        options: [
          { kind: 'literal', value: 'pg' },
          { kind: 'literal', value: 'pg' },
        ],
      }),
    ).toBe('pg');
    expect(asString({ kind: 'literal', value: 5 })).toBeUndefined();
    expect(branches(undefined)).toEqual([]);
  });
});
