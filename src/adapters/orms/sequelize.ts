import type { Project } from '../../project/project.js';
import { UserError } from '../../errors.js';
import type { DatabaseId, Detected, OrmAdapter } from '../types.js';
import { bracketedValue, normaliseRelative, pathProperty, stringProperty, withoutComments } from '../../project/config-text.js';
import { databaseForClient } from '../databases/index.js';

const RC_FILE = '.sequelizerc';
/** sequelize-cli's own lookup when .sequelizerc names no config: the .js file wins over the .json one. */
const DEFAULT_CONFIGS = ['config/config.js', 'config/config.json'];
const ENVIRONMENT_SECTIONS = ['development', 'test', 'staging', 'production'];
/** The migrate image runs with NODE_ENV=production, which is the section sequelize-cli reads. */
const ENVIRONMENT = 'production';

/** A key of a JavaScript object literal, bare or quoted ('migrations-path': …), as a regex fragment. */
const key = (name: string) => `['"]?${name.replace(/[-$]/g, '\\$&')}['"]?`;

/** What the production section of a Sequelize configuration says, whatever its file format. */
interface ProductionConfig {
  dialect?: string;
  useEnvVariable?: string;
  /** `url: process.env.X` in a JavaScript config. */
  urlVariable?: string;
  /** A literal URL or `url:` read from somewhere detection can't follow. */
  hasUrl: boolean;
  storage?: string;
  storageTable?: string;
  storageSchema?: string;
}

export const sequelize: OrmAdapter = {
  id: 'sequelize',
  label: 'Sequelize',
  takesOwnLock: false,
  lockNote: 'Sequelize (sequelize-cli) takes no lock of its own: two runs at the same time can both apply a migration recorded in SequelizeMeta.',
  migrationTable: 'SequelizeMeta',
  migrationNameColumn: 'name',
  cliNames: ['sequelize', 'sequelize-cli'],
  detect(project) {
    const rcText = project.readText(RC_FILE);
    if (rcText === undefined && !project.hasDependency('sequelize-cli')) return undefined;
    const rc = rcText === undefined ? undefined : withoutComments(rcText);

    const configFile = (rc && rcPath(project, rc, 'config')) ?? project.firstExisting(DEFAULT_CONFIGS);
    if (!configFile) {
      if (!rc) return undefined; // sequelize-cli installed but never set up
      throw new UserError(
        `${project.abs(RC_FILE)}: names no config file and config/config.json does not exist: add config: path.resolve('config', 'config.js') or run npx sequelize-cli init:config`,
      );
    }
    if (!project.exists(configFile)) {
      throw new UserError(`${project.abs(RC_FILE)}: config points at ${configFile}, which does not exist: fix the path`);
    }

    const migrationsDir = (rc && rcPath(project, rc, 'migrations-path')) ?? 'migrations';
    if (!project.isDirectory(migrationsDir)) {
      const origin = rc && new RegExp(key('migrations-path')).test(rc) ? `the migrations-path of ${RC_FILE}` : "sequelize-cli's default migrations directory";
      throw new UserError(
        `${project.abs(migrationsDir)}: ${origin} does not exist: create a migration (npx sequelize-cli migration:generate --name init) or fix migrations-path`,
      );
    }

    const production = configFile.endsWith('.json') ? jsonProduction(project, configFile) : javascriptProduction(project, configFile);
    const where = `${project.abs(configFile)}: the "${ENVIRONMENT}" configuration`;
    if (production.storage !== undefined && production.storage !== 'sequelize') {
      throw new UserError(
        `${where} sets migrationStorage "${production.storage}", which keeps the list of applied migrations outside the database, so every container would apply them again: remove it (the default stores them in a table)`,
      );
    }
    const variable = production.useEnvVariable ?? production.urlVariable;
    if (!variable) {
      const found = production.hasUrl ? 'reads its URL from no environment variable' : 'has no use_env_variable';
      throw new UserError(`${where} ${found}: add "use_env_variable": "DATABASE_URL" so that sequelize-cli connects through the URL the stack provides`);
    }

    const database = databaseForClient(production.dialect);
    const urlVariable: Detected<string> = { value: variable, source: configFile };
    const table =
      production.storageTable && production.storageSchema
        ? `${production.storageSchema}.${production.storageTable}`
        : (production.storageTable ?? (production.storageSchema ? `${production.storageSchema}.SequelizeMeta` : undefined));
    return {
      configFile,
      migrationsDir,
      // sequelize-cli finds .sequelizerc and the config itself from the working directory, and
      // reads the section named by NODE_ENV (production in the image).
      migrateCommand: ['node_modules/.bin/sequelize-cli', 'db:migrate'],
      cliPackage: 'sequelize-cli',
      ...(database ? { database: { value: database, source: configFile } } : {}),
      urlVariable,
      ...(table ? { migrationTable: table } : {}),
      ...(usesMariadbDriver(project, production.dialect) ? { urlSchemes: { mariadb: 'mariadb' } satisfies Partial<Record<DatabaseId, string>> } : {}),
      // Sequelize turns sqlite:///data/app.db into the storage path /data/app.db.
      sqliteUrlPrefix: 'sqlite://',
    };
  },
};

