/**
 * One question per decision: its flag, its prompt, what detection suggests, and how a typed
 * value is checked. The order is the order of the prompts; later questions see earlier answers.
 */
import path from 'node:path';
import { databaseById, databases } from '../adapters/databases/index.js';
import { frameworkById, frameworks } from '../adapters/frameworks/index.js';
import { ormById, orms } from '../adapters/orms/index.js';
import { packageManagers } from '../adapters/package-managers/index.js';
import type { DatabaseId, FrameworkDetection } from '../adapters/types.js';
import type { OrmFacts, ProjectFacts } from '../detect/index.js';
import { DEFAULT_NODE_MAJOR } from '../detect/node-version.js';
import { UserError } from '../errors.js';
import { isGap, type Finding } from '../project/detected.js';
import { formatCommand, parseCommand } from '../shared/shell.js';
import { CI_PLATFORMS, STRATEGIES, type AnswerKey, type Answers } from './answers.js';
import { DEFAULT_DOCKERFILE, outputPathIn, SIDE_DOCKERFILE } from './build.js';
import { connectionPartOf, isReservedVariable } from './environment.js';

export interface QuestionContext {
  facts: ProjectFacts;
  /** Answers to the questions before this one. */
  answers: Partial<Answers>;
}

export interface Choice {
  value: string;
  name: string;
}

export interface Question<K extends AnswerKey = AnswerKey> {
  key: K;
  /** The command-line flag that answers it, e.g. "--port". */
  flag: string;
  /** Placeholder of the flag's value in --help, e.g. "<n>"; empty for a yes/no flag (--x / --no-x). */
  valueName: string;
  description: string;
  /** JSON Schema of the saved answer (its `description` is added from the flag's): enums come from the registries. */
  schema: Record<string, unknown>;
  /** The prompt. */
  message: string;
  /** A short name for the summary of detected values. */
  label: string;
  choices?(context: QuestionContext): Choice[];
  /** What the project shows, or why it shows nothing usable (a gap, reported if no flag answers it). */
  detect(context: QuestionContext): Finding<Answers[K]> | undefined;
  /** Problems of the project that stop this answer from working whoever gave it (e.g. the chosen framework's config). */
  blockers?(value: Answers[K], context: QuestionContext): string[];
  /** Checks a value typed at the prompt or given by the flag; throws a UserError naming `origin`. */
  parse(raw: string, origin: string, context: QuestionContext): Answers[K];
  /** Text shown as the prompt's default and accepted back by parse(). */
  format(value: Answers[K]): string;
  /** Said when the value used is detection's documented default (a last resort the user should know about). */
  defaultWarning?(value: Answers[K]): string;
  /** Why detection found nothing: the start of the error when --yes can't continue. */
  undetected(context: QuestionContext): string;
  /** Earlier answers this one is decided from: when one of them failed, this one isn't asked or reported. */
  after?: readonly AnswerKey[];
  /** False for a choice only a flag makes (never asked; saved like the others). */
  prompted?: false;
  /** A question that doesn't apply (e.g. the database image for SQLite) answers itself. */
  implied?(context: QuestionContext): Answers[K] | undefined;
  /** Saved in migrating-stack.json only when it has a value (null is the answer of projects it doesn't concern). */
  savedOnlyWhenSet?: true;
}

/** A Dockerfile's name: a file in the project's root. */
const DOCKERFILE_NAME = /^[A-Za-z0-9][\w.-]*$/;

/** The port a server is expected on when nothing in the project says (Express's and most servers' habit). */
const DEFAULT_PORT = 3000;
/** --health-path value for an app without a health route. */
export const NO_HEALTH_ROUTE = 'none';

function oneOf<T extends string>(allowed: readonly T[], raw: string, origin: string): T {
  const value = raw.trim().toLowerCase();
  if (!(allowed as readonly string[]).includes(value)) {
    throw new UserError(`${origin}: "${raw}" is not one of ${allowed.join(', ')}`);
  }
  return value as T;
}

