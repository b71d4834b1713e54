import path from 'node:path';
import type { Project } from '../../project/project.js';
import { UserError } from '../../errors.js';
import type { DatabaseId, DetectionContext, OrmAdapter, OrmDetection } from '../types.js';
import { withoutComments } from '../../project/config-text.js';
import { asString, property, type JsModule, type JsValue } from '../../project/js-module.js';
import { compiledJavaScriptPath, isTypeScript, sourcePathOf } from '../../project/typescript.js';
import { databaseForClient } from '../databases/index.js';
import { selfMigrationWarnings, withProjectScript } from './common.js';
import { connectionParts, exportedConfig, inMemoryError, isInMemory, pathOption, readConfig, valuesWithin, variableOf } from './config.js';

/** kysely-ctl's own lookup: kysely.config.* in the root or in .config/. */
const CTL_EXTENSIONS = ['ts', 'mts', 'cts', 'js', 'mjs', 'cjs'];
const CTL_CONFIGS = CTL_EXTENSIONS.flatMap((extension) => [`.config/kysely.config.${extension}`, `kysely.config.${extension}`]);
/** Where a migration script lives in practice; tests and build output are never searched. */
const SEARCH_DIRS = ['.', 'src', 'scripts', 'db', 'database', 'server', 'lib', 'app'];
const SOURCE_EXTENSIONS = ['.ts', '.mts', '.cts', '.js', '.mjs', '.cjs'];
const KYSELY_IMPORT = /\bfrom\s*['"]kysely(?:\/migration)?['"]|\brequire\(\s*['"]kysely(?:\/migration)?['"]\s*\)/;
const NEW_MIGRATOR = /\bnew\s+Migrator\s*\(/;
const DIALECT_CLASSES: Record<string, DatabaseId> = {
  PostgresDialect: 'postgres',
  PostgresJSDialect: 'postgres',
  NeonDialect: 'postgres',
  MysqlDialect: 'mysql',
  SqliteDialect: 'sqlite',
};
/** Options of a driver that hold the connection URL (pg's connectionString, mysql2's uri, libSQL's url). */
const URL_KEYS = ['connectionString', 'uri', 'url', 'connection'];
/** Driver packages whose factories and classes take the connection (or its options) first. */
const DRIVER_MODULES = new Set([
  'pg',
  'postgres',
  'mysql2',
  'mysql2/promise',
  'mariadb',
  'better-sqlite3',
  'sqlite3',
  '@libsql/client',
  '@neondatabase/serverless',
]);
const CTL_CLI_NAMES = ['kysely'];
const isMigrate = (args: readonly string[]) => args[0] === 'migrate:latest' || (args[0] === 'migrate' && args[1] === 'latest');
const SELF_MIGRATION = [{ pattern: /\.migrateToLatest\s*\(/, what: 'migrator.migrateToLatest()' }];

export const kysely: OrmAdapter = {
  id: 'kysely',
  label: 'Kysely',
  takesOwnLock: true,
  lockNote: "Kysely's Migrator serialises runs itself (a PostgreSQL advisory lock, MySQL GET_LOCK): a second run waits, then finds nothing to apply.",
  migrationTable: 'kysely_migration',
  migrationNameColumn: 'name',
  cliNames: ['kysely', 'kysely-ctl'],
  packages: ['kysely'],
  setupHint: 'kysely-ctl config (kysely.config.ts) or Migrator with a migrations folder',
  detect(project, context) {
    if (!project.hasDependency('kysely')) return undefined;
    const ctlConfig = (isCtlConfig(context.ormConfig) ? context.ormConfig : undefined) ?? project.firstExisting(CTL_CONFIGS);
    if (ctlConfig) return detectCtl(project, ctlConfig);
    const script = namedScript(project, context) ?? findMigrationScript(project);
    return script ? detectScript(project, script) : undefined;
  },
};

/** kysely-ctl: `kysely migrate:latest` loads kysely.config.ts itself (TypeScript included, through jiti). */
function detectCtl(project: Project, configFile: string): OrmDetection {
  if (!project.hasDependency('kysely-ctl')) {
    throw new UserError(`${project.abs(configFile)}: found, but kysely-ctl is not in package.json dependencies: add it (npm install --save-dev kysely-ctl)`);
  }
  const module = readConfig(project, configFile);
  const config = exportedConfig(module);
  if (config === undefined) {
    throw new UserError(`${project.abs(configFile)}: exports no configuration: export it (export default defineConfig({...}))`);
  }
  // kysely-ctl reads the folder from its working directory, the project root; default migrations/.
  const migrations = property(config, 'migrations');
  const migrationsDir =
    pathOption(project, property(migrations, 'migrationFolder'), {
      file: configFile,
      option: 'migrations.migrationFolder',
      base: '.',
      example: "migrationFolder: 'migrations'",
    }) ?? 'migrations';
  if (!project.isDirectory(migrationsDir)) {
    throw new UserError(
      `${project.abs(migrationsDir)}: the migration folder of ${configFile} does not exist: create a migration (npx kysely migrate:make init) or fix migrations.migrationFolder`,
    );
  }
  const dialect = databaseForClient(asString(property(config, 'dialect')));
  const table = asString(property(migrations, 'migrationTableName'));
  const detection: OrmDetection = {
    configFile,
    migrationsDir,
    migrateCommand: ['node_modules/.bin/kysely', 'migrate:latest'],
    cliPackage: 'kysely-ctl',
    ...connection(project, configFile, module, config, dialect),
    ...(table ? { migrationTable: table } : {}),
    warnings: selfMigrationWarnings(project, SELF_MIGRATION, [configFile]),
  };
  return withProjectScript(project, detection, { cliNames: CTL_CLI_NAMES, binary: 'kysely', isMigrate });
}

function isCtlConfig(file: string | undefined): file is string {
  return file !== undefined && /(^|\/)kysely\.config\.[cm]?[jt]s$/.test(file);
}

/** A Migrator script --orm-config names. */
function namedScript(project: Project, context: DetectionContext): string | undefined {
  const named = context.ormConfig;
  if (named === undefined || !SOURCE_EXTENSIONS.includes(path.posix.extname(named))) return undefined;
  return NEW_MIGRATOR.test(withoutComments(project.readText(named) ?? '')) ? named : undefined;
}

/**
 * The project's own migration script (Migrator + a provider, migrateToLatest()): the image runs
 * its compiled JavaScript with node. Several → the one a package.json script runs, else an error.
 */
function findMigrationScript(project: Project): string | undefined {
  const candidates = project
    .sourceFiles(SEARCH_DIRS, SOURCE_EXTENSIONS)
    .filter((file) => !/(^|\/)(tests?|__tests__|e2e)\/|\.(test|spec)\.[cm]?[jt]s$/.test(file))
    .filter((file) => {
      const text = withoutComments(project.readText(file) ?? '');
      return KYSELY_IMPORT.test(text) && NEW_MIGRATOR.test(text) && /\.migrateToLatest\s*\(/.test(text);
    });
  if (candidates.length <= 1) return candidates[0];
  const scripts = Object.values(project.packageJson.scripts ?? {}).join('\n');
  const stem = (file: string) => path.posix.basename(file).replace(/\.[cm]?[jt]s$/, '');
  const named = candidates.filter((file) => new RegExp(`[\\s/]${stem(file)}\\.[cm]?[jt]s\\b`).test(scripts));
  if (named.length === 1) return named[0];
  throw new UserError(
    `${project.abs('package.json')}: several files run Kysely's Migrator (${candidates.join(', ')}): name the one that migrates to the latest version in a script (e.g. "migrate": "node dist/migrate.js")`,
  );
}

function detectScript(project: Project, script: string): OrmDetection {
  const text = withoutComments(project.readText(script) ?? '');
  const why = `the image runs the compiled ${script} with node`;
  const compiled = compiledJavaScriptPath(project, script, why);

  const module = readConfig(project, script);
  const options = module.constructions('Migrator').find((args) => args[0] !== undefined)?.[0];
  const provider = property(options, 'provider');
  const folder =
    (constructorOf(provider) === 'FileMigrationProvider' ? property(provider, 'migrationFolder') : undefined) ??
    property(module.constructions('FileMigrationProvider')[0]?.[0], 'migrationFolder');
  // FileMigrationProvider reads a plain string from the working directory (the root); a path
  // computed from __dirname is the script's own folder, whose compiled copy sits beside the
  // compiled migrations: the sources are in the script's source folder.
  const configured = pathOption(project, folder, {
    file: script,
    option: 'migrationFolder',
    base: '.',
    example: "path.join(import.meta.dirname, 'migrations')",
  });
  if (folder === undefined || configured === undefined) {
    throw new UserError(
      `${project.abs(script)}: runs Kysely's Migrator without a FileMigrationProvider migrationFolder detection can read: pass migrationFolder: path.join(import.meta.dirname, 'migrations') (or __dirname)`,
    );
  }
  const migrationsDir =
    folder.kind !== 'path' && isTypeScript(script) && !project.isDirectory(configured) ? sourcePathOf(project, configured, why) : configured;
  if (!project.isDirectory(migrationsDir)) {
    throw new UserError(`${project.abs(migrationsDir)}: the migration folder of ${script} does not exist: create a migration there or fix migrationFolder`);
  }

  const warnings: string[] = [];
  if (!checksError(text)) {
    warnings.push(
      `${script}: migrateToLatest() reports a failed migration in its result's \`error\` instead of throwing, and this script never exits non-zero on it, so a failed migration would still let the app start: check \`error\` and call process.exit(1)`,
    );
  }
  const table = asString(property(options, 'migrationTableName'));
  return {
    configFile: script,
    migrationsDir,
    migrateCommand: ['node', compiled],
    cliPackage: 'kysely',
    ...connection(project, script, module, property(options, 'db'), undefined),
    ...(table ? { migrationTable: table } : {}),
    warnings: [...warnings, ...selfMigrationWarnings(project, SELF_MIGRATION, [script])],
  };
}

/**
 * The database and how the configuration reaches it, from the Kysely instance (or kysely-ctl's
 * options) it builds: the dialect class, then the driver's options (a URL variable in
 * `connectionString`/`uri`/`url`, the first argument of a driver's factory, or connection parts).
 * Classes the value can't show (a Kysely instance built where the reader can't follow) are looked
 * for in the file itself.
 */
function connection(project: Project, file: string, module: JsModule, root: JsValue | undefined, dialect: DatabaseId | undefined): Partial<OrmDetection> {
  const values = [...valuesWithin(root)];
  const database =
    dialect ??
    values.map((value) => DIALECT_CLASSES[constructorOf(value) ?? '']).find((found) => found !== undefined) ??
    Object.entries(DIALECT_CLASSES).find(([name]) => module.constructions(name).length > 0)?.[1];
  const candidates = values.flatMap((value) => {
    if (value.kind === 'object') return URL_KEYS.map((key) => property(value, key)).filter((found) => found !== undefined);
    const call = value.kind === 'unknown' ? value.call : undefined;
    return call && isDriverCall(call.callee, call.module) && call.args[0] !== undefined && call.args[0].kind !== 'object' ? [call.args[0]] : [];
  });
  if (candidates.some((candidate) => isInMemory(candidate))) {
    throw inMemoryError(project, file, 'the database', 'read the file from a variable (new SQLite(process.env.DATABASE_URL)) the stack puts on a volume');
  }
  const name = candidates.map((candidate) => variableOf(candidate)).find((found) => found !== undefined);
  const parts = name ? undefined : values.map((value) => (value.kind === 'object' ? connectionParts(value, file) : undefined)).find((found) => found);
  const fallback = name || parts ? undefined : urlLikeVariable(module);
  const variable = name ?? fallback;
  return {
    ...(database ? { database: { value: database, source: file } } : {}),
    ...(variable ? { urlVariable: { value: variable, source: file } } : {}),
    ...(parts ? { connectionParts: parts } : {}),
  };
}

/** The class a value was constructed by (`new PostgresDialect({…})`, `new SQLite(x)`), if any. */
function constructorOf(value: JsValue | undefined): string | undefined {
  if (value?.kind === 'object') return value.constructedBy;
  if (value?.kind === 'unknown' && value.call?.isNew) return value.call.callee.split('.').at(-1);
  return undefined;
}

/** A driver's factory or class that takes the connection as its first argument: postgres(url), new Pool(url), new SQLite(file). */
function isDriverCall(callee: string, module: string | undefined): boolean {
  if (module !== undefined) return DRIVER_MODULES.has(module);
  return /^(?:.*\.)?(postgres|Pool|Client|createPool|createClient|Database|SQLite|neon)$/.test(callee);
}

/** A variable the file reads whose name says it is the connection URL (DATABASE_URL, PG_URI, …), when the options show none. */
function urlLikeVariable(module: JsModule): string | undefined {
  const names = module.envReads().map((read) => read.name);
  return names.find((n) => /(URL|URI|DSN)$/i.test(n)) ?? names.find((n) => /^DATABASE/i.test(n) && !/(HOST|PORT|USER|NAME|PASS|DB)$/i.test(n));
}

/** `const { error } = await migrator.migrateToLatest()` followed by a non-zero exit or a throw when it is set. */
function checksError(text: string): boolean {
  const call = /(\{[^}]*\}|\w+)\s*=\s*await\s+[\w.]+\.migrateToLatest\s*\(/.exec(text);
  const after = text.slice(call?.index ?? 0);
  const readsError = call !== null && /\berror\b/.test(after);
  const fails = /process\.exit\s*\(\s*[1-9]|process\.exitCode\s*=\s*[1-9]|\bthrow\b/.test(after);
  return readsError && fails;
}
