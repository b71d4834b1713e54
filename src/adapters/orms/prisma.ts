import path from 'node:path';
import type { Project } from '../../project/project.js';
import { UserError } from '../../errors.js';
import { plainProjectPath } from '../../shared/syntax.js';
import type { DatabaseId, Detected, OrmAdapter, OrmDetection, RuntimeCopy } from '../types.js';
import { normaliseRelative, withoutComments } from '../../project/config-text.js';
import { asString, describe, property, type JsValue } from '../../project/js-module.js';
import { tsconfigChain } from '../../project/typescript.js';
import { selfMigrationWarnings, withProjectScript } from './common.js';
import { exportedConfig, pathOption, readConfig, variableOf } from './config.js';

const DEFAULT_SCHEMA = 'prisma/schema.prisma';
/** Where the CLI looks for a schema when nothing names one (a folder holds a multi-file schema). */
const SCHEMA_CANDIDATES = [DEFAULT_SCHEMA, 'schema.prisma', 'prisma/schema'];
const CONFIG_EXTENSIONS = ['.js', '.ts', '.mjs', '.cjs', '.mts', '.cts'];
/** The order @prisma/config 7.10 searches: prisma7.config.* first, then the older names. */
const CONFIG_FILES = [
  ...CONFIG_EXTENSIONS.map((ext) => `prisma7.config${ext}`),
  ...CONFIG_EXTENSIONS.map((ext) => `.config/prisma7${ext}`),
  ...['prisma.config', '.config/prisma', '.config/prisma.config'].flatMap((base) => [
    ...CONFIG_EXTENSIONS.map((ext) => `${base}${ext}`),
    ...CONFIG_EXTENSIONS.map((ext) => `${base}/index${ext}`),
  ]),
];

/** Datasource providers → databases the stack can run (sqlserver, mongodb: none). */
const PROVIDERS: Record<string, DatabaseId> = {
  postgresql: 'postgres',
  postgres: 'postgres',
  cockroachdb: 'postgres',
  mysql: 'mysql',
  sqlite: 'sqlite',
};

interface SchemaLocation {
  /** The schema file, or the folder of a multi-file schema. */
  schema: string;
  /** What named it (shown to the user). */
  source: string;
  /** The Prisma config file, when there is one, and what it exports. */
  configFile?: string;
  config?: JsValue;
}

/** A URL the migrate image can use for `prisma generate`, which loads the config but never connects. */
const PLACEHOLDER_URLS: Record<string, string> = {
  postgresql: 'postgresql://build:build@localhost:5432/build',
  postgres: 'postgresql://build:build@localhost:5432/build',
  cockroachdb: 'postgresql://build:build@localhost:26257/build',
  mysql: 'mysql://build:build@localhost:3306/build',
  sqlite: 'file:/tmp/build.db',
};
const isMigrate = (args: readonly string[]) => args[0] === 'migrate' && args[1] === 'deploy';

interface PrismaBlock {
  kind: 'datasource' | 'generator';
  file: string;
  body: string;
}

