import path from 'node:path';
import type { Project } from '../../project/project.js';
import { UserError } from '../../errors.js';
import type { DatabaseId, DetectionContext, OrmAdapter, OrmDetection } from '../types.js';
import semver from 'semver';
import { normaliseRelative } from '../../project/config-text.js';
import { asString, describe, property, type JsValue } from '../../project/js-module.js';
import { selfMigrationWarnings, withProjectScript } from './common.js';
import { exportedConfig, inMemoryError, isInMemory, pathOption, readConfig, variableOf } from './config.js';
import { missingScriptFile, optionValue, toolInvocations } from './scripts.js';

const CONFIG_FILES = [
  'drizzle.config.ts',
  'drizzle.config.js',
  'drizzle.config.mjs',
  'drizzle.config.cjs',
  'drizzle.config.mts',
  'drizzle.config.cts',
  'drizzle.config.json',
];
const DIALECTS: Record<string, DatabaseId | undefined> = {
  postgresql: 'postgres',
  mysql: 'mysql',
  sqlite: 'sqlite',
  // Remote or exotic engines the stack does not run itself: the database question decides.
  turso: undefined,
  singlestore: undefined,
  gel: undefined,
};
const DEFAULT_TABLE = '__drizzle_migrations';
/** drizzle-orm's PostgreSQL migrator keeps its table in its own schema. */
const DEFAULT_PG_SCHEMA = 'drizzle';

const CLI_NAMES = ['drizzle-kit'];
const CONFIG_OPTIONS = ['--config'];
/** The drizzle-kit release that brought `drizzle-kit migrate`. */
const MIGRATE_SINCE = '0.21.0';
const isMigrate = (args: readonly string[]) => args[0] === 'migrate';

/** The parts of a drizzle config that matter here, read from JSON or with the parser. */
interface DrizzleConfig {
  dialect?: string;
  out?: string;
  hasCredentials: boolean;
  /** dbCredentials.url, when there is one. */
  url?: JsValue;
  table?: string;
  schema?: string;
}

