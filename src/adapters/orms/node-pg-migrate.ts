import { parse as parseShell } from 'shell-quote';
import type { Project } from '../../project/project.js';
import { UserError } from '../../errors.js';
import type { Detected, OrmAdapter } from '../types.js';
import { normaliseRelative, stringProperty, withoutComments } from '../../project/config-text.js';

const TOOL = 'node-pg-migrate';
/** Options that take no value (yargs booleans, also written --no-<name>). */
const BOOLEAN_OPTIONS = new Set([
  'use-glob',
  'create-schema',
  'create-migrations-schema',
  'check-order',
  'verbose',
  'decamelize',
  'dry-run',
  'fake',
  'single-transaction',
  'lock',
  'reject-unauthorized',
  'timestamp',
  'help',
  'version',
]);
/** Options that only matter to `create` (or to a local .env file): not passed to `up` in the image. */
const NOT_FOR_UP = new Set(['migration-file-language', 'migration-filename-format', 'template-file-name', 'envPath']);
const ALIASES: Record<string, string> = {
  d: 'database-url-var',
  m: 'migrations-dir',
  t: 'migrations-table',
  s: 'schema',
  f: 'config-file',
  j: 'migration-file-language',
  i: 'version',
};
const ACTIONS = new Set(['up', 'down', 'redo', 'create']);

/** One option of a node-pg-migrate command line, as written (to pass on) and as understood. */
interface CliOption {
  name: string;
  value: string;
  words: string[];
}

/** What the project tells node-pg-migrate, from a package.json script and its config file. */
interface Settings {
  source: string;
  options: CliOption[];
  values: Map<string, string>;
}

