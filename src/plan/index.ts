/**
 * plan: facts + answers → one typed Plan. Every decision about the generated files is made here.
 */
import path from 'node:path';
import { databaseById } from '../adapters/databases/index.js';
import { frameworkById } from '../adapters/frameworks/index.js';
import { ormById } from '../adapters/orms/index.js';
import { packageManagerById } from '../adapters/package-managers/index.js';
import type { RuntimeCopy } from '../adapters/types.js';
import type { ProjectFacts } from '../detect/index.js';
import { NATIVE_BUILD_TOOLS } from '../detect/native-modules.js';
import { isGap } from '../project/detected.js';
import { dockerignoreMatches } from '../project/ignore-files.js';
import { parseCommand } from '../shared/shell.js';
import { UserError } from '../errors.js';
import { stripManagedBlock } from '../shared/managed-block.js';
import type { Answers } from './answers.js';
import { hostPortVariable, planEnvironment } from './environment.js';
import { ciPlan } from './ci.js';
import { compileStep, dockerFileNotes, dockerFiles, writableFolders } from './build.js';
import { planMigration } from './migration.js';
import { swarmPlan } from './swarm.js';
import { workspacePlan } from './workspace.js';
import { SERVICE, type Plan } from './types.js';

export { SERVICE } from './types.js';
export type { CiPlan, CiVariable, Plan } from './types.js';

export const WAIT_TIMEOUT_SECONDS = 60;
/** The project's npm configuration: it may hold a registry token, so the installs read it as a BuildKit secret. */
const NPMRC = '.npmrc';
/**
 * Where the installs see it: the user configuration (HOME is /root while the image builds), which
 * npm (global installs too), pnpm, Yarn 1 and Bun all read.
 */
const NPMRC_TARGET = '/root/.npmrc';
/** An init for PID 1 (Debian's tini): it forwards signals to the entrypoint's command and reaps zombies, in compose or not. */
const INIT_PACKAGE = 'tini';
const BACKUP_SCRIPT = 'docker-backup.sh';
/** Backups kept in the volume by default (BACKUP_KEEP); older ones are deleted after a new one. */
const BACKUPS_KEPT = 10;