/** name[:tag][@digest] with a lowercase repository path: what `docker pull` accepts. */
function imageReference(raw: string, origin: string, example: string): string {
  const value = raw.trim();
  if (!/^[a-z0-9]+(?:[._-][a-z0-9]+)*(?::\d+)?(?:\/[a-z0-9]+(?:[._-][a-z0-9]+)*)*(?::[\w][\w.-]{0,127})?(?:@sha256:[a-f0-9]{64})?$/.test(value)) {
    throw new UserError(`${origin}: "${raw}" is not an image reference (e.g. ${example})`);
  }
  return value;
}

function yesOrNo(raw: string, origin: string): boolean {
  const value = oneOf(['true', 'false', 'yes', 'no'], raw, origin);
  return value === 'true' || value === 'yes';
}

function integer(raw: string, origin: string, min: number, max: number): number {
  const value = Number(raw.trim());
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new UserError(`${origin}: "${raw}" must be a whole number from ${min} to ${max}`);
  }
  return value;
}

const app: Question<'app'> = {
  key: 'app',
  flag: '--app',
  valueName: '<workspace>',
  description:
    'the app of a workspace (monorepo) to build, as its folder (apps/api) or package name, when run at the workspace root; inside a workspace folder, that folder',
  schema: { type: ['string', 'null'], pattern: '^[^/\\\\]' },
  message: 'App (a workspace of the monorepo)',
  label: 'app',
  // Chosen before detection (src/plan/workspace-app.ts): detection reads that app.
  prompted: false,
  savedOnlyWhenSet: true,
  implied: ({ facts }) => (facts.workspace ? undefined : null),
  detect: ({ facts }) => (facts.workspace ? { value: facts.workspace.app, source: facts.workspace.source } : undefined),
  parse: (raw, origin, { facts }) => {
    const workspace = facts.workspace;
    if (!workspace)
      throw new UserError(`${origin}: ${facts.root} is no workspace root (package.json#workspaces, pnpm-workspace.yaml) nor one of its workspaces`);
    const value = path.posix.normalize(raw.trim().replace(/\\/g, '/')).replace(/\/+$/, '');
    if (value !== workspace.app && raw.trim() !== workspace.appName) {
      throw new UserError(`${origin}: "${raw}" is not ${workspace.app}, the app this stack is for: pass --app ${workspace.app}`);
    }
    return workspace.app;
  },
  format: (value) => value ?? '',
  undetected: () => 'no workspace chosen',
};

const packageManager: Question<'packageManager'> = {
  key: 'packageManager',
  flag: '--pm',
  valueName: `<${packageManagers.map((pm) => pm.id).join('|')}>`,
  description: 'package manager that installs dependencies in the image',
  schema: { enum: packageManagers.map((pm) => pm.id) },
  message: 'Package manager',
  label: 'package manager',
  choices: () => packageManagers.map((pm) => ({ value: pm.id, name: pm.label })),
  detect: ({ facts }) => facts.packageManager.manager,
  parse: (raw, origin) =>
    oneOf(
      packageManagers.map((pm) => pm.id),
      raw,
      origin,
    ),
  format: (value) => value,
  undetected: () => `no lockfile (${packageManagers.flatMap((pm) => pm.lockfiles).join(', ')}) and no package.json#packageManager: commit your lockfile, or`,
};

const node: Question<'node'> = {
  key: 'node',
  flag: '--node',
  valueName: '<major>',
  description: 'Node.js major version of the base image',
  schema: { type: 'integer', minimum: 18, maximum: 99 },
  message: 'Node.js major version',
  label: 'Node.js',
  detect: ({ facts }) => facts.node.major ?? { value: DEFAULT_NODE_MAJOR, source: 'default: the project names no version' },
  parse: (raw, origin) => integer(raw.replace(/^v/, '').split('.')[0] ?? raw, origin, 18, 99),
  format: String,
  // Never reached: detection falls back to the documented default.
  undetected: () => 'no Node version found',
};