export const nodePgMigrate: OrmAdapter = {
  id: 'node-pg-migrate',
  label: 'node-pg-migrate',
  takesOwnLock: true,
  lockNote:
    'node-pg-migrate serialises runs itself with pg_try_advisory_lock(7241865325823964): a run that finds it held fails at once instead of migrating twice.',
  migrationTable: 'pgmigrations',
  migrationNameColumn: 'name',
  cliNames: ['node-pg-migrate'],
  packages: ['node-pg-migrate'],
  setupHint: 'migrations folder (migrations/, or the one a script names with --migrations-dir)',
  detect(project) {
    if (!project.hasDependency(TOOL)) return undefined;
    const script = scriptSettings(project);
    const settings = withConfigFile(project, script);

    const dir = settings.values.get('migrations-dir');
    // With --use-glob the option is a pattern: its folder part is where the migrations are.
    const migrationsDir = dir
      ? normaliseRelative(settings.values.get('use-glob') === 'true' ? dir.split(/[*?{[]/)[0]!.replace(/\/[^/]*$/, '') || '.' : dir)
      : 'migrations';
    if (!project.isDirectory(migrationsDir)) {
      if (!script && !dir) return undefined; // the dependency alone (e.g. its programmatic runner): not set up for the CLI
      const origin = dir ? `the migrations directory of ${settings.source}` : "node-pg-migrate's default migrations directory";
      throw new UserError(
        `${project.abs(migrationsDir)}: ${origin} does not exist: create a migration (npx node-pg-migrate create init) or fix --migrations-dir`,
      );
    }

    const variable = settings.values.get('database-url-var');
    const urlVariable: Detected<string> = variable
      ? { value: variable, source: settings.source }
      : { value: 'DATABASE_URL', source: "node-pg-migrate's default" };
    const table = settings.values.get('migrations-table');
    const schema = settings.values.get('migrations-schema') ?? settings.values.get('schema');
    const passed = settings.options.filter((option) => !NOT_FOR_UP.has(option.name)).flatMap((option) => option.words);
    return {
      configFile: settings.values.has('config-file') ? normaliseRelative(settings.values.get('config-file')!) : settings.source,
      migrationsDir,
      migrateCommand: ['node_modules/.bin/node-pg-migrate', 'up', ...passed],
      cliPackage: TOOL,
      database: { value: 'postgres', source: 'node-pg-migrate (PostgreSQL only)' },
      urlVariable,
      ...(table || schema ? { migrationTable: `${schema && !schema.includes(',') ? `${schema}.` : ''}${table ?? 'pgmigrations'}` } : {}),
    };
  },
};

/**
 * The package.json script that runs node-pg-migrate and says the most about `up`: one running
 * `up`, else one without an action (`npm run migrate up`), else any (its -m still says where the
 * migrations are).
 */
function scriptSettings(project: Project): Settings | undefined {
  const invocations = Object.entries(project.packageJson.scripts ?? {}).flatMap(([name, script]) => {
    const words = parseShell(script);
    const segments: string[][] = [[]];
    for (const word of words) {
      if (typeof word === 'string') segments.at(-1)!.push(word);
      else segments.push([]);
    }
    return segments.flatMap((segment) => {
      const at = segment.findIndex((word) => word === TOOL || word.endsWith(`/${TOOL}`) || word.endsWith(`/${TOOL}.js`));
      return at === -1 ? [] : [{ name, args: segment.slice(at + 1) }];
    });
  });
  const rank = (args: string[]) => {
    const action = args.find((arg) => ACTIONS.has(arg));
    return action === 'up' ? 0 : action === undefined ? 1 : 2;
  };
  const best = invocations.sort((a, b) => rank(a.args) - rank(b.args))[0];
  if (!best) return undefined;
  const source = `package.json#scripts.${best.name}`;
  const options = parseOptions(best.args, project, source);
  return { source, options, values: new Map(options.map((option) => [option.name, option.value])) };
}

function parseOptions(args: string[], project: Project, source: string): CliOption[] {
  const options: CliOption[] = [];
  for (let i = 0; i < args.length; i++) {
    const word = args[i]!;
    if (!word.startsWith('-')) continue; // the action, a migration name or a count
    const body = word.replace(/^--?/, '');
    const equals = body.indexOf('=');
    const raw = equals === -1 ? body : body.slice(0, equals);
    const negated = raw.startsWith('no-') && BOOLEAN_OPTIONS.has(raw.slice(3));
    const name = ALIASES[raw] ?? (negated ? raw.slice(3) : raw);
    if (BOOLEAN_OPTIONS.has(name)) {
      options.push({ name, value: negated ? 'false' : 'true', words: [word] });
    } else if (equals !== -1) {
      options.push({ name, value: body.slice(equals + 1), words: [word] });
    } else {
      const value = args[i + 1];
      if (value === undefined || value.startsWith('-')) {
        throw new UserError(`${project.abs('package.json')}: ${source.replace('package.json#', '')} passes ${word} without a value: fix the script`);
      }
      options.push({ name, value, words: [word, value] });
      i++;
    }
  }
  return options;
}

/** Keys node-pg-migrate reads from a configuration object (kebab-case, as its options). */
const CONFIG_KEYS = ['migrations-dir', 'use-glob', 'migrations-table', 'migrations-schema', 'schema', 'database-url-var'];

/**
 * Adds what the `config` package (config/default.json, config/production.json) and a
 * --config-file say. As in node-pg-migrate, their values win over the script's options. JSON is
 * parsed; JavaScript and TypeScript config files are read as text for the same keys.
 */
function withConfigFile(project: Project, script: Settings | undefined): Settings {
  const settings = script ?? { source: 'package.json', options: [], values: new Map<string, string>() };
  const section = settings.values.get('config-value') ?? 'db';
  let source = settings.source;
  const apply = (file: string, values: Map<string, string>) => {
    for (const [key, value] of values) settings.values.set(key, value);
    if (values.size > 0) source = file;
  };

  if (project.hasDependency('config')) {
    // NODE_ENV=production in the image: production.json overrides default.json.
    for (const file of ['config/default.json', 'config/production.json']) {
      if (project.exists(file)) apply(file, jsonValues(project, file, section, true));
    }
  }
  const file = settings.values.get('config-file');
  if (file) {
    const relative = normaliseRelative(file);
    if (!project.exists(relative)) {
      throw new UserError(`${project.abs(relative)}: ${settings.source} passes it as --config-file but it does not exist: fix the path`);
    }
    apply(relative, relative.endsWith('.json') ? jsonValues(project, relative, section, false) : textValues(project, relative));
  }
  return { ...settings, source };
}

/** The option values of a JSON configuration: its `section` object, or (config files only) the whole object. */
function jsonValues(project: Project, file: string, section: string, sectionOnly: boolean): Map<string, string> {
  const json = project.readJson<unknown>(file);
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new UserError(`${project.abs(file)}: expected a JSON object: fix the file`);
  }
  const nested = (json as Record<string, unknown>)[section];
  const values = typeof nested === 'object' && nested !== null ? (nested as Record<string, unknown>) : sectionOnly ? {} : (json as Record<string, unknown>);
  const found = new Map<string, string>();
  for (const key of CONFIG_KEYS) {
    const value = values[key];
    if (typeof value === 'string' || typeof value === 'boolean') found.set(key, String(value));
  }
  return found;
}

function textValues(project: Project, file: string): Map<string, string> {
  const text = withoutComments(project.readText(file) ?? '');
  const found = new Map<string, string>();
  for (const key of CONFIG_KEYS) {
    const value = stringProperty(text, `['"]?${key}['"]?`);
    if (value !== undefined) found.set(key, value);
  }
  return found;
}
