import path from 'node:path';
import type { Project } from '../../project/project.js';
import { UserError } from '../../errors.js';
import type { DatabaseId, DetectionContext, OrmAdapter, OrmDetection } from '../types.js';
import { asString, branches, describe, property, type JsValue } from '../../project/js-module.js';
import { databaseForClient } from '../databases/index.js';
import { selfMigrationWarnings, withProjectScript } from './common.js';
import { connectionParts, exportedConfig, pathOption, readConfig, urlVariable } from './config.js';
import { missingScriptFile, optionValue, toolInvocations, type ToolInvocation } from './scripts.js';

const RC_FILE = '.sequelizerc';
/** sequelize-cli's own lookup when .sequelizerc names no config: the .js file wins over the .json one. */
const DEFAULT_CONFIGS = ['config/config.js', 'config/config.json'];
const ENVIRONMENT_SECTIONS = ['development', 'test', 'staging', 'production'];
/** The migrate image runs with NODE_ENV=production, which is the section sequelize-cli reads. */
const ENVIRONMENT = 'production';
const CLI_NAMES = ['sequelize', 'sequelize-cli'];
const isMigrate = (args: readonly string[]) => args.includes('db:migrate');
/** sequelize-cli's options (yargs: kebab-case, camelCase also accepted in .sequelizerc). */
const OPTIONS = {
  config: ['--config'],
  migrationsPath: ['--migrations-path'],
  optionsPath: ['--options-path'],
  env: ['--env'],
  url: ['--url'],
};
/** sequelize-cli's dialect for each database the stack runs. */
const DIALECT_NAMES: Record<DatabaseId, string> = { postgres: 'postgres', mysql: 'mysql', mariadb: 'mariadb', sqlite: 'sqlite' };