/** What the chosen framework's adapter found (plain Node when none was chosen yet). */
function frameworkFound({ facts, answers }: QuestionContext): FrameworkDetection | undefined {
  const chosen = facts.frameworks.find((found) => found.id === answers.framework) ?? facts.frameworks.at(-1);
  return chosen && 'detection' in chosen ? chosen.detection : undefined;
}

/** What the chosen migration tool's adapter found. */
export function ormFound({ facts, answers }: QuestionContext): OrmFacts | undefined {
  const chosen = facts.orms.find((found) => found.id === answers.orm);
  return chosen && 'detection' in chosen ? chosen.detection : undefined;
}

/** Whether the project names a database host variable (DB_HOST, …) in its code, env templates or env schema. */
function readsConnectionHost(facts: ProjectFacts): boolean {
  const names = [
    ...facts.environmentVariables,
    ...facts.envSchema.map((declaration) => declaration.name),
    ...facts.envTemplates.flatMap((template) => Object.keys(template.entries)),
  ];
  return names.some((name) => connectionPartOf(name) === 'host');
}

/** The gap of the adapter chosen as `id`, as a blocker list. */
function gapOf(findings: ProjectFacts['frameworks'] | ProjectFacts['orms'], id: string): string[] {
  const chosen = findings.find((found) => found.id === id);
  return chosen && 'gap' in chosen ? [chosen.gap] : [];
}

const nodeImage: Question<'nodeImage'> = {
  key: 'nodeImage',
  flag: '--node-image',
  valueName: '<image>',
  description: 'base image instead of node:<major>-bookworm-slim (a pinned tag, a digest, a mirror); "default" to go back',
  schema: { type: ['string', 'null'] },
  message: 'Node.js base image',
  label: 'base image',
  prompted: false,
  detect: () => ({ value: null, source: 'default: node:<major>-bookworm-slim' }),
  parse: (raw, origin) => (raw.trim() === 'default' ? null : imageReference(raw, origin, 'node:22.12-bookworm-slim')),
  format: (value) => value ?? 'default',
  undetected: () => 'no image',
};

const dockerfile: Question<'dockerfile'> = {
  key: 'dockerfile',
  flag: '--dockerfile',
  valueName: '<file>',
  description: `the Dockerfile to generate: ${DEFAULT_DOCKERFILE}, or ${SIDE_DOCKERFILE} beside a Dockerfile of your own (compose.yaml builds from it)`,
  schema: { type: 'string', pattern: DOCKERFILE_NAME.source },
  message: 'Dockerfile to generate',
  label: 'Dockerfile',
  prompted: false,
  detect: ({ facts }) =>
    facts.ownFiles.dockerfile
      ? { value: SIDE_DOCKERFILE, source: 'Dockerfile (your own, kept)' }
      : { value: DEFAULT_DOCKERFILE, source: 'default: the project has no Dockerfile of its own' },
  parse: (raw, origin) => {
    const value = raw.trim();
    if (!DOCKERFILE_NAME.test(value) || value.endsWith('.dockerignore') || /^(compose|docker-compose)\./.test(value)) {
      throw new UserError(`${origin}: "${raw}" is not a Dockerfile name in the project's root (e.g. ${SIDE_DOCKERFILE})`);
    }
    return value;
  },
  format: (value) => value,
  undetected: () => 'no Dockerfile name',
};