export const prisma: OrmAdapter = {
  id: 'prisma',
  label: 'Prisma',
  takesOwnLock: true,
  lockNote: 'Prisma Migrate serialises runs itself with a database lock (PostgreSQL pg_advisory_lock, MySQL GET_LOCK), waiting up to 10 s.',
  migrationTable: '_prisma_migrations',
  migrationNameColumn: 'migration_name',
  cliNames: ['prisma'],
  packages: ['prisma', '@prisma/client'],
  setupHint: 'Prisma schema (prisma/schema.prisma, or the one prisma.config.ts names)',
  detect(project, context) {
    const location = locateSchema(project, context.ormConfig);
    if (!location) return undefined;
    const { schema, configFile, config } = location;
    // `prisma generate --schema <schema>` runs in the Dockerfile among other words: a plain path only.
    plainProjectPath(schema, `${project.abs(configFile ?? 'package.json')}: the Prisma schema`);
    if (!project.hasDependency('prisma') && !project.hasDependency('@prisma/client')) {
      throw new UserError(
        `${project.abs(configFile ?? schema)}: found, but prisma is not in package.json dependencies: add it (npm install --save-dev prisma)`,
      );
    }

    const blocks = schemaBlocks(project, schema);
    const datasource = blocks.find((block) => block.kind === 'datasource');
    if (!datasource) {
      throw new UserError(`${project.abs(schema)}: no datasource block: add datasource db { provider = "postgresql" url = env("DATABASE_URL") }`);
    }
    const provider = /^\s*provider\s*=\s*"([^"]+)"/m.exec(datasource.body)?.[1];
    if (!provider)
      throw new UserError(`${project.abs(datasource.file)}: the datasource block has no provider: add provider = "postgresql" (or "mysql", "sqlite")`);
    if (provider === 'mongodb') {
      throw new UserError(
        `${project.abs(datasource.file)}: provider "mongodb" has no Prisma migrations (only db push, which must not run in production): use create-migrating-stack with a SQL database`,
      );
    }
    // An unknown provider is not PostgreSQL (nor whatever the drivers suggest): the stack can't run it.
    if (!Object.hasOwn(PROVIDERS, provider)) {
      throw new UserError(
        `${project.abs(datasource.file)}: provider "${provider}" is not a database the stack can run (${Object.keys(PROVIDERS).join(', ')}): fix the provider`,
      );
    }

    // prisma migrate deploy reads the migrations beside the file that holds the datasource,
    // unless the config file moves them (relative to the config's folder).
    const configuredMigrations =
      configFile && config
        ? pathOption(project, property(config, 'migrations', 'path'), {
            file: configFile,
            option: 'migrations.path',
            base: path.posix.dirname(configFile),
            example: "path: 'prisma/migrations'",
          })
        : undefined;
    const migrationsDir = configuredMigrations ?? normaliseRelative(path.posix.join(path.posix.dirname(datasource.file), 'migrations'));
    const schemaFlag = schema === DEFAULT_SCHEMA ? [] : ['--schema', schema];
    checkMigrations(project, migrationsDir, provider, schemaFlag);

    const urlVariable = urlVariableOf(project, datasource, location);
    const directUrl = /^\s*directUrl\s*=\s*env\(\s*"([^"]+)"\s*\)/m.exec(datasource.body)?.[1];
    const database = PROVIDERS[provider];
    // env() of prisma/config throws when the variable is unset, as it is while the image builds:
    // `prisma generate` (which never connects) gets a placeholder.
    const configUrl = config ? property(config, 'datasource', 'url') : undefined;
    const throwsUnset =
      configUrl?.kind === 'env' && configUrl.fallback === undefined && /\benv\(\s*['"]/.test(withoutComments(project.readText(configFile ?? '') ?? ''));
    const generateEnv = throwsUnset && configUrl.kind === 'env' ? `${configUrl.name}=${PLACEHOLDER_URLS[provider] ?? PLACEHOLDER_URLS.postgresql} ` : '';
    const detection: OrmDetection = {
      configFile: configFile ?? schema,
      migrationsDir,
      // The project's own CLI. deploy applies committed migrations only: never migrate dev or
      // db push, which can drop data.
      migrateCommand: ['node_modules/.bin/prisma', 'migrate', 'deploy', ...schemaFlag],
      cliPackage: 'prisma',
      ...(database ? { database: { value: database, source: datasource.file } } : {}),
      ...(urlVariable ? { urlVariable } : {}),
      // The client is generated right after the install (the schema, and the config that may
      // point at it, are copied before it); the build, migrate and runtime stages all take it
      // from there. Not left to @prisma/client's postinstall: Prisma 6.19's can't find the CLI
      // (measured), and pnpm, Bun and npm's allowScripts may not run it at all.
      installFiles: [...(configFile ? [configFile] : []), ...schemaFiles(project, schema), ...generatorTsconfigs(project, blocks)],
      installCommands: [`${generateEnv}${['node_modules/.bin/prisma', 'generate', ...schemaFlag].join(' ')}`],
      // The engines look for OpenSSL at run time; without it they assume 1.1.x and fail.
      systemPackages: ['openssl'],
      // Prisma's documented variable for an engine mirror: air-gapped CI, corporate proxies.
      buildArgs: ['PRISMA_ENGINES_MIRROR'],
      runtimeCopies: clientCopies(blocks),
      sqliteUrlPrefix: 'file:',
      warnings: [
        ...(directUrl ? [`${datasource.file}: directUrl reads ${directUrl}: set it for the migrate service too (migrate deploy connects through it)`] : []),
        ...selfMigrationWarnings(project, [{ pattern: /prisma\s+migrate\s+deploy/, what: 'prisma migrate deploy' }], configFile ? [configFile] : []),
      ],
    };
    return withProjectScript(project, detection, {
      cliNames: ['prisma'],
      binary: 'prisma',
      isMigrate,
      args: (invocation) =>
        invocation.args.includes('--schema') || invocation.args.some((arg) => arg.startsWith('--schema='))
          ? invocation.args
          : [...invocation.args, ...schemaFlag],
    });
  },
};

