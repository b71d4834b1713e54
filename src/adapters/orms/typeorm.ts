import path from 'node:path';
import type { Project } from '../../project/project.js';
import { UserError } from '../../errors.js';
import type { OrmAdapter } from '../types.js';
import { balanced, bracketedValue, normaliseRelative, stringProperty, urlVariableIn, withoutComments } from '../../project/config-text.js';
import { compiledJavaScriptPath, sourcePathOf } from '../../project/typescript.js';
import { databaseForClient } from '../databases/index.js';

/** Where data source files live in practice; tests and build output are never searched. */
const SEARCH_DIRS = ['.', 'src', 'app', 'server', 'lib', 'db', 'database', 'config'];
const SOURCE_EXTENSIONS = ['.ts', '.mts', '.cts', '.js', '.mjs', '.cjs'];
const NEW_DATA_SOURCE = /\bnew\s+DataSource\s*\(/;
const LEGACY_CONFIGS = ['ormconfig.json', 'ormconfig.js', 'ormconfig.ts', 'ormconfig.yml', 'ormconfig.yaml', 'ormconfig.env'];

export const typeorm: OrmAdapter = {
  id: 'typeorm',
  label: 'TypeORM',
  takesOwnLock: false,
  lockNote: 'TypeORM takes no lock of its own (typeorm#4588): two migrate runs at the same time can both apply a migration.',
  migrationTable: 'migrations',
  migrationNameColumn: 'name',
  cliNames: ['typeorm', 'typeorm-ts-node-commonjs', 'typeorm-ts-node-esm'],
  detect(project) {
    if (!project.hasDependency('typeorm')) return undefined;
    const file = findDataSource(project);
    if (!file) {
      const legacy = project.firstExisting(LEGACY_CONFIGS);
      if (legacy) {
        throw new UserError(
          `${project.abs(legacy)}: ormconfig files are not read by the TypeORM 0.3+ CLI: export a DataSource (src/data-source.ts: export const AppDataSource = new DataSource({...}))`,
        );
      }
      return undefined;
    }

    const text = withoutComments(project.readText(file) ?? '');
    if (!/\bexport\b|module\.exports|exports\.\w+\s*=/.test(text)) {
      throw new UserError(
        `${project.abs(file)}: creates a DataSource but does not export it: export it (export const AppDataSource = new DataSource({...})) for typeorm migration:run -d`,
      );
    }
    const call = NEW_DATA_SOURCE.exec(text)!;
    const options = balanced(text, call.index + call[0].length - 1) ?? '';
    const migrations = bracketedValue(options, 'migrations', '[');
    if (!migrations) {
      throw new UserError(
        `${project.abs(file)}: the DataSource has no migrations option: add migrations: [__dirname + '/migrations/*.js'] so that typeorm migration:run finds them`,
      );
    }

    const compiled = compiledJavaScriptPath(project, file, compiledWhy(file));
    const migrationsDir = migrationsDirectory(project, file, text, migrations, compiled !== file);
    if (!project.isDirectory(migrationsDir)) {
      throw new UserError(
        `${project.abs(migrationsDir)}: the migrations directory of ${file} does not exist: create a migration (typeorm migration:create ${migrationsDir}/Init) or fix migrations`,
      );
    }

    const database = databaseForClient(stringProperty(options, 'type'));
    const urlVariable = urlVariableIn(options, file);
    const table = stringProperty(options, 'migrationsTableName');
    const warnings: string[] = [];
    if (/\bsynchronize\s*:\s*true\b/.test(options)) {
      warnings.push(`${file}: synchronize: true makes the app alter the schema itself at start, behind the migrations' back: set it to false`);
    }
    if (/\bmigrationsRun\s*:\s*true\b/.test(options)) {
      warnings.push(
        `${file}: migrationsRun: true makes every app replica run migrations at start, without a lock: set it to false (the migrate service runs them)`,
      );
    }
    if (!urlVariable)
      warnings.push(`${file}: the DataSource reads no URL variable (url: process.env.DATABASE_URL): the stack passes the connection as one URL`);
    return {
      configFile: file,
      migrationsDir,
      // The compiled data source: the images run JavaScript, never ts-node.
      migrateCommand: ['node_modules/.bin/typeorm', 'migration:run', '-d', compiled],
      cliPackage: 'typeorm',
      ...(database ? { database: { value: database, source: file } } : {}),
      ...(urlVariable ? { urlVariable } : {}),
      ...(table ? { migrationTable: table } : {}),
      warnings,
    };
  },
};

/**
 * The one file that creates a DataSource. Several → the one a package.json script passes to
 * the CLI (-d/--dataSource), else an error listing them.
 */
function findDataSource(project: Project): string | undefined {
  const candidates = project
    .sourceFiles(SEARCH_DIRS, SOURCE_EXTENSIONS)
    .filter((file) => !/(^|\/)(tests?|__tests__|e2e)\/|\.(test|spec)\.[cm]?[jt]s$/.test(file))
    .filter((file) => NEW_DATA_SOURCE.test(withoutComments(project.readText(file) ?? '')));
  if (candidates.length <= 1) return candidates[0];

  const named = Object.values(project.packageJson.scripts ?? {}).flatMap((script) =>
    [...script.matchAll(/(?:-d|--dataSource)[\s=]+['"]?([^\s'"]+)/g)].map((m) => normaliseRelative(m[1]!)),
  );
  const stem = (file: string) => file.replace(/\.[cm]?[jt]s$/, '');
  const chosen = candidates.filter((file) => named.some((name) => stem(name) === stem(file) || stem(name).endsWith(`/${path.posix.basename(stem(file))}`)));
  if (chosen.length === 1) return chosen[0];
  throw new UserError(
    `${project.abs('package.json')}: several files create a TypeORM DataSource (${candidates.join(', ')}): name the one for migrations in a script (e.g. "migration:run": "typeorm migration:run -d dist/data-source.js")`,
  );
}

/** Why the data source must compile (the start of a message). */
function compiledWhy(file: string): string {
  return `the image runs the compiled ${file} (never ts-node)`;
}

/**
 * The source folder of the migrations the DataSource loads: from glob strings (relative to the
 * data source when they start at __dirname, else to the working directory, mapped back from the
 * build output), or from the imports of migration classes listed by name.
 */
function migrationsDirectory(project: Project, file: string, text: string, migrations: string, compiled: boolean): string {
  const entries = splitEntries(migrations.slice(1, -1));
  const first = entries[0];
  if (!first) throw new UserError(`${project.abs(file)}: migrations: [] is empty: list the migrations (e.g. [__dirname + '/migrations/*.js'])`);

  if (/['"`]/.test(first)) {
    const relativeToFile = /__dirname|import\.meta\.dirname/.test(first);
    const literal = [...first.matchAll(/['"`]([^'"`]*)['"`]/g)].map((m) => m[1]!.replace(/\$\{[^}]*\}/g, '')).join('/');
    if (compiled && /\.ts\}?$/.test(literal) && !/\{[^}]*js/.test(literal)) {
      throw new UserError(
        `${project.abs(file)}: migrations "${literal}" matches TypeScript files only, which the compiled data source can't load in the image: use [__dirname + '/migrations/*.{js,ts}']`,
      );
    }
    const staticPart = literal.split(/[*{?[]/)[0]!.replace(/[^/]*$/, '');
    if (relativeToFile) return normaliseRelative(path.posix.join(path.posix.dirname(file), staticPart));
    if (!compiled) return normaliseRelative(staticPart);
    return sourcePathOf(project, normaliseRelative(staticPart), compiledWhy(file));
  }

  // Classes: the folder their import comes from.
  const name = first.trim();
  const source = new RegExp(`import\\s*\\{[^}]*\\b${name}\\b[^}]*\\}\\s*from\\s*['"]([^'"]+)['"]`).exec(text)?.[1];
  if (!source?.startsWith('.'))
    throw new UserError(`${project.abs(file)}: can't tell where migration ${name} lives: import it from a relative path, or list migrations as a glob`);
  return normaliseRelative(path.posix.dirname(path.posix.join(path.posix.dirname(file), source)));
}

/** Top-level comma-separated entries of an array's contents. */
function splitEntries(list: string): string[] {
  const entries: string[] = [];
  let depth = 0;
  let quote: string | undefined;
  let current = '';
  for (let i = 0; i < list.length; i++) {
    const char = list[i]!;
    if (quote) {
      if (char === '\\') current += list[i++];
      else if (char === quote) quote = undefined;
    } else if (char === '"' || char === "'" || char === '`') quote = char;
    else if ('([{'.includes(char)) depth++;
    else if (')]}'.includes(char)) depth--;
    else if (char === ',' && depth === 0) {
      entries.push(current.trim());
      current = '';
      continue;
    }
    current += char;
  }
  if (current.trim()) entries.push(current.trim());
  return entries;
}