export function buildPlan(facts: ProjectFacts, answers: Answers): Plan {
  const manager = packageManagerById(answers.packageManager);
  if (!manager) throw new UserError(`--pm ${answers.packageManager}: not supported yet`);
  const managerVersion = facts.packageManager.manager?.value === answers.packageManager ? facts.packageManager.version?.value : undefined;
  const docker = facts.installs[manager.id];
  if (isGap(docker)) throw new UserError(docker.gap);

  const framework = frameworkById(answers.framework);
  const frameworkFound = facts.frameworks.find((found) => found.id === answers.framework);
  if (!framework || !frameworkFound) throw new UserError(`--framework ${answers.framework}: not used in ${facts.root}`);
  if ('gap' in frameworkFound) throw new UserError(frameworkFound.gap);

  const orm = ormById(answers.orm);
  const ormFound = facts.orms.find((found) => found.id === answers.orm);
  if (!orm || !ormFound) throw new UserError(`--orm ${answers.orm}: not set up in ${facts.root}`);
  if ('gap' in ormFound) throw new UserError(ormFound.gap);
  const tool = ormFound.detection;
  // In a workspace, the tool may be set up in a package the app depends on (packages/db): its dependencies.
  const toolDependencies = tool.workspacePackage?.dependencies ?? facts.dependencies;
  const packageJson =
    facts.workspace && tool.workspacePackage
      ? path.join(facts.workspace.root, tool.workspacePackage.dir, 'package.json')
      : path.join(facts.root, 'package.json');
  if (!(tool.cliPackage in toolDependencies)) {
    throw new UserError(`${packageJson}: ${tool.cliPackage} (the ${orm.label} CLI that runs migrations) is not a dependency: add it`);
  }

  // .npmrc is never copied: the installs mount it as a secret.
  const installEntries = [...docker.installFiles, ...(tool.installFiles ?? [])].filter((entry) => entry !== NPMRC);
  const buildSecrets = docker.installFiles.includes(NPMRC) ? [{ id: 'npmrc', file: NPMRC, target: NPMRC_TARGET }] : [];
  for (const entry of installEntries) {
    if (!facts.paths[entry]) {
      throw new UserError(
        `${path.join(facts.root, entry)}: not found, and ${manager.label} needs it for a frozen install: run ${manager.id} install and commit it`,
      );
    }
  }

  const database = databaseById(answers.database);
  const stack = database.stack(SERVICE.database);
  const scheme = tool.urlSchemes?.[database.id];
  const serverUrl = scheme ? stack.connectionUrl.replace(/^[a-z][a-z0-9+.-]*:/i, `${scheme}:`) : stack.connectionUrl;
  const server = database.kind === 'server';
  const connectionUrl = server ? serverUrl : `${tool.sqliteUrlPrefix ?? ''}${stack.connectionUrl}`;

  const framed = frameworkFound.detection;
  const runtimeCopies: RuntimeCopy[] = [...(framed.runtime?.copy ?? [{ from: '.', to: '.' }]), ...(tool.runtimeCopies ?? [])];
  const productionDependencies = framed.runtime?.needsProductionDependencies ?? true;
  // The chosen adapters' own, then the package manager's (e.g. a default version installed
  // because the project pins none).
  const warnings: string[] = [...(framed.warnings ?? []), ...(tool.warnings ?? []), ...docker.warnings];
  // type: process.env.DATABASE_TYPE in the configuration: the stack sets it to the tool's name of the database.
  const typeSetting = tool.databaseTypeVariable;
  const typeValue = typeSetting?.values[database.id];
  if (typeSetting && typeValue === undefined) {
    throw new UserError(
      `${path.join(facts.root, typeSetting.source)}: reads the kind of database from ${typeSetting.name}, and ${orm.label} has no name for ${database.label}: pass another --db`,
    );
  }
  if (tool.minimumNode && answers.node < Number(tool.minimumNode.value.split('.')[0])) {
    warnings.push(
      `${tool.minimumNode.source} needs Node.js ${tool.minimumNode.value} or newer, but the image gets Node.js ${answers.node}: pass --node ${tool.minimumNode.value.split('.')[0]} (or newer)`,
    );
  }

  const hooks = installHooks(facts);
  const appCommand = parseCommand(answers.start, 'start command');
  // No build script, but the image runs compiled output: the project's own compiler builds it.
  const compile = compileStep(facts, [appCommand, tool.migrateCommand]);
  if (compile) warnings.push(compile.warning);
  const dockerfile = dockerFiles(facts, answers);
  const writable = writableFolders(facts);

  const { runner, containerCommand, onStart, migrationBundle } = planMigration(facts, answers, {
    orm,
    tool,
    database,
    manager,
    runtimeCopies,
    productionDependencies,
    warnings,
    dependencies: toolDependencies,
  });

  const swarm = answers.swarm ? swarmPlan(facts.name, database, stack, connectionUrl) : undefined;
  if (answers.backup && !stack.backup) throw new UserError(`--backup: not available for ${database.label}`);
  const migrationTable = tool.migrationTable ?? orm.migrationTable;
  // Each dump is named by the migration state it precedes: how many migrations were applied.
  const stateQuery = `SELECT COUNT(*) FROM ${database.quoteIdentifier(migrationTable)}`;
  const backup = answers.backup && stack.backup ? { ...stack.backup, file: BACKUP_SCRIPT, keep: BACKUPS_KEPT, stateQuery } : undefined;
  const ci = ciPlan(answers, {
    name: facts.name,
    stack,
    databaseImage: answers.databaseImage,
    server,
    swarm,
    backupFile: backup?.file,
    gitlabPipeline: facts.ci.gitlabPipeline,
    githubWorkflow: facts.ci.githubWorkflow,
    warnings,
  });

  // The app's own port variable (API_PORT, …), when it reads one: the image sets it with PORT.
  const portVariable = facts.port?.variable !== undefined && facts.port.value === answers.port ? facts.port.variable : undefined;
  const imageEnvironment = {
    NODE_ENV: 'production',
    PORT: String(answers.port),
    ...(portVariable ? { [portVariable]: String(answers.port) } : {}),
    ...(framed.env ?? {}),
  };
  const environment = planEnvironment(facts, {
    urlVariable: answers.databaseUrlVariable,
    // The config reads the connection in parts (DB_HOST, …).
    configParts: tool.connectionParts?.value,
    server,
    // And the variable the migration config takes its database type from (DATABASE_TYPE), which the stack sets.
    setInImage: [...Object.keys(imageEnvironment), ...(typeSetting ? [typeSetting.name] : [])],
    database: database.id,
  });

  const healthUrl = `'http://127.0.0.1:'+(process.env.PORT||${answers.port})+'${answers.healthPath ?? '/'}'`;
  // The answer is printed for `docker inspect` (and verify) to show why a check failed. Without a
  // health route, any HTTP answer but a server error shows the app is up (redirects not followed).
  const healthy =
    answers.healthPath === null
      ? `fetch(${healthUrl},{redirect:'manual'}).then(r=>{console.log('HTTP',r.status);process.exit(r.status<500?0:1)},e=>{console.log(e.cause?.code??e.message);process.exit(1)})`
      : `fetch(${healthUrl}).then(r=>{console.log('HTTP',r.status);process.exit(r.ok?0:1)},e=>{console.log(e.cause?.code??e.message);process.exit(1)})`;

  const plan: Plan = {
    answers,
    name: facts.name,
    strategy: answers.strategy,
    warnings,
    notes: [...(tool.notes ?? []), ...dockerFileNotes(facts, dockerfile), ...writable.notes],
    node: { major: answers.node, image: answers.nodeImage ?? `node:${answers.node}-bookworm-slim` },
    framework: { id: framework.id, label: framework.label },
    install: {
      manager: manager.id,
      label: manager.label,
      ...(managerVersion ? { version: managerVersion } : {}),
      setup: docker.setup,
      files: installEntries.filter((entry) => facts.paths[entry] === 'file'),
      directories: installEntries.filter((entry) => facts.paths[entry] === 'directory'),
      toolEntries: tool.installFiles ?? [],
      cacheTarget: docker.cacheTarget,
      projectHooks: Object.keys(facts.installHooks),
      installAll: [...hooks.removal, docker.installAll, ...(tool.installCommands ?? [])].join(' \\\n && '),
      installProd: [...hooks.removal, docker.installProd].join(' \\\n && '),
      // Compiling native modules twice (full and production installs) doubles the slowest step;
      // without a lockfile, two installs could resolve different versions.
      ...((facts.nativeModules.length > 0 || docker.unlocked) && docker.pruneToProduction ? { pruneToProduction: docker.pruneToProduction } : {}),
    },
    system: {
      runtimePackages: [...new Set([...(tool.systemPackages ?? []), INIT_PACKAGE])].sort(),
      buildTools: facts.nativeModules.length > 0 ? NATIVE_BUILD_TOOLS : [],
      nativeModules: facts.nativeModules,
    },
    buildSecrets,
    buildArgs: [...new Set(tool.buildArgs ?? [])].sort(),
    env: { base: docker.env ?? {}, build: framed.buildEnv ?? {}, runtime: imageEnvironment },
    buildCommands: [
      ...hooks.inBuild.map((hook) => `${docker.runScript} ${hook}`),
      ...(facts.buildScript ? [`${docker.runScript} ${facts.buildScript.value}`] : []),
      ...(compile ? [compile.command] : []),
    ],
    docker: dockerfile,
    writableDirectories: { runtime: writable.runtime, migrate: writable.migrate },
    runtime: {
      copies: runtimeCopies.map((copy) => ({ stage: copy.stage ?? 'build', from: copy.from, to: copy.to, writable: copy.writable ?? false })),
      productionDependencies,
      ...(migrationBundle ? { migrationBundle } : {}),
    },
    ...(server ? {} : { writableDirectory: stack.dataPath }),
    ignoredOutputs: [...framed.outputDirs, ...(docker.contextIgnores ?? [])],
    contextIgnore: contextIgnore(facts, [...installEntries, tool.configFile, tool.migrationsDir, 'docker-entrypoint.sh', ...(runner ? [runner.file] : [])]),
    app: {
      command: appCommand,
      port: answers.port,
      healthPath: answers.healthPath,
      healthcheck: ['node', '-e', healthy],
      passed: environment.passed,
      hostPortVariable: hostPortVariable(environment.mentioned),
    },
    migration: {
      tool: orm.id,
      label: orm.label,
      configFile: tool.configFile,
      migrationsDir: tool.migrationsDir,
      command: tool.migrateCommand,
      takesOwnLock: orm.takesOwnLock,
      lockNote: orm.lockNote,
      migrationTable,
      migrationNameColumn: orm.migrationNameColumn,
      ...(runner ? { runner } : {}),
      containerCommand,
      ...(onStart ? { onStart } : {}),
    },
    database: {
      ...stack,
      connectionUrl,
      kind: database.kind,
      id: database.id,
      label: database.label,
      image: answers.databaseImage,
      urlVariable: answers.databaseUrlVariable,
      volume: server ? 'db-data' : 'app-data',
      ...(stack.file ? { sqliteFile: stack.file } : {}),
      ...(typeSetting && typeValue !== undefined ? { typeVariable: { name: typeSetting.name, value: typeValue } } : {}),
      ...(environment.connectionParts.length > 0 ? { connectionParts: environment.connectionParts } : {}),
      urlParts: server ? [...new Set([...connectionUrl.matchAll(/\$\{(\w+)\}/g)].map(([, variable]) => variable!))] : [],
    },
    waitTimeoutSeconds: WAIT_TIMEOUT_SECONDS,
    healthchecks: {
      app: { interval: '5s', timeout: '3s', startPeriod: '30s', retries: 3 },
      // Checked often while it starts (migrate waits on it), patient before calling it unhealthy.
      database: { interval: '2s', timeout: '5s', startPeriod: '10s', retries: 30 },
    },
    envExample: {
      projectText: stripManagedBlock(facts.envExampleText),
      entries: stack.envExample,
    },
    ...(swarm ? { swarm } : {}),
    ...(backup ? { backup } : {}),
    ...(ci ? { ci } : {}),
  };
  // One app of a workspace: the same decisions, made for the workspace root as the build context.
  return facts.workspace ? workspacePlan(plan, facts, facts.workspace, { docker, tool, framed, compile }) : plan;
}

