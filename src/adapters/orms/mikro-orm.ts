import semver from 'semver';
import type { Project } from '../../project/project.js';
import { UserError } from '../../errors.js';
import type { DatabaseId, Detected, OrmAdapter, OrmDetection } from '../types.js';
import { isInside, normaliseRelative, withoutComments } from '../../project/config-text.js';
import { asString, describe, property, type JsValue } from '../../project/js-module.js';
import { selfMigrationWarnings, withProjectScript } from './common.js';
import { connectionParts, exportedConfig, inMemoryError, isInMemory, readConfig, urlVariable } from './config.js';
import { compiledJavaScriptPath, isTypeScript, sourcePathOf, typescriptDirectories } from '../../project/typescript.js';

/** The CLI's own search order after package.json#mikro-orm.configPaths (TypeScript first). */
const DEFAULT_CONFIGS = ['src/mikro-orm.config.ts', 'mikro-orm.config.ts', 'src/mikro-orm.config.js', 'mikro-orm.config.js'];
const CLI = '@mikro-orm/cli';
/** Output folders never read as configuration: a local build must not change what is detected. */
const OUTPUT_DIRS = ['dist', 'build'];

/** Driver packages (imported for defineConfig or the driver class) → database. */
const DRIVER_PACKAGES: Record<string, DatabaseId> = {
  '@mikro-orm/postgresql': 'postgres',
  '@mikro-orm/mysql': 'mysql',
  '@mikro-orm/mariadb': 'mariadb',
  '@mikro-orm/sqlite': 'sqlite',
  '@mikro-orm/better-sqlite': 'sqlite',
  '@mikro-orm/libsql': 'sqlite',
};
const DRIVER_CLASSES: Record<string, DatabaseId> = {
  PostgreSqlDriver: 'postgres',
  MySqlDriver: 'mysql',
  MariaDbDriver: 'mariadb',
  SqliteDriver: 'sqlite',
  BetterSqliteDriver: 'sqlite',
  LibSqlDriver: 'sqlite',
};
/** MikroORM 5's `type:` option. */
const LEGACY_TYPES: Record<string, DatabaseId> = { postgresql: 'postgres', mysql: 'mysql', mariadb: 'mariadb', sqlite: 'sqlite', 'better-sqlite': 'sqlite' };

interface PackageSettings {
  configPaths?: unknown;
}

