import path from 'node:path';
import type { Project } from '../../project/project.js';
import { UserError } from '../../errors.js';
import type { DatabaseId, OrmAdapter } from '../types.js';
import {
  bracketedValue,
  firstEnvironmentVariable,
  normaliseRelative,
  pathProperty,
  stringProperty,
  urlVariableIn,
  withoutComments,
} from '../../project/config-text.js';

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

/** The parts of a drizzle config that matter here, read as JSON or as text. */
interface DrizzleConfig {
  dialect?: string;
  out?: string;
  /** Text (or JSON) of dbCredentials; undefined when absent. */
  credentials?: string;
  /** The url property's value as written (an expression), when there is one. */
  url?: string;
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
  cliNames: ['drizzle-kit'],
  detect(project) {
    const configFile = project.firstExisting(CONFIG_FILES);
    if (!configFile) return undefined;
    const config = configFile.endsWith('.json') ? fromJson(project, configFile) : fromText(project, configFile);
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
    if (config.credentials === undefined) {
      throw new UserError(`${where}: no dbCredentials: add dbCredentials: { url: process.env.DATABASE_URL! } (drizzle-kit migrate connects with it)`);
    }
    if (config.url === undefined) {
      throw new UserError(`${where}: dbCredentials has no url: read the connection from one variable (url: process.env.DATABASE_URL!), which the stack sets`);
    }
    if (/^['"`][^'"`$]*['"`]$/.test(config.url.trim())) {
      throw new UserError(
        `${where}: dbCredentials.url is a fixed value (${config.url.trim()}): read it from a variable (url: process.env.DATABASE_URL!) so the containers can point it at their database`,
      );
    }

    const database = DIALECTS[config.dialect];
    const variable = firstEnvironmentVariable(config.url);
    const urlVariable = variable ? { value: variable, source: configFile } : urlVariableIn(config.credentials, configFile);
    const table = config.table ?? DEFAULT_TABLE;
    const migrationTable = config.dialect === 'postgresql' ? `${config.schema ?? DEFAULT_PG_SCHEMA}.${table}` : table;
    // libSQL wants a file: URL; better-sqlite3 takes the path as it is.
    const libsql = config.dialect === 'turso' || (project.hasDependency('@libsql/client') && !project.hasDependency('better-sqlite3'));
    return {
      configFile,
      migrationsDir,
      // --config: drizzle-kit itself finds only drizzle.config.{ts,js,json}.
      migrateCommand: ['node_modules/.bin/drizzle-kit', 'migrate', '--config', configFile],
      cliPackage: 'drizzle-kit',
      ...(database ? { database: { value: database, source: configFile } } : {}),
      ...(urlVariable ? { urlVariable } : {}),
      ...(migrationTable !== DEFAULT_TABLE ? { migrationTable } : {}),
      ...(libsql ? { sqliteUrlPrefix: 'file:' } : {}),
    };
  },
};

function fromText(project: Project, configFile: string): DrizzleConfig {
  const text = withoutComments(project.readText(configFile) ?? '');
  const credentials = bracketedValue(text, 'dbCredentials');
  const migrations = bracketedValue(text, 'migrations');
  const url = credentials ? /(?:^|[\s,{])url\s*:\s*([^,}\n]+)/.exec(credentials)?.[1] : undefined;
  const out = pathProperty(text, 'out', configFile);
  const dialect = stringProperty(text, 'dialect');
  const table = migrations ? stringProperty(migrations, 'table') : undefined;
  const schema = migrations ? stringProperty(migrations, 'schema') : undefined;
  return {
    ...(dialect ? { dialect } : {}),
    ...(out ? { out } : {}),
    ...(credentials ? { credentials } : {}),
    ...(url ? { url } : {}),
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
    ...(credentials ? { credentials: JSON.stringify(credentials) } : {}),
    // JSON can only hold a fixed URL, or "${VAR}"-style text drizzle-kit doesn't expand.
    ...(url !== undefined ? { url: JSON.stringify(url) } : {}),
    ...(string(migrations?.table) ? { table: string(migrations?.table)! } : {}),
    ...(string(migrations?.schema) ? { schema: string(migrations?.schema)! } : {}),
  };
}