export const sequelize: OrmAdapter = {
  id: 'sequelize',
  label: 'Sequelize',
  takesOwnLock: false,
  lockNote: 'Sequelize (sequelize-cli) takes no lock of its own: two runs at the same time can both apply a migration recorded in SequelizeMeta.',
  migrationTable: 'SequelizeMeta',
  migrationNameColumn: 'name',
  cliNames: CLI_NAMES,
  packages: ['sequelize'],
  setupHint: 'sequelize-cli setup (sequelize-cli with .sequelizerc, or config/config.json and migrations/)',
  detect(project, context) {
    const invocations = toolInvocations(project, CLI_NAMES);
    const script = migrateScript(invocations);
    const rcFile = findRcFile(project, context, invocations);
    if (rcFile === undefined && !project.hasDependency('sequelize-cli')) return undefined;
    // sequelize-cli resolves every path from the working directory: the project root.
    const rc = rcFile === undefined ? undefined : readRc(project, rcFile);
    const option = (names: readonly string[], key: string, kebab: string) => rcOption(project, rcFile, rc, script, names, key, kebab);

    const rcUrl = property(rc, 'url');
    const configFile = namedConfig(project, context, rcFile) ?? option(OPTIONS.config, 'config', 'config') ?? project.firstExisting(DEFAULT_CONFIGS);
    if (!configFile && rcUrl === undefined) {
      if (!rcFile) return undefined; // sequelize-cli installed but never set up
      throw new UserError(
        `${project.abs(rcFile)}: names no config file and config/config.json does not exist: add config: path.resolve('config', 'config.js') or run npx sequelize-cli init:config`,
      );
    }
    if (configFile && !project.exists(configFile)) {
      const named = script && optionValue(script.args, OPTIONS.config);
      if (named !== undefined && normalise(named) === configFile) throw missingScriptFile(project, script!, named);
      throw new UserError(`${project.abs(rcFile ?? 'package.json')}: config points at ${configFile}, which does not exist: fix the path`);
    }

    const configuredMigrations = option(OPTIONS.migrationsPath, 'migrationsPath', 'migrations-path');
    const migrationsDir = configuredMigrations ?? 'migrations';
    if (!project.isDirectory(migrationsDir)) {
      const origin = configuredMigrations ? `the migrations-path of ${rcFile ?? `scripts.${script?.script}`}` : "sequelize-cli's default migrations directory";
      throw new UserError(
        `${project.abs(migrationsDir)}: ${origin} does not exist: create a migration (npx sequelize-cli migration:generate --name init) or fix migrations-path`,
      );
    }

    const environment = (script && optionValue(script.args, OPTIONS.env)) ?? ENVIRONMENT;
    const source = configFile ?? rcFile!;
    // --url (or url in .sequelizerc) replaces the config file's connection.
    const section = configFile ? environmentSection(project, configFile, environment) : undefined;
    const where = `${project.abs(source)}: the "${environment}" configuration`;
    const storage = asString(property(section, 'migrationStorage'));
    if (storage !== undefined && storage !== 'sequelize') {
      throw new UserError(
        `${where} sets migrationStorage "${storage}", which keeps the list of applied migrations outside the database, so every container would apply them again: remove it (the default stores them in a table)`,
      );
    }

    const connection = connectionOf(project, rcFile, rcUrl, source, section, where);
    const dialect = property(section, 'dialect');
    const dialectName = asString(dialect) ?? (dialect?.kind === 'env' ? asString(dialect.fallback) : undefined);
    const database = databaseForClient(dialectName);
    const storageTable = asString(property(section, 'migrationStorageTableName'));
    const storageSchema = asString(property(section, 'migrationStorageTableSchema'));
    const table =
      storageTable && storageSchema ? `${storageSchema}.${storageTable}` : (storageTable ?? (storageSchema ? `${storageSchema}.SequelizeMeta` : undefined));
    const detection: OrmDetection = {
      configFile: source,
      migrationsDir,
      // sequelize-cli finds .sequelizerc and the config itself from the working directory, and
      // reads the section named by NODE_ENV (production in the image).
      migrateCommand: ['node_modules/.bin/sequelize-cli', 'db:migrate'],
      cliPackage: 'sequelize-cli',
      ...(database ? { database: { value: database, source } } : {}),
      ...connection,
      // dialect: process.env.DB_DIALECT: the stack sets it to sequelize's name of the chosen database.
      ...(dialect?.kind === 'env' ? { databaseTypeVariable: { name: dialect.name, values: DIALECT_NAMES, source } } : {}),
      ...(table ? { migrationTable: table } : {}),
      ...(usesMariadbDriver(project, dialectName) ? { urlSchemes: { mariadb: 'mariadb' } satisfies Partial<Record<DatabaseId, string>> } : {}),
      // Sequelize turns sqlite:///data/app.db into the storage path /data/app.db.
      sqliteUrlPrefix: 'sqlite://',
      warnings: selfMigrationWarnings(project, [{ pattern: /\bumzug\s*\.\s*up\s*\(/i, what: 'umzug.up()' }], [source]),
    };
    return withProjectScript(project, detection, { cliNames: CLI_NAMES, binary: 'sequelize-cli', isMigrate });
  },
};

/** The project's script that runs db:migrate, a production one first. */
function migrateScript(invocations: readonly ToolInvocation[]): ToolInvocation | undefined {
  const migrating = invocations.filter((invocation) => isMigrate(invocation.args) && invocation.script !== 'build' && !/^(pre|post)/.test(invocation.script));
  return migrating.find((invocation) => /prod/i.test(invocation.script) || invocation.env.NODE_ENV === 'production') ?? migrating[0];
}

/** .sequelizerc, or the file --orm-config or a script's --options-path names instead. */
function findRcFile(project: Project, context: DetectionContext, invocations: readonly ToolInvocation[]): string | undefined {
  if (context.ormConfig && /(^|\/)\.sequelizerc(\.[cm]?js)?$/.test(context.ormConfig)) return context.ormConfig;
  for (const invocation of invocations) {
    const named = optionValue(invocation.args, OPTIONS.optionsPath);
    if (named === undefined) continue;
    const file = normalise(named);
    if (!project.exists(file)) throw missingScriptFile(project, invocation, named);
    return file;
  }
  return project.exists(RC_FILE) && !project.isDirectory(RC_FILE) ? RC_FILE : undefined;
}

/** A config file --orm-config names (one that isn't the options file, nor another tool's). */
function namedConfig(project: Project, context: DetectionContext, rcFile: string | undefined): string | undefined {
  const named = context.ormConfig;
  if (!named || named === rcFile || !project.hasDependency('sequelize-cli')) return undefined;
  if (/(^|\/)(knexfile|ormconfig|data-source|datasource|drizzle\.config|mikro-orm\.config|kysely\.config|prisma\.config)[^/]*$/i.test(named)) return undefined;
  return /\.(json|[cm]?js)$/.test(named) ? named : undefined;
}

/** The options .sequelizerc exports; undefined when it exports nothing (sequelize-cli's defaults apply). */
function readRc(project: Project, file: string): JsValue | undefined {
  const value = exportedConfig(readConfig(project, file));
  if (value !== undefined && branches(value).every((option) => option.kind !== 'object')) {
    throw new UserError(
      `${project.abs(file)}: can't read what it exports (${describe(value)}) without running it: export the options as an object (module.exports = { config: path.resolve('config', 'config.js') })`,
    );
  }
  return value;
}

/** A path option: the migrate script's flag, else .sequelizerc's (kebab-case or camelCase), resolved from the project root. */
function rcOption(
  project: Project,
  rcFile: string | undefined,
  rc: JsValue | undefined,
  script: ToolInvocation | undefined,
  flags: readonly string[],
  camel: string,
  kebab: string,
): string | undefined {
  const flag = script && optionValue(script.args, flags);
  if (flag !== undefined) return normalise(flag);
  if (rc === undefined || rcFile === undefined) return undefined;
  const value = property(rc, kebab) ?? property(rc, camel);
  if (value === undefined) return undefined;
  const location = tryPath(project, rcFile, value, kebab);
  if (location === undefined) {
    throw new UserError(
      `${project.abs(rcFile)}: can't read where ${kebab} points (${describe(value)}) without running the file: write it as a string or path.resolve('dir', 'file')`,
    );
  }
  return location;
}

function tryPath(project: Project, file: string, value: JsValue, option: string): string | undefined {
  try {
    return pathOption(project, value, { file, option, base: '.', example: `path.resolve('db', '${option === 'config' ? 'config.js' : 'migrations'}')` });
  } catch (error) {
    if (error instanceof UserError && /can't read/.test(error.message)) return undefined;
    throw error;
  }
}

/**
 * The section of the configuration sequelize-cli uses in the image: the `environment` one of a
 * per-environment config, else the whole export.
 */
function environmentSection(project: Project, file: string, environment: string): JsValue {
  const config = exportedConfig(readConfig(project, file));
  if (config === undefined) {
    throw new UserError(`${project.abs(file)}: exports no configuration: export the environments (module.exports = { ${environment}: {...} })`);
  }
  if (branches(config).every((option) => option.kind !== 'object')) {
    throw new UserError(
      `${project.abs(file)}: can't read what it exports (${describe(config)}) without running it: export the environments as an object (module.exports = { ${environment}: {...} })`,
    );
  }
  const chosen = property(config, environment);
  if (chosen !== undefined) {
    if (branches(chosen).every((option) => option.kind !== 'object')) {
      throw new UserError(`${project.abs(file)}: "${environment}" must be an object of connection options (${describe(chosen)}): fix the file`);
    }
    return chosen;
  }
  const perEnvironment = ENVIRONMENT_SECTIONS.some((name) => property(config, name) !== undefined);
  if (perEnvironment) {
    throw new UserError(
      `${project.abs(file)}: has per-environment sections but no "${environment}": add one (the containers run with NODE_ENV=${ENVIRONMENT}), e.g. "${environment}": {"use_env_variable": "DATABASE_URL"}`,
    );
  }
  return config;
}

/** How the configuration reaches the database: a URL variable (use_env_variable, url) or connection parts. */
function connectionOf(
  project: Project,
  rcFile: string | undefined,
  rcUrl: JsValue | undefined,
  source: string,
  section: JsValue | undefined,
  where: string,
): Pick<OrmDetection, 'urlVariable' | 'connectionParts'> {
  if (rcUrl !== undefined) {
    const url = urlVariable(rcUrl, rcFile!);
    if (url) return { urlVariable: url };
    throw new UserError(
      `${project.abs(rcFile!)}: url is fixed (${describe(rcUrl)}): read it from a variable (url: process.env.DATABASE_URL) so that the containers can point it at their database`,
    );
  }
  const useEnvVariable = asString(property(section, 'use_env_variable'));
  if (useEnvVariable) return { urlVariable: { value: useEnvVariable, source } };
  const url = property(section, 'url');
  const fromUrl = urlVariable(url, source);
  if (fromUrl) return { urlVariable: fromUrl };
  const parts = url === undefined ? connectionParts(section, source) : undefined;
  if (parts) return { connectionParts: parts };
  const found = url !== undefined ? `reads its URL from no environment variable (${describe(url)})` : 'has no use_env_variable';
  throw new UserError(`${where} ${found}: add "use_env_variable": "DATABASE_URL" so that sequelize-cli connects through the URL the stack provides`);
}

/**
 * Sequelize takes its dialect from the URL's scheme, so a URL handed to a project that talks to
 * MariaDB through the `mariadb` driver must say mariadb://, not mysql:// (which needs mysql2).
 */
function usesMariadbDriver(project: Project, dialect: string | undefined): boolean {
  if (dialect !== undefined) return dialect === 'mariadb';
  return project.hasDependency('mariadb') && !project.hasDependency('mysql2');
}

/** "./db/config.js" → "db/config.js". */
function normalise(file: string): string {
  return path.posix.normalize(file.replace(/\\/g, '/')).replace(/^\.\//, '').replace(/\/+$/, '');
}
