import semver from 'semver';
import type { Project } from '../../project/project.js';
import { UserError } from '../../errors.js';
import type { DatabaseId, Detected, OrmAdapter } from '../types.js';
import { bracketedValue, isInside, normaliseRelative, pathProperty, stringProperty, urlVariableIn, withoutComments } from '../../project/config-text.js';
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
  detect(project) {
    const packages = Object.keys(project.allDependencies).filter((name) => name.startsWith('@mikro-orm/'));
    if (packages.length === 0) return undefined;

    const configFile = findConfig(project);
    if (!configFile) {
      if (!project.hasDependency(CLI)) return undefined; // the ORM without its CLI: migrations run elsewhere
      throw new UserError(
        `${project.abs('package.json')}: ${CLI} is installed but there is no MikroORM config (src/mikro-orm.config.ts, mikro-orm.config.ts or package.json#mikro-orm.configPaths): add one so that the CLI can run migrations`,
      );
    }
    if (!project.hasDependency('@mikro-orm/migrations')) {
      throw new UserError(
        `${project.abs('package.json')}: @mikro-orm/migrations is not a dependency, and mikro-orm migration:up needs it: npm install @mikro-orm/migrations (and add Migrator to extensions in ${configFile})`,
      );
    }

    const text = withoutComments(project.readText(configFile) ?? '');
    if (!/\bexport\s+default\b|\bmodule\.exports\b|\bexport\s*=/.test(text)) {
      throw new UserError(`${project.abs(configFile)}: exports no configuration: export it (export default defineConfig({...}))`);
    }

    // The image runs the compiled configuration with plain node: no ts-node, no TypeScript loader.
    const typescript = isTypeScript(configFile);
    const why = `the image runs the compiled ${configFile} (never ts-node)`;
    const compiledConfig = compiledJavaScriptPath(project, configFile, why);
    const migrations = bracketedValue(text, 'migrations') ?? '';
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

    const database = databaseOf(project, text, configFile);
    const urlVariable = urlVariableOf(text, configFile);
    const table = stringProperty(migrations, 'tableName');
    // With TypeScript support installed (ts-node for MikroORM 6, tsx, swc… for 7) the CLI would
    // load migrations.pathTs through it even from the compiled config; the setting has no flag.
    const noTypeScript = typescript ? ['env', major !== undefined && major >= 7 ? 'MIKRO_ORM_CLI_PREFER_TS=false' : 'MIKRO_ORM_CLI_USE_TS_NODE=false'] : [];
    return {
      configFile,
      migrationsDir,
      migrateCommand: [...noTypeScript, 'node_modules/.bin/mikro-orm', 'migration:up', '--config', compiledConfig],
      cliPackage: CLI,
      ...(database ? { database } : {}),
      urlVariable,
      ...(table ? { migrationTable: table } : {}),
      ...(major !== undefined && major >= 7 ? { minimumNode: { value: '22.17', source: `MikroORM ${major}` } } : {}),
      warnings,
    };
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
  migrations: string,
  name: 'path' | 'pathTs',
): { path: string; relativeToFile: boolean } | undefined {
  const present = new RegExp(`(?:^|[\\s,{(])${name}\\s*:`).exec(migrations);
  if (!present) return undefined;
  const relativeToFile = /^(?:path\.)?(?:join|resolve)\(\s*(?:__dirname|import\.meta\.dirname)/.test(
    migrations.slice(present.index + present[0].length).trimStart(),
  );
  // Joined with the folder of the file given: the config's for __dirname, the root's otherwise.
  const found = pathProperty(migrations, name, relativeToFile ? configFile : 'package.json');
  if (found === undefined) {
    throw new UserError(
      `${project.abs(configFile)}: can't read migrations.${name} without running the file: write it as a string ('dist/migrations') or path.join(__dirname, 'migrations')`,
    );
  }
  return { path: found, relativeToFile };
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

function databaseOf(project: Project, text: string, configFile: string): Detected<DatabaseId> | undefined {
  for (const [name, database] of Object.entries(DRIVER_PACKAGES)) {
    if (new RegExp(`['"]${name}['"]`).test(text)) return { value: database, source: configFile };
  }
  for (const [name, database] of Object.entries(DRIVER_CLASSES)) {
    if (new RegExp(`\\bdriver\\s*:\\s*${name}\\b`).test(text)) return { value: database, source: configFile };
  }
  const legacy = LEGACY_TYPES[stringProperty(text, 'type') ?? ''];
  if (legacy) return { value: legacy, source: configFile };
  for (const [name, database] of Object.entries(DRIVER_PACKAGES)) {
    if (project.hasDependency(name)) return { value: database, source: `dependency ${name}` };
  }
  return undefined;
}

/** clientUrl: process.env.X; without one, MikroORM reads its own MIKRO_ORM_CLIENT_URL. */
function urlVariableOf(text: string, configFile: string): Detected<string> {
  const clientUrl = /\bclientUrl\s*:\s*process\.env(?:\.([A-Za-z_]\w*)|\[['"]([A-Za-z_]\w*)['"]\])/.exec(text);
  if (clientUrl) return { value: (clientUrl[1] ?? clientUrl[2])!, source: configFile };
  return urlVariableIn(text, configFile) ?? { value: 'MIKRO_ORM_CLIENT_URL', source: "MikroORM's own variable (the config sets no clientUrl)" };
}
