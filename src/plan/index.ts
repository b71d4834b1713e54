/**
 * plan: facts + answers → one typed Plan. Every decision about the generated files is made here.
 */
import { createHash } from 'node:crypto';
import { databaseById } from '../adapters/databases/index.js';
import { frameworkById } from '../adapters/frameworks/index.js';
import { ormById } from '../adapters/orms/index.js';
import { packageManagerById } from '../adapters/package-managers/index.js';
import type { DatabaseStack, RuntimeCopy } from '../adapters/types.js';
import type { ProjectFacts } from '../detect/index.js';
import { NATIVE_BUILD_TOOLS } from '../detect/native-modules.js';
import { parseCommand } from '../detect/start-command.js';
import { UserError } from '../errors.js';
import { stripManagedBlock } from '../shared/managed-block.js';
import type { Answers } from './answers.js';
import { SERVICE, type Plan, type SwarmPlan, type SwarmSecret } from './types.js';

export { SERVICE } from './types.js';
export type { Plan } from './types.js';

export const WAIT_TIMEOUT_SECONDS = 60;
/** How long a migrator waits for another one to finish before giving up (seconds). */
export const LOCK_TIMEOUT_SECONDS = 300;
export const MIGRATE_RUNNER_FILE = 'docker-migrate.mjs';
/** Where the entrypoint strategy puts the migrate target's files when the runtime lacks them. */
const MIGRATION_BUNDLE = '/opt/migrate';
/** Name of the SQLite file on the shared volume. */
const SQLITE_FILE = 'app.db';