const framework: Question<'framework'> = {
  key: 'framework',
  flag: '--framework',
  valueName: `<${frameworks.map((f) => f.id).join('|')}>`,
  description: 'web framework: decides the build output and the start command',
  schema: { enum: frameworks.map((f) => f.id) },
  message: 'Framework',
  label: 'framework',
  choices: ({ facts }) => facts.frameworks.map((found) => ({ value: found.id, name: frameworkById(found.id)!.label })),
  detect: ({ facts }) => {
    const [first] = facts.frameworks;
    if (!first) return undefined;
    return 'gap' in first
      ? { value: first.id, source: `dependency of ${frameworkById(first.id)!.label}` }
      : { value: first.id, source: first.detection.evidence };
  },
  blockers: (id, { facts }) => gapOf(facts.frameworks, id),
  parse: (raw, origin, { facts }) => {
    const id = oneOf(
      frameworks.map((f) => f.id),
      raw,
      origin,
    );
    if (!facts.frameworks.some((found) => found.id === id)) {
      throw new UserError(`${origin}: ${frameworkById(id)!.label} is not used in ${facts.root} (found: ${facts.frameworks.map((f) => f.id).join(', ')})`);
    }
    return id;
  },
  format: (value) => value,
  undetected: () => 'no framework found',
};

const start: Question<'start'> = {
  key: 'start',
  after: ['framework'],
  flag: '--start',
  valueName: '<command>',
  description: 'command the app container runs, e.g. "node dist/server.js"',
  schema: { type: 'string', minLength: 1 },
  message: 'Start command in the container',
  label: 'start command',
  detect: (context) => {
    const found = frameworkFound(context)?.start;
    if (found === undefined || isGap(found)) return found;
    return { value: formatCommand(found.value), source: found.source };
  },
  blockers: (value, { facts }) => {
    // A command that runs the build's output needs a build: without one, the image has no dist/.
    const typescript = facts.typescript;
    const built = typescript && outputPathIn(parseCommand(value, 'start command'), typescript.outDir);
    if (!typescript || !built || facts.buildScript || typescript.compile) return [];
    return [
      `${path.join(facts.root, 'package.json')}: no "build" script, and the start command runs ${built}, in the TypeScript output folder ${typescript.outDir}/ that only a build creates: add one (e.g. "build": "tsc"), with typescript among the devDependencies`,
    ];
  },
  parse: (raw, origin) => formatCommand(parseCommand(raw, origin)),
  format: (value) => value,
  undetected: ({ facts }) =>
    `${path.join(facts.root, 'package.json')}: no "start" script and no "main" file: add "start": "node dist/server.js" (your entry file), or`,
};

const port: Question<'port'> = {
  key: 'port',
  after: ['framework'],
  flag: '--port',
  valueName: '<n>',
  description: 'port the app listens on in the container',
  schema: { type: 'integer', minimum: 1, maximum: 65535 },
  message: 'Port the app listens on',
  label: 'port',
  detect: (context) => frameworkFound(context)?.port ?? context.facts.port ?? { value: DEFAULT_PORT, source: 'default: no port found' },
  parse: (raw, origin) => integer(raw, origin, 1, 65535),
  format: String,
  defaultWarning: (value) =>
    `no port found (PORT in .env.example, the sources' listen() or process.env.PORT default, the framework's config): the app is expected on ${value}; pass --port <n> if it listens elsewhere`,
  undetected: () => 'no port found in the sources or .env.example',
};

const healthPath: Question<'healthPath'> = {
  key: 'healthPath',
  after: ['framework'],
  flag: '--health-path',
  valueName: '<path>',
  description: `HTTP path that returns 200 when the app is healthy, e.g. /health ("${NO_HEALTH_ROUTE}": the app has none, any HTTP answer below 500 on / will do)`,
  schema: { type: ['string', 'null'], pattern: '^/' },
  message: 'Health-check path',
  label: 'health route',
  detect: (context) => frameworkFound(context)?.healthPath ?? context.facts.healthPath ?? { value: null, source: 'default: no health route found' },
  parse: (raw, origin) => {
    const value = raw.trim();
    if (value === NO_HEALTH_ROUTE) return null;
    if (!/^\/[\w\-./~%]*(\?[\w\-.=&%]*)?$/.test(value)) {
      throw new UserError(`${origin}: "${raw}" must be a URL path starting with / (e.g. /health), or ${NO_HEALTH_ROUTE}`);
    }
    return value;
  },
  format: (value) => value ?? NO_HEALTH_ROUTE,
  defaultWarning: () =>
    'no health route found (/health, /healthz, /api/health, …): the healthcheck only checks that the app answers HTTP on / (any status below 500); add a /health route that checks the database, and pass --health-path /health',
  undetected: () => 'no health route (/health, /healthz, …) found in the sources: add one that checks the database, or',
};