export const mikroOrm: OrmAdapter = {
  id: 'mikro-orm',
  label: 'MikroORM',
  takesOwnLock: false,
  lockNote: 'MikroORM takes no lock of its own: two migration:up runs at the same time can both apply a migration recorded in mikro_orm_migrations.',
  migrationTable: 'mikro_orm_migrations',
  migrationNameColumn: 'name',
  cliNames: ['mikro-orm', 'mikro-orm-esm'],
  packages: ['@mikro-orm/core'],
  setupHint: 'MikroORM config (src/mikro-orm.config.ts) with @mikro-orm/cli and @mikro-orm/migrations',
  detect(project, context) {
    const packages = Object.keys(project.allDependencies).filter((name) => name.startsWith('@mikro-orm/'));
    if (packages.length === 0) return undefined;

    const configFile = context.ormConfig && /mikro-?orm[^/]*\.[cm]?[jt]s$/i.test(context.ormConfig) ? context.ormConfig : findConfig(project);
    if (!configFile) {
      if (!project.hasDependency(CLI)) return undefined; // the ORM without its CLI: migrations run elsewhere
      // A committed template the project's CI copies into place (src/mikro-orm.config.ts.example).
      const template = [...DEFAULT_CONFIGS].map((file) => `${file}.example`).find((file) => project.exists(file));
      if (template) {
        throw new UserError(
          `${project.abs(template)}: the MikroORM config is committed only as this template: copy it to ${template.replace(/\.example$/, '')} (reading the connection from a variable, clientUrl: process.env.DATABASE_URL) and commit it, or pass --orm-config <path>`,
        );
      }
      throw new UserError(
        `${project.abs('package.json')}: ${CLI} is installed but there is no MikroORM config (src/mikro-orm.config.ts, mikro-orm.config.ts or package.json#mikro-orm.configPaths): add one so that the CLI can run migrations, or pass --orm-config <path>`,
      );
    }
    if (!project.hasDependency('@mikro-orm/migrations')) {
      throw new UserError(
        `${project.abs('package.json')}: @mikro-orm/migrations is not a dependency, and mikro-orm migration:up needs it: npm install @mikro-orm/migrations (and add Migrator to extensions in ${configFile})`,
      );
    }

    const text = withoutComments(project.readText(configFile) ?? '');
    const config = exportedConfig(readConfig(project, configFile));
    if (config === undefined) {
      throw new UserError(`${project.abs(configFile)}: exports no configuration: export it (export default defineConfig({...}))`);
    }

    // The image runs the compiled configuration with plain node: no ts-node, no TypeScript loader.
    const typescript = isTypeScript(configFile);
    const why = `the image runs the compiled ${configFile} (never ts-node)`;
    const compiledConfig = compiledJavaScriptPath(project, configFile, why);
    const migrations = property(config, 'migrations');
    const runtime = configuredPath(project, configFile, migrations, 'path') ?? { path: 'migrations', relativeToFile: false };
    const migrationsPathTs = configuredPath(project, configFile, migrations, 'pathTs')?.path;
    let migrationsDir: string;
    if (!typescript) {
      migrationsDir = runtime.path;
    } else if (runtime.relativeToFile) {
      // path.join(__dirname, 'migrations') in src/ is dist/migrations once compiled: tsc's output by construction.
      compiledJavaScriptPath(project, runtime.path, why);
      migrationsDir = migrationsPathTs ?? runtime.path;
    } else {
      checkCompiledMigrations(project, configFile, runtime.path, migrationsPathTs, why);
      migrationsDir = migrationsPathTs ?? sourcePathOf(project, runtime.path, why);
    }
    if (!project.isDirectory(migrationsDir)) {
      throw new UserError(
        `${project.abs(migrationsDir)}: the migrations directory of ${configFile} does not exist: create a migration (npx mikro-orm migration:create) or fix migrations.${migrationsPathTs ? 'pathTs' : 'path'}`,
      );
    }

    const major = semver.minVersion(project.allDependencies[CLI] ?? project.allDependencies['@mikro-orm/core'] ?? '')?.major;
    const warnings: string[] = [];

    const database = databaseOf(project, text, config, configFile);
    if (database?.value === 'sqlite' && isInMemory(property(config, 'dbName'))) {
      throw inMemoryError(project, configFile, 'dbName', 'read the file from a variable (dbName: process.env.DATABASE_URL) the stack puts on a volume');
    }
    const url =
      urlVariable(property(config, 'clientUrl'), configFile) ??
      (database?.value === 'sqlite' ? urlVariable(property(config, 'dbName'), configFile) : undefined);
    const parts = url ? undefined : connectionParts(config, configFile);
    const table = asString(property(migrations, 'tableName'));
    // With TypeScript support installed (ts-node for MikroORM 6, tsx, swc… for 7) the CLI would
    // load migrations.pathTs through it even from the compiled config; the setting has no flag.
    const noTypeScript = typescript ? ['env', major !== undefined && major >= 7 ? 'MIKRO_ORM_CLI_PREFER_TS=false' : 'MIKRO_ORM_CLI_USE_TS_NODE=false'] : [];
    const detection: OrmDetection = {
      configFile,
      migrationsDir,
      migrateCommand: [...noTypeScript, 'node_modules/.bin/mikro-orm', 'migration:up', '--config', compiledConfig],
      cliPackage: CLI,
      ...(database ? { database } : {}),
      // Without clientUrl (or its parts), MikroORM reads its own MIKRO_ORM_CLIENT_URL.
      ...(parts && !url
        ? { connectionParts: parts }
        : { urlVariable: url ?? { value: 'MIKRO_ORM_CLIENT_URL', source: "MikroORM's own variable (the config sets no clientUrl)" } }),
      ...(table ? { migrationTable: table } : {}),
      ...(major !== undefined && major >= 7 ? { minimumNode: { value: '22.17', source: `MikroORM ${major}` } } : {}),
      warnings: [
        ...warnings,
        ...selfMigrationWarnings(
          project,
          [{ pattern: /getMigrator\s*\(\s*\)\s*\.\s*up\s*\(|\.migrator\s*\.\s*up\s*\(/, what: 'orm.getMigrator().up()' }],
          [configFile],
        ),
      ],
    };
    // The project's own migration:up script, with the compiled config made explicit.
    return withProjectScript(project, detection, {
      cliNames: ['mikro-orm', 'mikro-orm-esm'],
      binary: 'mikro-orm',
      isMigrate: (args) => args.includes('migration:up'),
      env: noTypeScript.slice(1),
      args: (invocation) => [
        ...invocation.args.filter((arg, index, all) => arg !== '--config' && all[index - 1] !== '--config' && !arg.startsWith('--config=')),
        '--config',
        compiledConfig,
      ],
    });
  },
};

/** The configuration the CLI would load: package.json#mikro-orm.configPaths first, then its defaults; sources only. */
function findConfig(project: Project): string | undefined {
  const settings = (project.packageJson as { 'mikro-orm'?: unknown })['mikro-orm'];
  const file = project.abs('package.json');
  if (settings !== undefined && (typeof settings !== 'object' || settings === null || Array.isArray(settings))) {
    throw new UserError(`${file}: "mikro-orm" must be an object (e.g. {"configPaths": ["./src/mikro-orm.config.ts", "./dist/mikro-orm.config.js"]}): fix it`);
  }
  const configPaths = (settings as PackageSettings | undefined)?.configPaths;
  if (configPaths !== undefined && (!Array.isArray(configPaths) || !configPaths.every((entry) => typeof entry === 'string'))) {
    throw new UserError(`${file}: mikro-orm.configPaths must be an array of paths (e.g. ["./src/mikro-orm.config.ts", "./dist/mikro-orm.config.js"]): fix it`);
  }
  const candidates = [...(configPaths ?? []).map(normaliseRelative), ...DEFAULT_CONFIGS];
  return candidates.find((candidate) => !OUTPUT_DIRS.some((dir) => isInside(candidate, dir)) && project.exists(candidate) && !project.isDirectory(candidate));
}

/**
 * migrations.path / pathTs, relative to the project root (MikroORM resolves plain strings from
 * the working directory; __dirname-based ones are relative to the config file). A UserError when
 * it is written in a way detection can't follow.
 */
function configuredPath(
  project: Project,
  configFile: string,
  migrations: JsValue | undefined,
  name: 'path' | 'pathTs',
): { path: string; relativeToFile: boolean } | undefined {
  const value = property(migrations, name);
  if (value === undefined) return undefined;
  if (value.kind === 'path') {
    if (value.outsideProject)
      throw new UserError(
        `${project.abs(configFile)}: migrations.${name} (${value.path}) is outside the project, which is all the image contains: move it into the project`,
      );
    return { path: value.path, relativeToFile: true };
  }
  const text = asString(value);
  if (text === undefined) {
    throw new UserError(
      `${project.abs(configFile)}: can't read migrations.${name} (${describe(value)}) without running the file: write it as a string ('dist/migrations') or path.join(__dirname, 'migrations')`,
    );
  }
  return { path: normaliseRelative(text), relativeToFile: false };
}

/**
 * The compiled configuration loads migrations from migrations.path with plain node: that folder
 * must be compiled output, or JavaScript. MikroORM creates a missing folder and then applies
 * nothing, so a wrong path would pass silently.
 */
function checkCompiledMigrations(project: Project, configFile: string, runtimePath: string, sourcePath: string | undefined, why: string): void {
  const { outDir } = typescriptDirectories(project, why);
  if (isInside(runtimePath, outDir)) {
    const expected = sourcePath ? compiledJavaScriptPath(project, sourcePath, why) : undefined;
    if (expected && expected !== runtimePath) {
      throw new UserError(
        `${project.abs(configFile)}: migrations.path is ${runtimePath} but tsc compiles migrations.pathTs (${sourcePath}) to ${expected}: make them match`,
      );
    }
    return;
  }
  const typescriptMigrations = project.list(runtimePath).some((name) => isTypeScript(name));
  if (typescriptMigrations) {
    const compiled = compiledJavaScriptPath(project, runtimePath, why);
    throw new UserError(
      `${project.abs(configFile)}: migrations.path (${runtimePath}) holds TypeScript, which the compiled config can't load in the image: set path: '${compiled}' and pathTs: '${runtimePath}'`,
    );
  }
}

function databaseOf(project: Project, text: string, config: JsValue, configFile: string): Detected<DatabaseId> | undefined {
  for (const [name, database] of Object.entries(DRIVER_PACKAGES)) {
    if (new RegExp(`['"]${name}['"]`).test(text)) return { value: database, source: configFile };
  }
  const driver = describe(property(config, 'driver'));
  for (const [name, database] of Object.entries(DRIVER_CLASSES)) {
    if (driver.startsWith(name)) return { value: database, source: configFile };
  }
  const legacy = LEGACY_TYPES[asString(property(config, 'type')) ?? ''];
  if (legacy) return { value: legacy, source: configFile };
  for (const [name, database] of Object.entries(DRIVER_PACKAGES)) {
    if (project.hasDependency(name)) return { value: database, source: `dependency ${name}` };
  }
  return undefined;
}