export function buildPlan(facts: ProjectFacts, answers: Answers): Plan {
  const { project } = facts;
  const manager = packageManagerById(answers.packageManager);
  if (!manager) throw new UserError(`--pm ${answers.packageManager}: not supported yet`);
  const managerVersion = facts.packageManager.manager?.value === answers.packageManager ? facts.packageManager.version?.value : undefined;
  const docker = manager.docker(project, managerVersion);

  const framework = frameworkById(answers.framework);
  const frameworkFound = facts.frameworks.find((found) => found.id === answers.framework);
  if (!framework || !frameworkFound) throw new UserError(`--framework ${answers.framework}: not used in ${project.root}`);

  const orm = ormById(answers.orm);
  const ormFound = facts.orms.find((found) => found.id === answers.orm);
  if (!orm || !ormFound) throw new UserError(`--orm ${answers.orm}: not set up in ${project.root}`);
  const tool = ormFound.detection;
  if (!project.hasDependency(tool.cliPackage)) {
    throw new UserError(`${project.abs('package.json')}: ${tool.cliPackage} (the ${orm.label} CLI that runs migrations) is not a dependency: add it`);
  }

  const installEntries = [...docker.installFiles, ...(tool.installFiles ?? [])];
  for (const entry of installEntries) {
    if (!project.exists(entry)) {
      throw new UserError(`${project.abs(entry)}: not found, and ${manager.label} needs it for a frozen install: run ${manager.id} install and commit it`);
    }
  }

  const database = databaseById(answers.database);
  const stack = database.stack(SERVICE.database);
  const sqliteFile = `${stack.dataPath}/${SQLITE_FILE}`;
  const scheme = tool.urlSchemes?.[database.id];
  const serverUrl = scheme ? stack.connectionUrl.replace(/^[a-z][a-z0-9+.-]*:/i, `${scheme}:`) : stack.connectionUrl;
  const connectionUrl = stack.kind === 'file' ? (tool.sqliteUrl?.(sqliteFile) ?? sqliteFile) : serverUrl;

  const framed = frameworkFound.detection;
  const runtimeCopies: RuntimeCopy[] = [...(framed.runtime?.copy ?? [{ from: '.', to: '.' }]), ...(tool.runtimeCopies ?? [])];
  const productionDependencies = framed.runtime?.needsProductionDependencies ?? true;
  // The package manager's (e.g. a default version installed because the project pins none).
  const warnings: string[] = [...docker.warnings];

  // The lock: through the first driver of this database the project depends on; else one its
  // dependencies bring (e.g. pg under @mikro-orm/postgresql), where the manager hoists packages
  // to the top of node_modules so that docker-migrate.mjs can import it (pnpm doesn't).
  const hoisted = manager.id !== 'pnpm';
  const driver =
    database.lockDrivers.find((name) => project.hasDependency(name)) ??
    (hoisted ? database.lockDrivers.find((name) => facts.lockedPackages.has(name)) : undefined);
  const lockIdentity = createHash('sha256').update(`create-migrating-stack:${facts.name}`).digest('hex');
  const runner = driver
    ? { file: MIGRATE_RUNNER_FILE, driver, key: parseInt(lockIdentity.slice(0, 12), 16), name: `migrations:${facts.name}`.slice(0, 64), timeoutSeconds: LOCK_TIMEOUT_SECONDS }
    : undefined;
  if (!runner && !orm.takesOwnLock) {
    const advice = `no ${database.label} driver the lock could use (${database.lockDrivers.join(', ')}) is a dependency`;
    if (answers.strategy === 'entrypoint') {
      throw new UserError(`${project.abs('package.json')}: the entrypoint strategy migrates in every replica, ${orm.label} takes no lock, and ${advice}: add one, or pass --strategy compose`);
    }
    warnings.push(`${orm.label} takes no lock and ${advice}: concurrent migrate runs are not serialised`);
  }
  const containerCommand = runner ? ['node', runner.file, ...tool.migrateCommand] : tool.migrateCommand;

  // Entrypoint strategy: migrate in /app when the runtime has everything the tool needs there,
  // else carry the migrate target's files in the runtime image.
  let onStart: Plan['migration']['onStart'];
  let migrationBundle: string | undefined;
  if (answers.strategy === 'entrypoint') {
    const wholeTree = runtimeCopies.some((copy) => copy.from === '.' && copy.to === '.' && (copy.stage ?? 'build') === 'build');
    const needed = [tool.cliPackage, ...(runner ? [runner.driver] : [])];
    const inPlace = wholeTree && productionDependencies && needed.every((name) => project.isProductionDependency(name));
    if (!inPlace) {
      migrationBundle = MIGRATION_BUNDLE;
      warnings.push(`entrypoint strategy: the runtime image also carries the migration tooling in ${MIGRATION_BUNDLE} (${needed.filter((name) => !project.isProductionDependency(name)).join(', ') || 'the build output'} is not part of the production image)`);
    }
    onStart = { directory: migrationBundle ?? '/app', command: containerCommand };
  }

  const swarm = answers.swarm ? swarmPlan(facts.name, stack, connectionUrl) : undefined;

  const healthUrl = `'http://127.0.0.1:'+(process.env.PORT||${answers.port})+'${answers.healthPath}'`;

  return {
    answers,
    name: facts.name,
    strategy: answers.strategy,
    warnings,
    node: { major: answers.node, image: answers.nodeImage ?? `node:${answers.node}-bookworm-slim` },
    framework: { id: framework.id, label: framework.label },
    install: {
      manager: manager.id,
      label: manager.label,
      ...(managerVersion ? { version: managerVersion } : {}),
      setup: docker.setup,
      files: installEntries.filter((entry) => !project.isDirectory(entry)),
      directories: installEntries.filter((entry) => project.isDirectory(entry)),
      cacheTarget: docker.cacheTarget,
      installAll: [docker.installAll, ...(tool.installCommands ?? [])].join(' \\\n && '),
      installProd: docker.installProd,
    },
    system: {
      runtimePackages: [...new Set(tool.systemPackages ?? [])].sort(),
      buildTools: facts.nativeModules.length > 0 ? NATIVE_BUILD_TOOLS : [],
      nativeModules: facts.nativeModules,
    },
    buildArgs: [...new Set(tool.buildArgs ?? [])].sort(),
    env: { base: docker.env ?? {}, build: framed.buildEnv ?? {}, runtime: framed.env ?? {} },
    buildCommands: [...(tool.buildCommands ?? []), ...(facts.buildScript ? [docker.runScript(facts.buildScript.value)] : [])],
    runtime: {
      copies: runtimeCopies.map((copy) => ({ stage: copy.stage ?? 'build', from: copy.from, to: copy.to, writable: copy.writable ?? false })),
      productionDependencies,
      ...(migrationBundle ? { migrationBundle } : {}),
    },
    ...(stack.kind === 'file' ? { writableDirectory: stack.dataPath } : {}),
    ignoredOutputs: [...framed.outputDirs, ...(docker.contextIgnores ?? [])],
    app: {
      command: parseCommand(answers.start, 'start command'),
      port: answers.port,
      healthPath: answers.healthPath,
      healthcheck: ['node', '-e', `fetch(${healthUrl}).then(r=>process.exit(r.ok?0:1),()=>process.exit(1))`],
    },
    migration: {
      tool: orm.id,
      label: orm.label,
      configFile: tool.configFile,
      migrationsDir: tool.migrationsDir,
      command: tool.migrateCommand,
      takesOwnLock: orm.takesOwnLock,
      lockNote: orm.lockNote,
      migrationTable: tool.migrationTable ?? orm.migrationTable,
      migrationNameColumn: orm.migrationNameColumn,
      ...(runner ? { runner } : {}),
      containerCommand,
      ...(onStart ? { onStart } : {}),
    },
    database: {
      ...stack,
      connectionUrl,
      id: database.id,
      label: database.label,
      image: answers.databaseImage,
      urlVariable: answers.databaseUrlVariable,
      volume: stack.kind === 'file' ? 'app-data' : 'db-data',
      ...(stack.kind === 'file' ? { sqliteFile } : {}),
    },
    waitTimeoutSeconds: WAIT_TIMEOUT_SECONDS,
    healthchecks: {
      app: { interval: '5s', timeout: '3s', startPeriod: '30s', retries: 3 },
      // Checked often while it starts (migrate waits on it), patient before calling it unhealthy.
      database: { interval: '2s', timeout: '5s', startPeriod: '10s', retries: 30 },
    },
    envExample: {
      projectText: stripManagedBlock(project.readText('.env.example') ?? ''),
      entries: stack.envExample,
    },
    ...(swarm ? { swarm } : {}),
  };
}

