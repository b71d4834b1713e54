import path from 'node:path';
import semver from 'semver';
import type { Project } from '../../project/project.js';
import { UserError } from '../../errors.js';
import type { DatabaseId, DetectionContext, OrmAdapter, OrmDetection } from '../types.js';
import { normaliseRelative, withoutComments } from '../../project/config-text.js';
import { asString, branches, describe, property, type JsValue } from '../../project/js-module.js';
import { compiledJavaScriptPath, isTypeScript, sourcePathOf, typescriptOutDir } from '../../project/typescript.js';
import { databaseForClient } from '../databases/index.js';
import { selfMigrationWarnings, withProjectScript } from './common.js';
import { CONFIG_DIRS, connectionParts, inMemoryError, isInMemory, readConfig, urlVariable } from './config.js';
import { missingScriptFile, optionValue, toolInvocations, type ToolInvocation } from './scripts.js';

/** Where data source files live in practice; tests and build output are never searched. */
const SEARCH_DIRS = ['.', 'src', 'app', 'server', 'lib', 'db', 'database', 'config'];
const SOURCE_EXTENSIONS = ['.ts', '.mts', '.cts', '.js', '.mjs', '.cjs'];
const NEW_DATA_SOURCE = /\bnew\s+DataSource\s*\(/;
const LEGACY_EXTENSIONS = ['env', 'js', 'cjs', 'ts', 'json', 'yml', 'yaml'];
const LEGACY_CONFIGS = ['.', ...CONFIG_DIRS].flatMap((dir) => LEGACY_EXTENSIONS.map((extension) => (dir === '.' ? '' : `${dir}/`) + `ormconfig.${extension}`));
const CLI_NAMES = ['typeorm', 'typeorm-ts-node-commonjs', 'typeorm-ts-node-esm'];
const DATA_SOURCE_OPTIONS = ['-d', '--dataSource', '--data-source'];
const LEGACY_CONFIG_OPTIONS = ['-f', '--config'];
const isMigrate = (args: readonly string[]) => args.includes('migration:run');
/** TypeORM's `type` for each database the stack runs (SQLite: the driver the project has). */
const TYPE_NAMES: Record<Exclude<DatabaseId, 'sqlite'>, string> = { postgres: 'postgres', mysql: 'mysql', mariadb: 'mariadb' };

export const typeorm: OrmAdapter = {
  id: 'typeorm',
  label: 'TypeORM',
  takesOwnLock: false,
  lockNote: 'TypeORM takes no lock of its own (typeorm#4588): two migrate runs at the same time can both apply a migration.',
  migrationTable: 'migrations',
  migrationNameColumn: 'name',
  cliNames: CLI_NAMES,
  packages: ['typeorm'],
  setupHint: 'DataSource (src/data-source.ts) or ormconfig.* that lists migrations',
  detect(project, context) {
    if (!project.hasDependency('typeorm')) return undefined;
    const version = context.packageVersion('typeorm');
    // 0.2's CLI reads ormconfig.* itself; 0.3 replaced it with a DataSource file (-d).
    if (version && semver.valid(version.value) && semver.lt(version.value, '0.3.0')) return detectLegacy(project, context, version.value);
    const file = findDataSource(project, context);
    if (!file) {
      const legacy = project.firstExisting(LEGACY_CONFIGS);
      if (legacy) {
        throw new UserError(
          `${project.abs(legacy)}: ormconfig files are not read by the TypeORM 0.3+ CLI${version ? ` (${version.source})` : ''}: export a DataSource (src/data-source.ts: export const AppDataSource = new DataSource({...}))`,
        );
      }
      return undefined;
    }

    const module = readConfig(project, file);
    const exported = [module.defaultExport, ...module.named.values()].filter(
      (value): value is JsValue => value !== undefined && branches(value).some((option) => option.kind === 'object' && option.constructedBy === 'DataSource'),
    );
    if (exported.length === 0) {
      throw new UserError(
        `${project.abs(file)}: creates a DataSource but does not export it: export it (export const AppDataSource = new DataSource({...})) for typeorm migration:run -d`,
      );
    }
    const options = exported[0]!;
    const compiled = compiledJavaScriptPath(project, file, compiledWhy(file));
    const migrationsDir = migrationsDirectory(project, file, module.file, property(options, 'migrations'), compiled !== file, 'DataSource');
    checkEntities(project, file, property(options, 'entities'), compiled !== file);

    // The compiled data source, made explicit (a script may name it in a variable the stack doesn't
    // set): the images run JavaScript, never ts-node.
    return typeormDetection(project, file, options, migrationsDir, ['-d', compiled], DATA_SOURCE_OPTIONS);
  },
};

const SELF_MIGRATION = [
  { pattern: /\.runMigrations\s*\(/, what: 'dataSource.runMigrations()' },
  { pattern: /\bmigrationsRun\s*:\s*true\b/, what: 'migrationsRun: true' },
];

/** What the options say about the database and how to reach it. */
function connection(project: Project, file: string, options: JsValue): Partial<OrmDetection> {
  const type = property(options, 'type');
  const typeName = asString(type);
  const database = databaseForClient(typeName ?? asString(variableFallback(type)));
  const sqlite = database === 'sqlite' || (typeName !== undefined && /sqlite/.test(typeName));
  const target = property(options, 'database');
  if (sqlite && isInMemory(target)) throw inMemoryError(project, file, 'database', 'use a file the stack puts on a volume: database: process.env.DATABASE_URL');
  const url = urlVariable(property(options, 'url'), file) ?? (sqlite ? urlVariable(target, file) : undefined);
  const parts = url || sqlite ? undefined : connectionParts(options, file);
  const table = asString(property(options, 'migrationsTableName'));
  const variable = type?.kind === 'env' ? type.name : undefined;
  return {
    ...(database ? { database: { value: database, source: file } } : {}),
    ...(url ? { urlVariable: url } : {}),
    ...(parts ? { connectionParts: parts } : {}),
    ...(table ? { migrationTable: table } : {}),
    // type: process.env.DATABASE_TYPE: the stack sets it to TypeORM's name of the chosen database.
    ...(variable ? { databaseTypeVariable: { name: variable, values: { ...TYPE_NAMES, sqlite: sqliteType(project) }, source: file } } : {}),
  };
}

function variableFallback(value: JsValue | undefined): JsValue | undefined {
  return value?.kind === 'env' ? value.fallback : undefined;
}

/** TypeORM's name of the SQLite driver the project installs. */
function sqliteType(project: Project): string {
  return project.hasDependency('better-sqlite3') || !project.hasDependency('sqlite3') ? 'better-sqlite3' : 'sqlite';
}

function optionWarnings(file: string, options: JsValue): string[] {
  const isTrue = (key: string) => branches(property(options, key)).some((option) => option.kind === 'literal' && option.value === true);
  const warnings: string[] = [];
  if (isTrue('synchronize')) {
    warnings.push(`${file}: synchronize: true makes the app alter the schema itself at start, behind the migrations' back: set it to false`);
  }
  if (isTrue('migrationsRun')) {
    warnings.push(
      `${file}: migrationsRun: true makes every app replica run migrations at start, without a lock: set it to false (the migrate service runs them)`,
    );
  }
  if (property(options, 'url') === undefined && property(options, 'host') === undefined && property(options, 'database') === undefined) {
    warnings.push(`${file}: the DataSource reads no URL variable (url: process.env.DATABASE_URL): the stack passes the connection as one URL`);
  }
  return warnings;
}

/**
 * The one file that creates a DataSource: the one --orm-config or a package.json script (-d /
 * --dataSource) names, else the only one in the sources; several → an error listing them.
 */
function findDataSource(project: Project, context: DetectionContext): string | undefined {
  if (context.ormConfig && SOURCE_EXTENSIONS.includes(path.posix.extname(context.ormConfig)) && !/(^|\/)ormconfig\./.test(context.ormConfig)) {
    if (NEW_DATA_SOURCE.test(withoutComments(project.readText(context.ormConfig) ?? ''))) return sourceOf(project, context.ormConfig);
  }
  for (const invocation of toolInvocations(project, CLI_NAMES)) {
    const named = optionValue(invocation.args, DATA_SOURCE_OPTIONS);
    if (named === undefined || named.includes('$')) continue;
    const source = sourceOf(project, normaliseRelative(named));
    if (!project.exists(source)) throw missingScriptFile(project, invocation, named);
    return source;
  }
  const candidates = project
    .sourceFiles(SEARCH_DIRS, SOURCE_EXTENSIONS)
    .filter((file) => !/(^|\/)(tests?|__tests__|e2e)\/|\.(test|spec)\.[cm]?[jt]s$/.test(file))
    .filter((file) => NEW_DATA_SOURCE.test(withoutComments(project.readText(file) ?? '')));
  if (candidates.length <= 1) return candidates[0];
  throw new UserError(
    `${project.abs('package.json')}: several files create a TypeORM DataSource (${candidates.join(', ')}): name the one for migrations in a script (e.g. "migration:run": "typeorm migration:run -d dist/data-source.js") or pass --orm-config <path>`,
  );
}

/** The source of a compiled file a script names (dist/data-source.js → src/data-source.ts), else the file itself. */
function sourceOf(project: Project, file: string): string {
  if (project.exists(file) && !/^(dist|build|out)\//.test(file)) return file;
  let source: string;
  try {
    source = sourcePathOf(project, file, 'it names the compiled data source');
  } catch {
    return file;
  }
  const stem = source.replace(/\.[cm]?js$/, '');
  return ['.ts', '.mts', '.cts', '.js'].map((extension) => stem + extension).find((candidate) => project.exists(candidate)) ?? file;
}

/** Why the data source must compile (the start of a message). */
function compiledWhy(file: string): string {
  return `the image runs the compiled ${file} (never ts-node)`;
}

/**
 * The source folder of the migrations the configuration loads: from globs (paths computed from
 * __dirname are the file's own; plain strings are relative to the working directory, mapped back
 * from the build output), or from the imports of migration classes listed by name.
 */
function migrationsDirectory(project: Project, file: string, moduleFile: string, migrations: JsValue | undefined, compiled: boolean, what: string): string {
  if (migrations === undefined) {
    throw new UserError(
      `${project.abs(file)}: the ${what} has no migrations option: add migrations: [__dirname + '/migrations/*.js'] so that typeorm migration:run finds them`,
    );
  }
  const entries = migrations.kind === 'array' ? migrations.elements : [migrations];
  const first = entries[0];
  if (!first) throw new UserError(`${project.abs(file)}: migrations: [] is empty: list the migrations (e.g. [__dirname + '/migrations/*.js'])`);

  const glob = first.kind === 'path' ? first.path : asString(first);
  if (glob !== undefined) {
    checkLoadable(project, file, 'migrations', glob, compiled);
    const staticPart = glob.split(/[*{?[]/)[0]!.replace(/[^/]*$/, '');
    const dir = normaliseRelative(staticPart || '.');
    const inProject = first.kind === 'path' || !compiled ? outputSource(project, dir) : sourcePathOf(project, dir, compiledWhy(file));
    return existing(project, file, inProject);
  }
  // Classes: the folder their import comes from.
  const name = describe(first).replace(/ \(from .*$/, '');
  const text = withoutComments(project.readText(moduleFile) ?? '');
  const source = /^[A-Za-z_$][\w$]*$/.test(name)
    ? new RegExp(`import\\s*\\{[^}]*\\b${name}\\b[^}]*\\}\\s*from\\s*['"]([^'"]+)['"]`).exec(text)?.[1]
    : undefined;
  if (!source?.startsWith('.')) {
    throw new UserError(
      `${project.abs(file)}: can't tell where migration ${describe(first)} lives without running the file: import it from a relative path, or list migrations as a glob ([__dirname + '/migrations/*.js'])`,
    );
  }
  return existing(project, file, normaliseRelative(path.posix.dirname(path.posix.join(path.posix.dirname(moduleFile), source))));
}

/**
 * The source folder of a folder in the TypeScript build output (an ormconfig.js that loads
 * `dist/migrations/*.js`): the checkout has only the sources, which the image's build compiles.
 */
function outputSource(project: Project, dir: string): string {
  const outDir = typescriptOutDir(project);
  if (outDir === undefined || (dir !== outDir && !dir.startsWith(`${outDir}/`))) return dir;
  return sourcePathOf(project, dir, `${dir} is TypeScript's build output`);
}

function existing(project: Project, file: string, dir: string): string {
  if (!project.isDirectory(dir)) {
    throw new UserError(
      `${project.abs(dir)}: the migrations directory of ${file} does not exist: create a migration (typeorm migration:create ${dir}/Init) or fix migrations`,
    );
  }
  return dir;
}

/** A glob the compiled image would load TypeScript through (`src/migrations/*.ts`): an error with the fix. */
function checkLoadable(project: Project, file: string, option: string, glob: string, compiled: boolean): void {
  const typescriptOnly = /\.ts\}?$/.test(glob) && !/\{[^}]*js/.test(glob);
  if (!typescriptOnly) return;
  if (compiled) {
    throw new UserError(
      `${project.abs(file)}: ${option} "${glob}" matches TypeScript files only, which the compiled configuration can't load in the image: use [__dirname + '/${option}/*.{js,ts}'] (or the dist/ folder)`,
    );
  }
  const dir = normaliseRelative(glob.split(/[*{?[]/)[0]!.replace(/[^/]*$/, '') || '.');
  let target = `dist/${dir}`;
  try {
    target = compiledJavaScriptPath(project, dir, `${option} must load compiled JavaScript`);
  } catch {
    // No tsconfig output yet: the message says what to compile them to.
  }
  throw new UserError(
    `${project.abs(file)}: ${option} "${glob}" are TypeScript, which the typeorm CLI loads only through ts-node, which the image doesn't run: compile them (tsconfig include) and list the compiled files ('${target}/*.js')`,
  );
}

/** Entities the compiled configuration would load as TypeScript make every migrate run fail. */
function checkEntities(project: Project, file: string, entities: JsValue | undefined, compiled: boolean): void {
  for (const entry of entities?.kind === 'array' ? entities.elements : []) {
    const glob = entry.kind === 'path' ? entry.path : asString(entry);
    if (glob !== undefined) checkLoadable(project, file, 'entities', glob, compiled || entry.kind === 'path');
  }
}

// ─────────────────────────── TypeORM 0.2: ormconfig ───────────────────────────

/**
 * TypeORM 0.2: `typeorm migration:run` reads ormconfig.* from the working directory itself (-f
 * names another one, without extension), and resolves the relative paths in it from there.
 */
function detectLegacy(project: Project, context: DetectionContext, version: string): OrmDetection | undefined {
  const invocations = toolInvocations(project, CLI_NAMES);
  const file = findLegacyConfig(project, context, invocations);
  if (!file) return undefined;
  const where = project.abs(file);
  const extension = path.posix.extname(file).slice(1);
  if (isTypeScript(file)) {
    throw new UserError(
      `${where}: the TypeORM ${version} CLI loads a TypeScript ormconfig only through ts-node, which the image doesn't run: write it as ormconfig.js or ormconfig.json`,
    );
  }
  const options = legacyOptions(project, file, extension);
  const migrationsDir = migrationsDirectory(project, file, file, property(options, 'migrations'), false, 'ormconfig');
  checkEntities(project, file, property(options, 'entities'), false);

  const stem = file.replace(/\.[^./]+$/, '');
  const configFlag = stem === 'ormconfig' ? [] : ['-f', stem];
  return typeormDetection(project, file, options, migrationsDir, configFlag, LEGACY_CONFIG_OPTIONS);
}

/**
 * `typeorm migration:run` with `configArgs` (the data source or ormconfig to read), or the project's
 * own migrate script with them added unless it names one itself (`configOptions`).
 */
function typeormDetection(
  project: Project,
  file: string,
  options: JsValue,
  migrationsDir: string,
  configArgs: string[],
  configOptions: readonly string[],
): OrmDetection {
  const detection: OrmDetection = {
    configFile: file,
    migrationsDir,
    migrateCommand: ['node_modules/.bin/typeorm', 'migration:run', ...configArgs],
    cliPackage: 'typeorm',
    ...connection(project, file, options),
    warnings: [...optionWarnings(file, options), ...selfMigrationWarnings(project, SELF_MIGRATION, [file])],
  };
  return withProjectScript(project, detection, {
    cliNames: CLI_NAMES,
    binary: 'typeorm',
    isMigrate,
    args: (invocation) => (optionValue(invocation.args, configOptions) ? invocation.args : [...invocation.args, ...configArgs]),
  });
}

function findLegacyConfig(project: Project, context: DetectionContext, invocations: ToolInvocation[]): string | undefined {
  if (context.ormConfig && /(^|\/)ormconfig\.[a-z]+$/.test(context.ormConfig)) return context.ormConfig;
  for (const invocation of invocations) {
    const named = optionValue(invocation.args, LEGACY_CONFIG_OPTIONS);
    if (named === undefined) continue;
    const base = normaliseRelative(named);
    const found = [base, ...LEGACY_EXTENSIONS.map((extension) => `${base}.${extension}`)].find(
      (candidate) => project.exists(candidate) && !project.isDirectory(candidate),
    );
    if (!found) throw missingScriptFile(project, invocation, named);
    return found;
  }
  const found = project.firstExisting(LEGACY_CONFIGS);
  if (found) return found;
  // A folder of its own under config/ (config/general/ormconfig.js).
  for (const dir of project.list('config').filter((name) => project.isDirectory(`config/${name}`))) {
    const nested = LEGACY_EXTENSIONS.map((extension) => `config/${dir}/ormconfig.${extension}`).find((candidate) => project.exists(candidate));
    if (nested) return nested;
  }
  return undefined;
}

/** The default connection's options of an ormconfig, whatever its format. */
function legacyOptions(project: Project, file: string, extension: string): JsValue {
  let value: JsValue | undefined;
  if (extension === 'yml' || extension === 'yaml') value = plainValue(project.readYaml<unknown>(file));
  else if (extension === 'env') value = envFileOptions(project, file);
  else value = readConfig(project, file).defaultExport;
  const connections = value?.kind === 'array' ? value.elements : value ? [value] : [];
  const chosen = connections.find((option) => (asString(property(option, 'name')) ?? 'default') === 'default') ?? connections[0];
  if (!chosen || chosen.kind === 'unknown' || chosen.kind === 'literal') {
    throw new UserError(
      `${project.abs(file)}: can't read its connection options (${describe(value)}) without running it: export an object (module.exports = { type, url, migrations })`,
    );
  }
  return chosen;
}

/** ormconfig.env: TYPEORM_* variables as the options they stand for. */
function envFileOptions(project: Project, file: string): JsValue {
  const entries = Object.fromEntries(
    (project.readText(file) ?? '')
      .split('\n')
      .map((line) => /^\s*(TYPEORM_[A-Z_]+)\s*=\s*(.*?)\s*$/.exec(line))
      .filter((match): match is RegExpExecArray => match !== null)
      .map((match) => [match[1]!, match[2]!.replace(/^(['"])(.*)\1$/, '$2')]),
  );
  const list = (text: string | undefined) => (text === undefined ? undefined : text.split(',').map((item) => item.trim()));
  return plainValue({
    type: entries.TYPEORM_CONNECTION,
    ...(entries.TYPEORM_URL ? { url: entries.TYPEORM_URL } : {}),
    migrations: list(entries.TYPEORM_MIGRATIONS),
    entities: list(entries.TYPEORM_ENTITIES),
    ...(entries.TYPEORM_MIGRATIONS_TABLE_NAME ? { migrationsTableName: entries.TYPEORM_MIGRATIONS_TABLE_NAME } : {}),
  })!;
}

/** JSON-like data as a value the helpers read. */
function plainValue(data: unknown): JsValue | undefined {
  if (data === undefined) return undefined;
  if (data === null || ['string', 'number', 'boolean'].includes(typeof data)) return { kind: 'literal', value: data as string | number | boolean | null };
  if (Array.isArray(data)) return { kind: 'array', elements: data.map((item) => plainValue(item) ?? { kind: 'literal', value: undefined }), incomplete: false };
  if (typeof data === 'object') {
    const properties = new Map(Object.entries(data).flatMap(([key, item]) => (item === undefined ? [] : [[key, plainValue(item)!] as const])));
    return { kind: 'object', properties, incomplete: false };
  }
  return { kind: 'unknown', source: typeof data };
}
