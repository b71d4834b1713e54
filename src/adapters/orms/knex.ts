import { UserError } from '../../errors.js';
import type { OrmAdapter } from '../types.js';
import { pathProperty, stringProperty, urlVariableIn } from '../../project/config-text.js';
import { databaseForClient } from '../databases/index.js';

const KNEXFILES = ['knexfile.js', 'knexfile.cjs', 'knexfile.mjs', 'knexfile.ts', 'knexfile.cts', 'knexfile.mts'];
/** TypeScript loaders the knex CLI registers by itself (through `interpret`) for a .ts knexfile. */
const TYPESCRIPT_LOADERS = ['ts-node', 'esbuild-register', '@swc/register', 'sucrase'];

export const knex: OrmAdapter = {
  id: 'knex',
  label: 'Knex',
  takesOwnLock: true,
  lockNote: 'Knex serialises runs itself with a row in knex_migrations_lock.',
  migrationTable: 'knex_migrations',
  migrationNameColumn: 'name',
  cliNames: ['knex'],
  detect(project) {
    const configFile = project.firstExisting(KNEXFILES);
    if (!configFile) return undefined;
    if (!project.hasDependency('knex')) {
      throw new UserError(`${project.abs(configFile)}: found, but knex is not in package.json dependencies: add it (npm install knex)`);
    }
    const text = project.readText(configFile) ?? '';
    // The migrate image has every dependency: a loader among them lets the CLI read the .ts file.
    if (/\.[cm]?ts$/.test(configFile) && !TYPESCRIPT_LOADERS.some((loader) => project.hasDependency(loader))) {
      throw new UserError(
        `${project.abs(configFile)}: the knex CLI reads a TypeScript knexfile only through a loader: add ts-node as a devDependency (npm install -D ts-node), or write the knexfile in JavaScript`,
      );
    }

    // The migrate image runs with NODE_ENV=production; knex then reads the `production` section
    // of a per-environment knexfile and fails obscurely when there is none.
    const perEnvironment = /^\s*(development|staging|test)\s*:/m.test(text);
    if (perEnvironment && !/^\s*production\s*:/m.test(text)) {
      throw new UserError(
        `${project.abs(configFile)}: has per-environment sections but no "production": add one (the containers run with NODE_ENV=production)`,
      );
    }

    const migrationsDir = pathProperty(text, 'directory', configFile) ?? 'migrations';
    if (!project.isDirectory(migrationsDir)) {
      throw new UserError(
        `${project.abs(migrationsDir)}: the migrations directory of ${configFile} does not exist: create a migration (npx knex migrate:make init) or fix migrations.directory`,
      );
    }
    const database = databaseForClient(stringProperty(text, 'client'));
    const urlVariable = urlVariableIn(text, configFile);
    return {
      configFile,
      migrationsDir,
      // The project's own knex binary: no npx download, and no package manager between the
      // signals and the process.
      migrateCommand: ['node_modules/.bin/knex', 'migrate:latest', '--knexfile', configFile],
      cliPackage: 'knex',
      ...(database ? { database: { value: database, source: configFile } } : {}),
      ...(urlVariable ? { urlVariable } : {}),
    };
  },
};