export const drizzle: OrmAdapter = {
  id: 'drizzle',
  label: 'Drizzle',
  takesOwnLock: false,
  lockNote: 'drizzle-kit migrate takes no lock of its own: two migrate runs at the same time can both apply a migration.',
  migrationTable: DEFAULT_TABLE,
  // Drizzle records no migration name: one row per migration, identified by its SQL's hash.
  migrationNameColumn: 'hash',
  cliNames: CLI_NAMES,
  packages: ['drizzle-orm', 'drizzle-kit'],
  setupHint: 'drizzle.config.* for drizzle-kit (whose generate writes the migrations)',
  detect(project, context) {
    const configFile = findConfig(project, context);
    if (!configFile) return undefined;
    const config = configFile.endsWith('.json') ? fromJson(project, configFile) : fromModule(project, configFile);
    const where = project.abs(configFile);

    if (!config.dialect) throw new UserError(`${where}: no dialect: add dialect: 'postgresql' (or 'mysql', 'sqlite')`);
    if (!(config.dialect in DIALECTS))
      throw new UserError(`${where}: dialect "${config.dialect}" is not one drizzle-kit knows: use 'postgresql', 'mysql' or 'sqlite'`);
    const migrationsDir = config.out ?? 'drizzle';
    if (!project.exists(`${migrationsDir}/meta/_journal.json`)) {
      throw new UserError(
        `${project.abs(migrationsDir)}: no drizzle migrations (meta/_journal.json): run drizzle-kit generate and commit ${migrationsDir}/ (the stack runs drizzle-kit migrate, never push)`,
      );
    }
    if (!config.hasCredentials) {
      throw new UserError(`${where}: no dbCredentials: add dbCredentials: { url: process.env.DATABASE_URL! } (drizzle-kit migrate connects with it)`);
    }
    if (config.url === undefined) {
      throw new UserError(`${where}: dbCredentials has no url: read the connection from one variable (url: process.env.DATABASE_URL!), which the stack sets`);
    }
    if (isInMemory(config.url))
      throw inMemoryError(
        project,
        configFile,
        'dbCredentials.url',
        'read it from a variable (url: process.env.DATABASE_URL!): the stack puts the file on a volume',
      );
    const fixed = asString(config.url);
    if (fixed !== undefined) {
      throw new UserError(
        `${where}: dbCredentials.url is a fixed value ('${fixed}'): read it from a variable (url: process.env.DATABASE_URL!) so the containers can point it at their database`,
      );
    }

    const database = DIALECTS[config.dialect];
    const variable = variableOf(config.url);
    const table = config.table ?? DEFAULT_TABLE;
    const migrationTable = config.dialect === 'postgresql' ? `${config.schema ?? DEFAULT_PG_SCHEMA}.${table}` : table;
    // libSQL wants a file: URL; better-sqlite3 takes the path as it is.
    const libsql = config.dialect === 'turso' || (project.hasDependency('@libsql/client') && !project.hasDependency('better-sqlite3'));
    const detection: OrmDetection = {
      configFile,
      migrationsDir,
      // --config: drizzle-kit itself finds only drizzle.config.{ts,js,json}.
      migrateCommand: ['node_modules/.bin/drizzle-kit', 'migrate', '--config', configFile],
      cliPackage: 'drizzle-kit',
      ...(database ? { database: { value: database, source: configFile } } : {}),
      ...(variable ? { urlVariable: { value: variable, source: configFile } } : {}),
      ...(migrationTable !== DEFAULT_TABLE ? { migrationTable } : {}),
      ...(libsql ? { sqliteUrlPrefix: 'file:' } : {}),
      warnings: selfMigrationWarnings(
        project,
        [{ pattern: /\bmigrate\s*\(\s*[\w.]+\s*,\s*\{\s*migrationsFolder/, what: "drizzle-orm's migrate(db, { migrationsFolder })" }],
        [configFile],
      ),
    };
    const version = context.packageVersion('drizzle-kit');
    if (version && semver.valid(version.value) && semver.lt(version.value, MIGRATE_SINCE)) return olderKit(project, detection, version.value);
    return withProjectScript(project, detection, {
      cliNames: CLI_NAMES,
      binary: 'drizzle-kit',
      isMigrate,
      args: (invocation) => (optionValue(invocation.args, CONFIG_OPTIONS) ? invocation.args : [...invocation.args, '--config', configFile]),
    });
  },
};

/**
 * drizzle-kit before 0.21 has no migrate command: the project's own migrate script (drizzle-orm's
 * migrate() run with node), else an error with the fix.
 */
function olderKit(project: Project, detection: OrmDetection, version: string): OrmDetection {
  const scripts = project.packageJson.scripts ?? {};
  for (const [name, text] of Object.entries(scripts)) {
    if (!/^(db:)?migrat(e|ion)(:(up|run|latest|deploy|prod))?$/.test(name)) continue;
    const [program, file, ...rest] = text.trim().split(/\s+/);
    if (program === 'node' && file !== undefined && rest.length === 0 && /\.[cm]?js$/.test(file)) {
      return {
        ...detection,
        migrateCommand: ['node', normaliseRelative(file)],
        notes: [...(detection.notes ?? []), `drizzle-kit ${version} has no migrate command (0.21+): migrate runs the project's own scripts.${name} (${text})`],
      };
    }
  }
  throw new UserError(
    `${project.abs('package.json')}: drizzle-kit ${version} has no migrate command (it came in 0.21): upgrade it (npm install -D drizzle-kit@latest), or add a "migrate" script that runs drizzle-orm's migrate() with node (e.g. "migrate": "node dist/migrate.js")`,
  );
}

/** The config: --orm-config, a script's --config, else drizzle-kit's own names at the root or where projects keep it. */
function findConfig(project: Project, context: DetectionContext): string | undefined {
  if (context.ormConfig && /(^|\/)drizzle[^/]*\.(config\.)?[cm]?[jt]s(on)?$/.test(context.ormConfig)) return context.ormConfig;
  for (const invocation of toolInvocations(project, CLI_NAMES)) {
    const file = optionValue(invocation.args, CONFIG_OPTIONS);
    if (file === undefined) continue;
    const relative = normaliseRelative(file);
    if (!project.exists(relative)) throw missingScriptFile(project, invocation, file);
    return relative;
  }
  return CONFIG_FILES.find((file) => project.exists(file) && !project.isDirectory(file));
}

function fromModule(project: Project, configFile: string): DrizzleConfig {
  const config = exportedConfig(readConfig(project, configFile));
  if (config === undefined || config.kind === 'unknown') {
    throw new UserError(
      `${project.abs(configFile)}: can't read what it exports (${describe(config)}) without running it: export defineConfig({ dialect, out, dbCredentials })`,
    );
  }
  const credentials = property(config, 'dbCredentials');
  const dialect = asString(property(config, 'dialect'));
  const out = pathOption(project, property(config, 'out'), { file: configFile, option: 'out', base: '.', example: "out: './drizzle'" });
  const table = asString(property(config, 'migrations', 'table'));
  const schema = asString(property(config, 'migrations', 'schema'));
  const url = property(credentials, 'url');
  return {
    ...(dialect ? { dialect } : {}),
    ...(out ? { out } : {}),
    hasCredentials: credentials !== undefined,
    ...(url !== undefined ? { url } : {}),
    ...(table ? { table } : {}),
    ...(schema ? { schema } : {}),
  };
}

function fromJson(project: Project, configFile: string): DrizzleConfig {
  const json = project.readJson<Record<string, unknown>>(configFile);
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new UserError(`${project.abs(configFile)}: expected a JSON object: fix the file`);
  const string = (value: unknown) => (typeof value === 'string' ? value : undefined);
  const credentials = json.dbCredentials as Record<string, unknown> | undefined;
  const migrations = json.migrations as Record<string, unknown> | undefined;
  const out = string(json.out);
  const url = credentials?.url;
  return {
    ...(string(json.dialect) ? { dialect: string(json.dialect)! } : {}),
    ...(out ? { out: normaliseRelative(path.posix.join(path.posix.dirname(configFile), out)) } : {}),
    hasCredentials: credentials !== undefined,
    // JSON can only hold a fixed URL, or "${VAR}"-style text drizzle-kit doesn't expand.
    ...(url !== undefined ? { url: { kind: 'literal', value: typeof url === 'string' ? url : JSON.stringify(url) } } : {}),
    ...(string(migrations?.table) ? { table: string(migrations?.table)! } : {}),
    ...(string(migrations?.schema) ? { schema: string(migrations?.schema)! } : {}),
  };
}
