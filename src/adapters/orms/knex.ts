import path from 'node:path';
import { UserError } from '../../errors.js';
import type { Project } from '../../project/project.js';
import { asString, branches, describe, property, type JsValue } from '../../project/js-module.js';
import type { DetectionContext, OrmAdapter, OrmDetection } from '../types.js';
import { databaseForClient, databases } from '../databases/index.js';
import { projectMigrateScript, selfMigrationWarnings, withProjectScript } from './common.js';
import { CONFIG_DIRS, connectionParts, exportedConfig, inMemoryError, isInMemory, pathOption, readConfig, SCRIPT_EXTENSIONS, urlVariable } from './config.js';
import { missingScriptFile, optionValue, toolInvocations } from './scripts.js';

const KNEXFILE_NAMES = SCRIPT_EXTENSIONS.map((extension) => `knexfile${extension}`);
const KNEXFILES = ['.', ...CONFIG_DIRS].flatMap((dir) => KNEXFILE_NAMES.map((name) => (dir === '.' ? name : `${dir}/${name}`)));
/** TypeScript loaders the knex CLI registers by itself (through `interpret`) for a .ts knexfile. */
const TYPESCRIPT_LOADERS = ['ts-node', 'esbuild-register', '@swc/register', 'sucrase'];
const CLI_NAMES = ['knex'];
const DEFAULT_TABLE = 'knex_migrations';
/** The section the knex CLI reads in the image: NODE_ENV there is production. */
const ENVIRONMENT = 'production';
const KNEXFILE_OPTIONS = ['--knexfile'];
const isMigrate = (args: readonly string[]) => args.includes('migrate:latest') || args.includes('migrate:up');