/** A path that .sequelizerc gives for `name`; a UserError when it is written in a way detection can't follow. */
function rcPath(project: Project, rc: string, name: string): string | undefined {
  if (!new RegExp(`(?:^|[\\s,{(])${key(name)}\\s*:`).test(rc)) return undefined;
  const found = pathProperty(rc, key(name), RC_FILE);
  if (found === undefined) {
    throw new UserError(
      `${project.abs(RC_FILE)}: can't read where ${name} points without running the file: write it as a string or path.resolve('dir', 'file')`,
    );
  }
  return normaliseRelative(found);
}

/**
 * Sequelize takes its dialect from the URL's scheme, so a URL handed to a project that talks to
 * MariaDB through the `mariadb` driver must say mariadb://, not mysql:// (which needs mysql2).
 */
function usesMariadbDriver(project: Project, dialect: string | undefined): boolean {
  if (dialect !== undefined) return dialect === 'mariadb';
  return project.hasDependency('mariadb') && !project.hasDependency('mysql2');
}

function jsonProduction(project: Project, file: string): ProductionConfig {
  const config = project.readJson<unknown>(file);
  if (typeof config !== 'object' || config === null || Array.isArray(config)) {
    throw new UserError(`${project.abs(file)}: expected a JSON object of environments ({"production": {...}}): fix the file`);
  }
  const environments = config as Record<string, unknown>;
  const perEnvironment = ENVIRONMENT_SECTIONS.some((name) => typeof environments[name] === 'object');
  const section = perEnvironment ? environments[ENVIRONMENT] : environments;
  if (section === undefined) throw missingProduction(project, file);
  if (typeof section !== 'object' || section === null || Array.isArray(section)) {
    throw new UserError(`${project.abs(file)}: "${ENVIRONMENT}" must be an object of connection options: fix the file`);
  }
  const values = section as Record<string, unknown>;
  const text = (name: string) => (typeof values[name] === 'string' ? values[name] : undefined);
  return {
    ...optional('dialect', text('dialect')),
    ...optional('useEnvVariable', text('use_env_variable')),
    hasUrl: values.url !== undefined,
    ...optional('storage', text('migrationStorage')),
    ...optional('storageTable', text('migrationStorageTableName')),
    ...optional('storageSchema', text('migrationStorageTableSchema')),
  };
}

function javascriptProduction(project: Project, file: string): ProductionConfig {
  const text = withoutComments(project.readText(file) ?? '');
  if (!/\bmodule\.exports\b|\bexports\.\w+\s*=|\bexport\s+default\b/.test(text)) {
    throw new UserError(`${project.abs(file)}: exports no configuration: export the environments (module.exports = { production: {...} })`);
  }
  const perEnvironment = ENVIRONMENT_SECTIONS.some((name) => new RegExp(`(?:^|[\\s,{(])${key(name)}\\s*:`).test(text));
  const section = perEnvironment ? bracketedValue(text, key(ENVIRONMENT)) : text;
  if (section === undefined) throw missingProduction(project, file);
  const urlExpression = /(?:^|[\s,{(])['"]?url['"]?\s*:\s*([^,}\n]+)/.exec(section)?.[1];
  const urlVariable = urlExpression && /process\.env(?:\.([A-Za-z_]\w*)|\[['"]([A-Za-z_]\w*)['"]\])/.exec(urlExpression);
  return {
    ...optional('dialect', stringProperty(section, key('dialect'))),
    ...optional('useEnvVariable', stringProperty(section, key('use_env_variable'))),
    ...optional('urlVariable', urlVariable ? (urlVariable[1] ?? urlVariable[2]) : undefined),
    hasUrl: urlExpression !== undefined,
    ...optional('storage', stringProperty(section, key('migrationStorage'))),
    ...optional('storageTable', stringProperty(section, key('migrationStorageTableName'))),
    ...optional('storageSchema', stringProperty(section, key('migrationStorageTableSchema'))),
  };
}

function missingProduction(project: Project, file: string): UserError {
  return new UserError(
    `${project.abs(file)}: has per-environment sections but no "${ENVIRONMENT}": add one (the containers run with NODE_ENV=${ENVIRONMENT}), e.g. "${ENVIRONMENT}": {"use_env_variable": "DATABASE_URL"}`,
  );
}

/** `{ [name]: value }` when value is defined (exactOptionalPropertyTypes-friendly). */
function optional<K extends string>(name: K, value: string | undefined): Partial<Record<K, string>> {
  return value === undefined ? {} : ({ [name]: value } as Record<K, string>);
}