/**
 * The project's .gitignore patterns for .dockerignore, and the paths the build needs (the files the
 * Dockerfile copies by name, the migrations) that they would leave out: taken back in.
 */
function contextIgnore(facts: ProjectFacts, needed: readonly string[]): Plan['contextIgnore'] {
  const patterns = facts.ignoreFiles.flatMap((file) => file.patterns);
  const exceptions = [...new Set(needed)].filter((entry) => dockerignoreMatches(patterns, entry));
  return { fromProject: facts.ignoreFiles, exceptions };
}

/** Install hooks that only set up a developer's git checkout: no use (and often a failure) in an image. */
const GIT_HOOK_INSTALLERS = /\b(husky|simple-git-hooks|lefthook|pre-commit|yorkie|git config|is-ci)\b/;

/**
 * The project's own install hooks (postinstall, prepare, …) can't run where the images install
 * dependencies: only package.json and the lockfile are there, and the production install has no
 * devDependencies (`"prepare": "husky"` exits 127). They are removed from the copy of package.json
 * the installs see (dependencies' own scripts, which build native modules, still run), and the
 * ones that do real work (codegen, patches) run in the build stage, with the whole project there.
 */
function installHooks(facts: ProjectFacts): { removal: string[]; inBuild: string[] } {
  const names = Object.keys(facts.installHooks);
  if (names.length === 0) return { removal: [], inBuild: [] };
  return {
    removal: [`npm pkg delete ${names.map((name) => `scripts.${name}`).join(' ')}`],
    inBuild: ['postinstall', 'prepare'].filter((name) => name in facts.installHooks && !GIT_HOOK_INSTALLERS.test(facts.installHooks[name]!)),
  };
}