const orm: Question<'orm'> = {
  key: 'orm',
  flag: '--orm',
  valueName: `<${orms.map((o) => o.id).join('|')}>`,
  description: 'migration tool whose migrations the stack runs',
  schema: { enum: orms.map((o) => o.id) },
  message: 'Migration tool',
  label: 'migrations',
  choices: ({ facts }) =>
    facts.orms.map((found) => ({ value: found.id, name: `${ormById(found.id)!.label} (${'gap' in found ? 'not usable yet' : found.detection.configFile})` })),
  detect: ({ facts }) => {
    const [only, ...others] = facts.orms;
    if (!only || others.length > 0) return undefined;
    return { value: only.id, source: 'gap' in only ? ormById(only.id)!.label : only.detection.configFile };
  },
  blockers: (id, { facts }) => gapOf(facts.orms, id),
  parse: (raw, origin, { facts }) => {
    const id = oneOf(
      orms.map((o) => o.id),
      raw,
      origin,
    );
    if (!facts.orms.some((found) => found.id === id)) {
      throw new UserError(`${origin}: ${ormById(id)!.label} is not set up in ${facts.root} (found: ${facts.orms.map((o) => o.id).join(', ') || 'none'})`);
    }
    return id;
  },
  format: (value) => value,
  undetected: ({ facts }) => {
    if (facts.orms.length > 1) {
      return `several migration tools are set up (${facts.orms.map((o) => `${o.id}: ${'gap' in o ? 'not usable yet' : o.detection.configFile}`).join(', ')}): choose one,`;
    }
    // A tool the app uses without migrations (TypeORM's synchronize, Sequelize's sync()): name it and what is missing.
    const unset = orms.filter((orm) => orm.packages.some((name) => name in facts.dependencies));
    if (unset.length > 0) {
      const found = unset.map((orm) => `${orm.label} is a dependency, but there is no ${orm.setupHint}`).join('; ');
      return `no migrations set up: ${found}: set them up (a schema synchronised when the app starts is no migration), or name the configuration with --orm-config <path>, or`;
    }
    return `no migration tool found (supported: ${orms.map((o) => o.label).join(', ')}): set one up, or`;
  },
};

/** "default" (or an empty value) goes back to the file detection finds. */
const DETECTED_CONFIG = 'default';

const ormConfig: Question<'ormConfig'> = {
  key: 'ormConfig',
  after: ['orm'],
  flag: '--orm-config',
  valueName: '<path>',
  description: `the migration tool's configuration file, where detection finds none or another (e.g. config/knexfile.js); "${DETECTED_CONFIG}" goes back`,
  schema: { type: ['string', 'null'] },
  message: 'Migration tool configuration file',
  label: 'migrations config',
  prompted: false,
  detect: (context) => ({ value: null, source: `default: ${ormFound(context)?.configFile ?? 'what detection finds'}` }),
  blockers: (value, context) => {
    const found = ormFound(context);
    if (value === null || !found || found.configFile === value) return [];
    const label = ormById(context.answers.orm ?? '')?.label ?? 'migration tool';
    return [
      `--orm-config ${value}: not read as the ${label} configuration (detection uses ${found.configFile}): name that tool's configuration file, or pass --orm-config ${DETECTED_CONFIG}`,
    ];
  },
  parse: (raw, origin, { facts }) => {
    const value = raw.trim();
    if (value === '' || value === DETECTED_CONFIG) return null;
    const relative = path.relative(facts.root, path.resolve(facts.root, value)).split(path.sep).join('/');
    if (relative === '' || relative === '..' || relative.startsWith('../') || path.isAbsolute(relative)) {
      throw new UserError(`${origin}: "${raw}" is outside the project (${facts.root}), which is all the image contains: name a file inside it`);
    }
    return relative;
  },
  format: (value) => value ?? DETECTED_CONFIG,
  undetected: () => 'no configuration file',
};