export const knex: OrmAdapter = {
  id: 'knex',
  label: 'Knex',
  takesOwnLock: true,
  lockNote: 'Knex serialises runs itself with a row in knex_migrations_lock.',
  migrationTable: DEFAULT_TABLE,
  migrationNameColumn: 'name',
  cliNames: CLI_NAMES,
  packages: ['knex'],
  setupHint: 'knexfile (knexfile.js, in the root, config/, db/ or src/, or the one a script names with --knexfile)',
  detect(project, context) {
    const configFile = findKnexfile(project, context);
    if (!configFile) return undefined;
    if (!project.hasDependency('knex')) {
      throw new UserError(`${project.abs(configFile)}: found, but knex is not in package.json dependencies: add it (npm install knex)`);
    }
    // The migrate image has every dependency: a loader among them lets the CLI read the .ts file.
    if (/\.[cm]?ts$/.test(configFile) && !TYPESCRIPT_LOADERS.some((loader) => project.hasDependency(loader))) {
      throw new UserError(
        `${project.abs(configFile)}: the knex CLI reads a TypeScript knexfile only through a loader: add ts-node as a devDependency (npm install -D ts-node), or write the knexfile in JavaScript`,
      );
    }

    const script = projectMigrateScript(project, { cliNames: CLI_NAMES, isMigrate });
    const environment = (script && optionValue(script.args, ['--env'])) ?? ENVIRONMENT;
    // The knex CLI changes into the knexfile's folder before loading it: its relative paths,
    // path.resolve('x') and process.cwd() (and its default migrations folder) are that folder's.
    const base = path.posix.dirname(configFile);
    const module = readConfig(project, configFile, { workingDirectory: base });
    const config = section(project, configFile, exportedConfig(module), environment);
    const migrations = property(config, 'migrations');
    const directory = property(migrations, 'directory');
    const migrationsDir =
      (directory?.kind === 'array'
        ? undefined
        : pathOption(project, directory, { file: configFile, option: 'migrations.directory', base, example: "directory: './migrations'" })) ??
      (directory === undefined ? path.posix.join(base, 'migrations').replace(/^\.\//, '') : undefined);
    if (migrationsDir === undefined) {
      throw new UserError(
        `${project.abs(configFile)}: migrations.directory lists several folders (${describe(directory)}): keep one (the stack checks it exists and keeps it in the image)`,
      );
    }
    if (!project.isDirectory(migrationsDir)) {
      throw new UserError(
        `${project.abs(migrationsDir)}: the migrations directory of ${configFile} does not exist: create a migration (npx knex migrate:make init --knexfile ${configFile}) or fix migrations.directory`,
      );
    }

    const client = asString(property(config, 'client'));
    const database = databaseForClient(client);
    // A client the stack has no database for is not PostgreSQL (nor whatever the drivers suggest).
    if (client !== undefined && database === undefined) {
      throw new UserError(`${project.abs(configFile)}: client "${client}" is not a database the stack can run (${knexClients().join(', ')}): fix the client`);
    }
    const connection = property(config, 'connection');
    if (isInMemory(connection) || isInMemory(property(connection, 'filename'))) {
      throw inMemoryError(
        project,
        configFile,
        `the "${environment}" connection`,
        'use a file the stack puts on a volume: connection: { filename: process.env.DATABASE_URL }',
      );
    }
    const url =
      urlVariable(connection, configFile) ??
      urlVariable(property(connection, 'connectionString'), configFile) ??
      urlVariable(property(connection, 'filename'), configFile);
    const parts = url ? undefined : connectionParts(connection, configFile);
    if (!url && !parts && isFixed(connection)) {
      throw new UserError(
        `${project.abs(configFile)}: the "${environment}" connection is fixed (${describe(connection)}): read it from a variable (connection: process.env.DATABASE_URL) so that the containers can point it at their database`,
      );
    }
    const table = asString(property(migrations, 'tableName')) ?? DEFAULT_TABLE;
    const schema = asString(property(migrations, 'schemaName'));
    const migrationTable = schema ? `${schema}.${table}` : table;

    const detection: OrmDetection = {
      configFile,
      migrationsDir,
      // The project's own knex binary: no npx download, and no package manager between the
      // signals and the process.
      migrateCommand: ['node_modules/.bin/knex', 'migrate:latest', '--knexfile', configFile],
      cliPackage: 'knex',
      ...(database ? { database: { value: database, source: configFile } } : {}),
      ...(url ? { urlVariable: url } : {}),
      ...(parts ? { connectionParts: parts } : {}),
      ...(migrationTable !== DEFAULT_TABLE ? { migrationTable } : {}),
      warnings: selfMigrationWarnings(project, [{ pattern: /\.migrate\s*\.\s*(latest|up)\s*\(/, what: 'knex.migrate.latest()' }], [configFile]),
    };
    return withProjectScript(project, detection, {
      cliNames: CLI_NAMES,
      binary: 'knex',
      isMigrate,
      // The knexfile made explicit: the CLI would otherwise look for one in the working directory only.
      args: (invocation) => (optionValue(invocation.args, KNEXFILE_OPTIONS) ? invocation.args : [...invocation.args, '--knexfile', configFile]),
    });
  },
};

/** The knexfile: the one named by --orm-config, by a script (--knexfile), else the first where projects keep one. */
function findKnexfile(project: Project, context: DetectionContext): string | undefined {
  const named = context.ormConfig;
  if (named && (/(^|\/)knexfile\.[cm]?[jt]s$/.test(named) || (project.hasDependency('knex') && !isOtherToolsConfig(named)))) return named;
  for (const invocation of toolInvocations(project, CLI_NAMES)) {
    const file = optionValue(invocation.args, KNEXFILE_OPTIONS);
    if (file === undefined) continue;
    const relative = path.posix.normalize(file).replace(/^\.\//, '');
    if (!project.exists(relative)) throw missingScriptFile(project, invocation, file);
    return relative;
  }
  return KNEXFILES.find((file) => project.exists(file) && !project.isDirectory(file));
}

/** Whether a value is written out in full: no variable, nothing the reader couldn't evaluate. */
function isFixed(value: JsValue | undefined): boolean {
  if (value === undefined) return false;
  switch (value.kind) {
    case 'literal':
    case 'path':
      return value.kind === 'path' || value.value !== undefined;
    case 'object':
      return !value.incomplete && [...value.properties.values()].every(isFixed);
    case 'array':
      return !value.incomplete && value.elements.every(isFixed);
    default:
      return false;
  }
}

/** Configuration files other tools are known by, never read as a knexfile. */
function isOtherToolsConfig(file: string): boolean {
  return /(^|\/)(ormconfig|data-source|datasource|drizzle\.config|mikro-orm\.config|kysely\.config|prisma\.config|\.sequelizerc)[^/]*$/i.test(file);
}

/**
 * The configuration knex uses in the image: the `environment` section of a per-environment
 * knexfile, else the whole export. Without that section knex would use the whole export as the
 * configuration, which has no client: an error naming the fix.
 */
function section(project: Project, file: string, config: JsValue | undefined, environment: string): JsValue | undefined {
  if (config === undefined || config.kind === 'unknown') {
    throw new UserError(
      `${project.abs(file)}: can't read what it exports (${describe(config)}) without running it: export the configuration as an object (module.exports = { client, connection, migrations })`,
    );
  }
  const sections = branches(config).flatMap((option) =>
    option.kind === 'object'
      ? [...option.properties].filter(([, value]) => property(value, 'client') !== undefined || property(value, 'connection') !== undefined)
      : [],
  );
  if (property(config, 'client') !== undefined || sections.length === 0) return config;
  const chosen = property(config, environment);
  if (chosen !== undefined) return chosen;
  const names = sections.map(([name]) => name);
  const inMemory = sections.filter(([, value]) => isInMemory(property(value, 'connection', 'filename')) || isInMemory(property(value, 'connection')));
  throw new UserError(
    `${project.abs(file)}: has per-environment sections (${names.join(', ')}) but no "${environment}": add one (the containers run with NODE_ENV=${ENVIRONMENT}), e.g. ${environment}: { client, connection: process.env.DATABASE_URL, migrations }${
      inMemory.length > 0
        ? `; ${inMemory.map(([name]) => name).join(', ')} uses SQLite's in-memory database (:memory:), which a separate migrate container can't share`
        : ''
    }`,
  );
}

/** The client names the stack knows, for messages. */
function knexClients(): string[] {
  return databases.flatMap((database) => database.clientNames);
}
