/**
 * The environment of the app and migrate containers: every variable the project documents (its env
 * templates), validates (its env schemas) or reads (process.env.X) reaches both, from .env; the
 * ones its schema requires fail loudly when .env lacks them. What the stack sets itself (the URL,
 * the connection's parts, the port), shell variables and build-time ones are never passed through.
 */
import type { ConnectionPart } from '../project/config-text.js';
import { looksSecret, PRIMARY_TEMPLATE, type EnvTemplate } from '../project/env-files.js';
import type { ProjectFacts } from '../detect/index.js';
import { ENV_NAME, hasControlCharacter } from '../shared/syntax.js';

/** A variable the containers get from .env. */
export interface PassedVariable {
  name: string;
  /** The project's env schema requires it: compose refuses to start without it. */
  required: boolean;
  /** A value for .env.example, when a template or the schema gives one that isn't a secret. */
  example?: string;
  /** Where the project shows it (the template or schema file, or "sources"). */
  source: string;
}

/** A variable holding one part of the connection, set from the URL by the entrypoint. */
export interface ConnectionPartVariable {
  part: ConnectionPart;
  variable: string;
}

/** Variables of the shell or the machine: never the app's configuration. */
const SHELL_VARIABLES = new Set([
  'PWD', 'OLDPWD', 'HOME', 'PATH', 'HOSTNAME', 'HOST', 'USER', 'LOGNAME', 'SHELL', 'TERM', 'LANG', 'LANGUAGE', 'TMPDIR', 'TMP', 'TEMP',
  'EDITOR', 'SHLVL', 'INIT_CWD', 'CI', 'NODE_ENV', 'NODE_OPTIONS', 'NODE_PATH', 'FORCE_COLOR', 'NO_COLOR',
]); // prettier-ignore
/** Inlined into client bundles at build time by the frameworks, or npm's own. */
const NOT_RUNTIME = /^(npm_|NEXT_PUBLIC_|VITE_|PUBLIC_|EXPO_PUBLIC_|REACT_APP_|NUXT_PUBLIC_|GITHUB_|RUNNER_|VSCODE_|LC_)/;
/** The generated scripts' own settings (README: strategies, backups). */
const STACK_SETTINGS = new Set(['WAIT_FOR_DB_TIMEOUT', 'MIGRATE_LOCK_TIMEOUT', 'MIGRATE_LOCK', 'MIGRATE_ON_START', 'BACKUP_KEEP']);

/**
 * Names the database URL variable can't take: the shell's and the machine's (PATH, HOME), what the
 * image sets (PORT, NODE_ENV), the generated scripts' own settings and shell variables (a URL in
 * `db_host` or `IMAGE` would be overwritten by, or overwrite, theirs), and the loader's (LD_*).
 */
export function isReservedVariable(name: string): boolean {
  return (
    SHELL_VARIABLES.has(name) ||
    STACK_SETTINGS.has(name) ||
    RESERVED_NAMES.has(name) ||
    /^(npm_|NPM_CONFIG_|YARN_|PNPM_|BUN_|LD_|DOCKER_|COMPOSE_|BASH_)/i.test(name)
  );
}

const RESERVED_NAMES = new Set([
  'PORT', 'APP_PORT', 'HOST_PORT', 'IMAGE', 'APP_IMAGE', 'MIGRATE_IMAGE', 'APP_REPLICAS', 'MIGRATE_TIMEOUT', 'ROLLOUT_TIMEOUT',
  'IFS', 'PS1', 'PS2', 'PS4', 'ENV', 'CDPATH', 'OPTIND', 'OPTARG', 'MAIL', 'MAILPATH', 'UID', 'EUID', 'PPID', 'RANDOM',
  // Shell variables of docker-entrypoint.sh, docker-backup.sh and deploy-swarm.sh.
  'app', 'authority', 'before', 'complete', 'count', 'credentials', 'current', 'db_host', 'db_name', 'db_password', 'db_port', 'db_user',
  'deadline', 'desired', 'dir', 'failed', 'file', 'here', 'iteration', 'job', 'keep', 'migrator', 'replicas', 'rest', 'running', 'stack',
  'started', 'state', 'status', 'url',
]); // prettier-ignore

/** DB_HOST, DATABASE_PORT, POSTGRES_USER, PGPASSWORD, MYSQL_DATABASE, … → the part of the connection it holds. */
export function connectionPartOf(name: string): ConnectionPart | undefined {
  const match = /^(?:DB|DATABASE|POSTGRES|POSTGRESQL|PG|MYSQL|MARIADB|SQL)_?(HOST|HOSTNAME|SERVER|PORT|USER|USERNAME|PASSWORD|PASS|NAME|DATABASE|DB)$/.exec(
    name,
  );
  switch (match?.[1]) {
    case 'HOST':
    case 'HOSTNAME':
    case 'SERVER':
      return 'host';
    case 'PORT':
      return 'port';
    case 'USER':
    case 'USERNAME':
      return 'user';
    case 'PASSWORD':
    case 'PASS':
      return 'password';
    case 'NAME':
    case 'DATABASE':
    case 'DB':
      return 'database';
    default:
      return undefined;
  }
}