/** The schema the CLI would use: the config file's, package.json#prisma.schema's, or the default places. */
function locateSchema(project: Project, named: string | undefined): SchemaLocation | undefined {
  const configFile =
    named && /(^|\/)(prisma7?\.config|prisma7?)\.[cm]?[jt]s$|(^|\/)prisma\.config\//.test(named)
      ? named
      : project.firstExisting(CONFIG_FILES.filter((file) => !project.isDirectory(file)));
  if (configFile) {
    const config = exportedConfig(readConfig(project, configFile));
    if (config === undefined || config.kind === 'unknown') {
      throw new UserError(
        `${project.abs(configFile)}: can't read what it exports (${describe(config)}) without running it: export defineConfig({ schema, migrations, datasource })`,
      );
    }
    // Relative to the config file's folder, as @prisma/config resolves it.
    const schema = pathOption(project, property(config, 'schema'), {
      file: configFile,
      option: 'schema',
      base: path.posix.dirname(configFile),
      example: "schema: 'prisma/schema.prisma'",
    });
    if (schema) {
      if (!project.exists(schema)) throw new UserError(`${project.abs(configFile)}: schema "${schema}" does not exist: fix the schema path`);
      return { schema, source: configFile, configFile, config };
    }
    const fallback = project.firstExisting(SCHEMA_CANDIDATES);
    if (!fallback)
      throw new UserError(`${project.abs(configFile)}: no schema found (${SCHEMA_CANDIDATES.join(', ')}): add schema: 'prisma/schema.prisma' to it`);
    return { schema: fallback, source: fallback, configFile, config };
  }
  if (named && named.endsWith('.prisma')) return { schema: named, source: '--orm-config' };
  const fromPackage = (project.packageJson as { prisma?: { schema?: unknown } }).prisma?.schema;
  if (fromPackage !== undefined) {
    if (typeof fromPackage !== 'string' || !project.exists(fromPackage)) {
      throw new UserError(`${project.abs('package.json')}: prisma.schema ${JSON.stringify(fromPackage)} is not an existing schema file: fix the path`);
    }
    return { schema: normaliseRelative(fromPackage), source: 'package.json#prisma.schema' };
  }
  const found = project.firstExisting(SCHEMA_CANDIDATES);
  return found ? { schema: found, source: found } : undefined;
}

/** datasource and generator blocks of every file of the schema, comments removed. */
function schemaBlocks(project: Project, schema: string): PrismaBlock[] {
  const files = project.isDirectory(schema) ? project.sourceFiles([schema], ['.prisma']) : [schema];
  return files.flatMap((file) => {
    const text = withoutComments(project.readText(file) ?? '');
    return [...text.matchAll(/\b(datasource|generator)\s+\w+\s*\{([^}]*)\}/g)].map((m) => ({ kind: m[1] as PrismaBlock['kind'], file, body: m[2]! }));
  });
}