/** Replicas of the app in the Swarm stack (override with APP_REPLICAS when deploying). */
export const SWARM_REPLICAS = 3;
/** The migrate job's runs before the deploy gives up: the first and two restarts. */
const SWARM_JOB_ATTEMPTS = 3;

function swarmPlan(name: string, stack: DatabaseStack, connectionUrl: string): SwarmPlan {
  if (stack.kind !== 'server') throw new UserError('--swarm: a Swarm stack needs a database server, not SQLite');
  const secret = (key: string): SwarmSecret => {
    const upper = key.toUpperCase();
    return { key, name: `${name}-${key.replace(/_/g, '-')}-v1`, nameVariable: `${upper}_SECRET`, valueVariable: upper };
  };
  const secretVariables = stack.secretVariables ?? {};
  const defaults = Object.fromEntries(stack.envExample.map((entry) => [entry.key, entry.value]));
  const databaseEnvironment: Record<string, string> = {};
  for (const [variable, value] of Object.entries(stack.serviceEnvironment)) {
    if (secretVariables[variable]) continue;
    // `${X:?…}` (compose reads .env) becomes `${X:-default}`: a stack is deployed from a shell.
    databaseEnvironment[variable] = value.startsWith(`\${${variable}:?`) ? `\${${variable}:-${defaults[variable] ?? ''}}` : value;
  }
  const urlAssignments = [...connectionUrl.matchAll(/\$\{(\w+)\}/g)].map(([, variable]) => {
    const secretKey = secretVariables[variable!];
    return { variable: variable!, value: secretKey ? `$${secretKey.toUpperCase()}` : `\${${variable}:-${defaults[variable!] ?? ''}}` };
  });
  return {
    stackName: name,
    replicas: SWARM_REPLICAS,
    jobAttempts: SWARM_JOB_ATTEMPTS,
    databaseSecrets: Object.entries(secretVariables).map(([environment, key]) => ({ ...secret(key), environment })),
    databaseEnvironment,
    urlSecret: secret('database_url'),
    urlAssignments,
  };
}