export interface EnvironmentInputs {
  urlVariable: string;
  /** The ORM config's own connection parts (host: process.env.DB_HOST, …), when it builds the connection from them. */
  configParts: Partial<Record<ConnectionPart, string>> | undefined;
  /** Whether there is a database server whose connection parts exist at all (SQLite has none). */
  server: boolean;
  /** Variables the stack sets itself in the image (PORT, the app's own port variable, framework settings). */
  setInImage: readonly string[];
  /** The database's id (postgres, mysql, …): a template that names it gives the example values. */
  database: string;
}

export interface PlannedEnvironment {
  passed: PassedVariable[];
  connectionParts: ConnectionPartVariable[];
  /** Every name the project's code, templates or schemas mention (to name the stack's own variables apart). */
  mentioned: ReadonlySet<string>;
}

export function planEnvironment(facts: ProjectFacts, inputs: EnvironmentInputs): PlannedEnvironment {
  const schema = new Map(facts.envSchema.map((declaration) => [declaration.name, declaration]));
  const sources = new Map<string, string>();
  const note = (name: string, source: string) => sources.has(name) || sources.set(name, source);
  for (const template of facts.envTemplates) for (const name of Object.keys(template.entries)) note(name, template.file);
  for (const declaration of facts.envSchema) if (!declaration.buildTime) note(declaration.name, declaration.file);
  for (const name of facts.environmentVariables) note(name, 'sources');
  const mentioned = new Set(sources.keys());

  // The connection's parts: the ORM config's, and any the app's own code or templates name.
  const parts = new Map<string, ConnectionPart>();
  if (inputs.server) {
    for (const [part, variable] of Object.entries(inputs.configParts ?? {}) as [ConnectionPart, string][]) parts.set(variable, part);
    for (const name of mentioned) {
      const part = connectionPartOf(name);
      if (part && !parts.has(name)) parts.set(name, part);
    }
  }
  parts.delete(inputs.urlVariable);

  const setByStack = new Set([inputs.urlVariable, ...parts.keys(), ...inputs.setInImage]);
  const passed = [...mentioned]
    // A name compose, a shell and a Dockerfile can't all hold (`my.var`, `A B` from a template or a schema) is never passed.
    .filter((name) => ENV_NAME.test(name) && !setByStack.has(name) && !SHELL_VARIABLES.has(name) && !NOT_RUNTIME.test(name) && !STACK_SETTINGS.has(name))
    .filter((name) => !(schema.get(name)?.buildTime ?? false))
    .sort()
    .map((name): PassedVariable => {
      const declaration = schema.get(name);
      const value = looksSecret(name) ? undefined : (exampleValue(facts, name, inputs.database) ?? declaration?.default);
      // .env.example holds one line per variable: a value with a line break is left out.
      const example = value !== undefined && hasControlCharacter(value) ? undefined : value;
      return { name, required: declaration?.required ?? false, ...(example !== undefined ? { example } : {}), source: sources.get(name)! };
    });
  return {
    passed,
    connectionParts: [...parts].map(([variable, part]) => ({ part, variable })).sort((a, b) => a.variable.localeCompare(b.variable)),
    mentioned,
  };
}

/** A value for the variable from the project's templates other than the one the generator shares. */
function exampleValue(facts: ProjectFacts, name: string, database: string): string | undefined {
  // Projects with one template per database (env-example-relational, env-example-document): the
  // one that names the stack's database gives the values.
  const speaks = (template: EnvTemplate) => Object.values(template.entries).filter((value) => value.toLowerCase().includes(database)).length;
  const others = facts.envTemplates.filter((template) => template.file !== PRIMARY_TEMPLATE).sort((a, b) => speaks(b) - speaks(a));
  return others.find((template) => template.entries[name] !== undefined)?.entries[name];
}

/**
 * The variable the stack publishes the app's port with on the host: APP_PORT, unless the project
 * uses that name itself (some apps listen on APP_PORT), then the first free alternative.
 */
export function hostPortVariable(mentioned: ReadonlySet<string>): string {
  return ['APP_PORT', 'HOST_PORT', 'PUBLISHED_PORT', 'STACK_APP_PORT'].find((name) => !mentioned.has(name)) ?? 'STACK_APP_PORT';
}