function checkMigrations(project: Project, migrationsDir: string, provider: string, schemaFlag: string[]): void {
  const migrations = project.list(migrationsDir).filter((name) => project.exists(`${migrationsDir}/${name}/migration.sql`));
  if (migrations.length === 0) {
    const command = ['npx', 'prisma', 'migrate', 'dev', '--name', 'init', ...schemaFlag].join(' ');
    throw new UserError(
      `${project.abs(migrationsDir)}: no Prisma migrations: create the first one against a development database (${command}) and commit ${migrationsDir}/ (the stack runs prisma migrate deploy, never migrate dev or db push)`,
    );
  }
  const lockFile = `${migrationsDir}/migration_lock.toml`;
  const locked = /^\s*provider\s*=\s*"([^"]+)"/m.exec(project.readText(lockFile) ?? '')?.[1];
  if (locked && locked !== provider) {
    throw new UserError(
      `${project.abs(lockFile)}: migrations were made for "${locked}" but the datasource provider is "${provider}": regenerate the migrations or fix the provider`,
    );
  }
}

/**
 * url = env("X") in the schema; Prisma 7 moves it to the config's datasource.url. A fixed URL
 * would point every container at the same place whatever the stack says: an error with the fix.
 */
function urlVariableOf(project: Project, datasource: PrismaBlock, location: SchemaLocation): Detected<string> | undefined {
  const fromSchema = /^\s*url\s*=\s*env\(\s*"([^"]+)"\s*\)/m.exec(datasource.body)?.[1];
  if (fromSchema) return { value: fromSchema, source: datasource.file };
  const literal = /^\s*url\s*=\s*"([^"]*)"/m.exec(datasource.body)?.[1];
  if (literal !== undefined) {
    throw new UserError(
      `${project.abs(datasource.file)}: the datasource url is a fixed value ("${literal}"): read it from a variable (url = env("DATABASE_URL")) so that the containers can point it at their database`,
    );
  }
  const configUrl = location.config ? property(location.config, 'datasource', 'url') : undefined;
  const fixed = asString(configUrl);
  if (fixed !== undefined && location.configFile) {
    throw new UserError(
      `${project.abs(location.configFile)}: datasource.url is a fixed value ('${fixed}'): read it from a variable (url: env('DATABASE_URL')) so that the containers can point it at their database`,
    );
  }
  const fromConfig = variableOf(configUrl);
  return fromConfig && location.configFile ? { value: fromConfig, source: location.configFile } : undefined;
}

/**
 * What `prisma generate` needs of the schema, copied before the install: the schema file, or the
 * .prisma files of a multi-file schema's folder. Never the migrations beside it: a new migration
 * (or a source edit) must leave both install layers cached.
 */
function schemaFiles(project: Project, schema: string): string[] {
  return project.isDirectory(schema) ? project.sourceFiles([schema], ['.prisma']) : [schema];
}

/**
 * The tsconfig files `prisma generate` reads: the `prisma-client` generator infers the extension
 * of its relative imports from tsconfig.json (and what it extends) unless importFileExtension is
 * set. Without it next to the schema when the client is generated after the install, the client
 * imports './internal/class.ts', which the compiled app can't load.
 */
function generatorTsconfigs(project: Project, blocks: PrismaBlock[]): string[] {
  const infers = blocks.some(
    (block) => block.kind === 'generator' && /^\s*provider\s*=\s*"prisma-client"/m.test(block.body) && !/^\s*importFileExtension\s*=/m.test(block.body),
  );
  return infers ? tsconfigChain(project, 'tsconfig.json') : [];
}

/**
 * prisma-client-js without an output generates into node_modules/.prisma, which only the deps
 * stage has (the runtime's production install gets a stub there); a client generated into the
 * source tree (prisma-client, or an output) reaches the runtime with the build.
 */
function clientCopies(blocks: PrismaBlock[]): RuntimeCopy[] {
  const defaultOutput = blocks.some(
    (block) => block.kind === 'generator' && /^\s*provider\s*=\s*"prisma-client-js"/m.test(block.body) && !/^\s*output\s*=/m.test(block.body),
  );
  return defaultOutput ? [{ stage: 'deps', from: 'node_modules/.prisma', to: 'node_modules/.prisma' }] : [];
}