const database: Question<'database'> = {
  key: 'database',
  // The migration tool's configuration names the database: a tool that can't be used yet (no
  // migrations, no config) is the one problem to report, not also a missing database.
  after: ['orm'],
  flag: '--db',
  valueName: `<${databases.map((db) => db.id).join('|')}>`,
  description: 'database engine',
  schema: { enum: databases.map((db) => db.id) },
  message: 'Database',
  label: 'database',
  choices: () => databases.map((db) => ({ value: db.id, name: db.label })),
  detect: (context) => ormFound(context)?.database ?? context.facts.database,
  parse: (raw, origin) =>
    oneOf<DatabaseId>(
      databases.map((db) => db.id),
      raw,
      origin,
    ),
  format: (value) => value,
  undetected: () => 'no database driver (pg, mysql2, mariadb, better-sqlite3, …) or URL found',
};

const databaseImage: Question<'databaseImage'> = {
  key: 'databaseImage',
  after: ['database'],
  flag: '--db-image',
  valueName: '<image>',
  description: 'image of the database service, e.g. postgres:15',
  schema: { type: ['string', 'null'] },
  message: 'Database image',
  label: 'database image',
  implied: ({ answers }) => (answers.database && databaseById(answers.database).kind === 'file' ? null : undefined),
  detect: ({ answers }) => {
    const image = answers.database ? databaseById(answers.database).defaultImage : undefined;
    return image ? { value: image, source: 'default' } : undefined;
  },
  parse: (raw, origin) => imageReference(raw, origin, 'postgres:15'),
  format: (value) => value ?? '',
  undetected: () => 'no image for this database',
};

const databaseUrlVariable: Question<'databaseUrlVariable'> = {
  key: 'databaseUrlVariable',
  after: ['orm'],
  flag: '--db-url-var',
  valueName: '<NAME>',
  description: 'environment variable the app reads the database URL from',
  schema: { type: 'string', pattern: '^[A-Za-z_][A-Za-z0-9_]*$' },
  message: 'Database URL variable',
  label: 'URL variable',
  detect: (context) => {
    const orm = ormFound(context);
    return (
      orm?.urlVariable ??
      context.facts.urlVariable ??
      // A config that builds the connection from parts: the stack passes one URL and the
      // entrypoint sets the parts from it.
      (orm?.connectionParts || readsConnectionHost(context.facts)
        ? { value: 'DATABASE_URL', source: 'default: the entrypoint sets the connection parts from it' }
        : undefined) ??
      (context.facts.environmentVariables.includes('DATABASE_URL') ? { value: 'DATABASE_URL', source: 'sources' } : undefined)
    );
  },
  parse: (raw, origin) => {
    const value = raw.trim();
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(value)) throw new UserError(`${origin}: "${raw}" is not an environment variable name`);
    if (isReservedVariable(value)) {
      throw new UserError(
        `${origin}: ${value} can't hold the database URL: the shell, the image or the generated scripts set it themselves; name another variable (e.g. DATABASE_URL)`,
      );
    }
    return value;
  },
  format: (value) => value,
  undetected: ({ answers }) => `no variable holding the database URL found in the ${answers.orm ?? 'ORM'} configuration or .env.example`,
};

