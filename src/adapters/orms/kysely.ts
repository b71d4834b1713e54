import path from 'node:path';
import type { Project } from '../../project/project.js';
import { UserError } from '../../errors.js';
import type { DatabaseId, Detected, OrmAdapter, OrmDetection } from '../types.js';
import { localImports, normaliseRelative, pathProperty, stringProperty, urlVariableIn, withoutComments } from '../../project/config-text.js';
import { compiledJavaScriptPath } from '../../project/typescript.js';
import { databaseForClient } from '../databases/index.js';

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

export const kysely: OrmAdapter = {
  id: 'kysely',
  label: 'Kysely',
  takesOwnLock: true,
  lockNote: "Kysely's Migrator serialises runs itself (a PostgreSQL advisory lock, MySQL GET_LOCK): a second run waits, then finds nothing to apply.",
  migrationTable: 'kysely_migration',
  migrationNameColumn: 'name',
  cliNames: ['kysely', 'kysely-ctl'],
  detect(project) {
    if (!project.hasDependency('kysely')) return undefined;
    const ctlConfig = project.firstExisting(CTL_CONFIGS);
    if (ctlConfig) return detectCtl(project, ctlConfig);
    const script = findMigrationScript(project);
    return script ? detectScript(project, script) : undefined;
  },
};

/** kysely-ctl: `kysely migrate:latest` loads kysely.config.ts itself (TypeScript included, through jiti). */
function detectCtl(project: Project, configFile: string): OrmDetection {
  if (!project.hasDependency('kysely-ctl')) {
    throw new UserError(`${project.abs(configFile)}: found, but kysely-ctl is not in package.json dependencies: add it (npm install --save-dev kysely-ctl)`);
  }
  const text = withoutComments(project.readText(configFile) ?? '');
  if (!/\bexport\s+default\b|\bmodule\.exports\b/.test(text)) {
    throw new UserError(`${project.abs(configFile)}: exports no configuration: export it (export default defineConfig({...}))`);
  }
  // A configured folder is relative to the config's own folder; the default is the root's migrations/.
  const migrationsDir = pathProperty(text, 'migrationFolder', configFile) ?? 'migrations';
  if (!project.isDirectory(migrationsDir)) {
    throw new UserError(
      `${project.abs(migrationsDir)}: the migration folder of ${configFile} does not exist: create a migration (npx kysely migrate:make init) or fix migrations.migrationFolder`,
    );
  }
  const files = [configFile, ...localImports(project, configFile, text)];
  const dialect = databaseForClient(stringProperty(text, 'dialect'));
  const database = dialect ? { value: dialect, source: configFile } : firstFound(files, (file) => dialectIn(withoutComments(project.readText(file) ?? '')));
  const urlVariable = firstFound(files, (file) => urlVariableIn(withoutComments(project.readText(file) ?? ''), file)?.value);
  const table = stringProperty(text, 'migrationTableName');
  return {
    configFile,
    migrationsDir,
    migrateCommand: ['node_modules/.bin/kysely', 'migrate:latest'],
    cliPackage: 'kysely-ctl',
    ...(database ? { database } : {}),
    ...(urlVariable ? { urlVariable } : {}),
    ...(table ? { migrationTable: table } : {}),
  };
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

  const folder = /(?:^|[\s,{(])migrationFolder\s*:\s*([^,}\n]+)/.exec(text)?.[1]?.trim();
  if (!folder) {
    throw new UserError(
      `${project.abs(script)}: runs Kysely's Migrator without a FileMigrationProvider migrationFolder detection can read: pass migrationFolder: path.join(import.meta.dirname, 'migrations') (or __dirname)`,
    );
  }
  // FileMigrationProvider reads a plain string from the working directory; a __dirname-based path
  // is relative to the script, whose compiled copy sits beside the compiled migrations.
  const relativeToScript = /__dirname|import\.meta\.dirname/.test(folder);
  const migrationsDir = pathProperty(text, 'migrationFolder', relativeToScript ? script : 'package.json');
  if (migrationsDir === undefined) {
    throw new UserError(
      `${project.abs(script)}: can't read migrationFolder (${folder}) without running the file: write it as path.join(import.meta.dirname, 'migrations') or a string`,
    );
  }
  if (!project.isDirectory(migrationsDir)) {
    throw new UserError(`${project.abs(migrationsDir)}: the migration folder of ${script} does not exist: create a migration there or fix migrationFolder`);
  }

  const warnings: string[] = [];
  if (!checksError(text)) {
    warnings.push(
      `${script}: migrateToLatest() reports a failed migration in its result's \`error\` instead of throwing, and this script never exits non-zero on it, so a failed migration would still let the app start: check \`error\` and call process.exit(1)`,
    );
  }
  const files = [script, ...localImports(project, script, text)];
  const database = firstFound(files, (file) => dialectIn(withoutComments(project.readText(file) ?? '')));
  const urlVariable = firstFound(files, (file) => urlVariableIn(withoutComments(project.readText(file) ?? ''), file)?.value);
  const table = stringProperty(text, 'migrationTableName');
  return {
    configFile: script,
    migrationsDir: normaliseRelative(migrationsDir),
    migrateCommand: ['node', compiled],
    cliPackage: 'kysely',
    ...(database ? { database } : {}),
    ...(urlVariable ? { urlVariable } : {}),
    ...(table ? { migrationTable: table } : {}),
    warnings,
  };
}

/** `const { error } = await migrator.migrateToLatest()` followed by a non-zero exit or a throw when it is set. */
function checksError(text: string): boolean {
  const call = /(\{[^}]*\}|\w+)\s*=\s*await\s+[\w.]+\.migrateToLatest\s*\(/.exec(text);
  const after = text.slice(call?.index ?? 0);
  const readsError = call !== null && /\berror\b/.test(after);
  const fails = /process\.exit\s*\(\s*[1-9]|process\.exitCode\s*=\s*[1-9]|\bthrow\b/.test(after);
  return readsError && fails;
}

function dialectIn(text: string): DatabaseId | undefined {
  for (const [name, database] of Object.entries(DIALECT_CLASSES)) {
    if (new RegExp(`\\bnew\\s+${name}\\s*\\(`).test(text)) return database;
  }
  return undefined;
}

/** The first of `files` (the configuration, then the modules it imports) in which `find` finds something. */
function firstFound<T>(files: string[], find: (file: string) => T | undefined): Detected<T> | undefined {
  for (const file of files) {
    const value = find(file);
    if (value !== undefined) return { value, source: file };
  }
  return undefined;
}