const strategy: Question<'strategy'> = {
  key: 'strategy',
  flag: '--strategy',
  valueName: `<${STRATEGIES.join('|')}>`,
  description: 'where migrations run: compose one-shot (default), the app entrypoint, or CI',
  schema: { enum: [...STRATEGIES] },
  message: 'Where should migrations run?',
  label: 'migrate in',
  choices: () => [
    { value: 'compose', name: 'compose: a one-shot migrate service the app waits for (recommended)' },
    { value: 'entrypoint', name: 'entrypoint: every app container migrates (under a lock) before it starts' },
    { value: 'ci', name: 'ci: the pipeline migrates from the image before deploying' },
  ],
  detect: () => ({ value: 'compose', source: 'default' }),
  parse: (raw, origin) => oneOf(STRATEGIES, raw, origin),
  format: (value) => value,
  undetected: () => 'no strategy',
};

/**
 * A yes/no question for something only a database server allows (default no): --flag / --no-flag.
 */
function serverOption<K extends 'backup' | 'swarm'>(
  key: K,
  options: { description: string; message: string; label: string; yes: string; withoutServer: string },
): Question<K> {
  return {
    key,
    after: ['database'],
    flag: `--${key}`,
    valueName: '',
    description: `${options.description} (--no-${key}: don't)`,
    schema: { type: 'boolean' },
    message: options.message,
    label: options.label,
    choices: () => [
      { value: 'false', name: 'no' },
      { value: 'true', name: `yes: ${options.yes}` },
    ],
    detect: () => ({ value: false, source: 'default' }),
    parse: (raw, origin, { answers }) => {
      const wanted = yesOrNo(raw, origin);
      if (wanted && answers.database && databaseById(answers.database).kind !== 'server') throw new UserError(`${origin}: ${options.withoutServer}`);
      return wanted;
    },
    format: String,
    undetected: () => 'no answer',
  };
}

const backup = serverOption('backup', {
  description: 'back up the database before migrations run, with a restore command',
  message: 'Back up the database before migrations run?',
  label: 'backup first',
  yes: 'a backup one-shot (dump into the "backups" volume) runs first; restore with `docker compose run --rm backup restore`',
  withoutServer: "backups need a database server's dump tool; for SQLite, copy the database file off its volume",
});

const swarm = serverOption('swarm', {
  description: 'also generate a Docker Swarm stack (stack.yaml) and deploy-swarm.sh',
  message: 'Also generate a Docker Swarm stack and its deploy script?',
  label: 'Swarm stack',
  yes: 'stack.yaml + deploy-swarm.sh (migrate job, then a rolling update)',
  withoutServer: "a Swarm stack needs a database server: SQLite's file lives on one node's volume and can't be shared between nodes",
});

const ci: Question<'ci'> = {
  key: 'ci',
  after: ['strategy', 'swarm'],
  flag: '--ci',
  valueName: `<${CI_PLATFORMS.join('|')}>`,
  description: 'CI pipeline to generate: the drift gate (--check), one build, a test of the stack, (ci strategy) backup and migrate, push and deploy',
  schema: { enum: [...CI_PLATFORMS] },
  message: 'Generate a CI pipeline?',
  label: 'CI pipeline',
  choices: () => [
    { value: 'none', name: 'none' },
    { value: 'github', name: 'GitHub Actions: .github/workflows/deploy.yml' },
    { value: 'gitlab', name: 'GitLab CI: a job set .gitlab-ci.yml includes' },
  ],
  detect: ({ facts }) => {
    if (facts.ci.github) return { value: 'github', source: '.github/' };
    if (facts.ci.gitlabPipeline !== undefined) return { value: 'gitlab', source: '.gitlab-ci.yml' };
    return { value: 'none', source: 'default: no .github/ or .gitlab-ci.yml' };
  },
  parse: (raw, origin) => oneOf(CI_PLATFORMS, raw, origin),
  format: (value) => value,
  undetected: () => 'no answer',
};

export const QUESTIONS: readonly Question[] = [
  app,
  packageManager,
  node,
  nodeImage,
  dockerfile,
  framework,
  start,
  port,
  healthPath,
  orm,
  ormConfig,
  database,
  databaseImage,
  databaseUrlVariable,
  strategy,
  backup,
  swarm,
  ci,
] as Question[];
