import type {
  DatabaseAdapter,
  DatabaseBackup,
  DatabaseStack,
  DatabaseId,
  EnvExampleEntry,
  LockDriver,
  PackageManagerId,
  RuntimeCopy,
} from '../adapters/types.js';
import type { ConnectionPartVariable, PassedVariable } from './environment.js';
import type { IgnoreFile } from '../project/ignore-files.js';

type DatabaseKind = DatabaseAdapter['kind'];
import type { Answers, Strategy } from './answers.js';
import type { DockerFiles } from './build.js';

/** Compose service names: part of the interface other tools rely on (README). */
export const SERVICE = { database: 'db', backup: 'backup', migrate: 'migrate', app: 'app' } as const;

/**
 * Timings of a healthcheck. A short interval with a start period: `start_interval` would be
 * better but needs engine API 1.44, newer than many engines in use (the lab's is 1.41).
 */
export interface HealthcheckTimings {
  interval: string;
  timeout: string;
  startPeriod: string;
  retries: number;
}

/** A Docker secret of the Swarm stack. */
export interface SwarmSecret {
  /** Key in the stack file, and the file name under /run/secrets. */
  key: string;
  /** Default, versioned name of the secret (secrets are immutable: rotate by creating a new name). */
  name: string;
  /** Variable that overrides the name when deploying. */
  nameVariable: string;
  /** Variable deploy-swarm.sh creates the secret from when it doesn't exist yet. */
  valueVariable: string;
}

/** The Swarm stack: a migrate job, then a rolling update of the app (deploy-swarm.sh). */
export interface SwarmPlan {
  stackName: string;
  /** Node label the database is pinned to: its volume is local to one node (label=true). */
  databaseNodeLabel: string;
  replicas: number;
  /** Attempts of the migrate job before the deploy fails (first run plus restarts). */
  jobAttempts: number;
  /** Secrets of the database service, each read through <environment>_FILE. */
  databaseSecrets: (SwarmSecret & { environment: string })[];
  /** The database service's other variables, with defaults instead of required values. */
  databaseEnvironment: Record<string, string>;
  /** The secret holding the connection URL, read by the app and migrate through <URL variable>_FILE. */
  urlSecret: SwarmSecret;
  /** Shell assignments deploy-swarm.sh evaluates before building the URL secret's value. */
  urlAssignments: { variable: string; value: string }[];
}

/** A project file the installs read through `RUN --mount=type=secret`: never in a layer, nor in the build context. */
export interface BuildSecret {
  /** The secret's id (Dockerfile `id=`, compose `build.secrets`, `docker build --secret id=…`). */
  id: string;
  /** The file, relative to the project. */
  file: string;
  /** Where the installs see it. */
  target: string;
}

/** The generated docker-migrate.mjs: which driver it locks through, and the lock's identity. */
export interface MigrateRunner {
  file: string;
  driver: LockDriver;
  /** PostgreSQL advisory lock key (48 bits of a hash of the project name). */
  key: number;
  /** MySQL/MariaDB GET_LOCK name. */
  name: string;
  timeoutSeconds: number;
}

/**
 * Everything the generated files say, decided once. Templates and the compose builder only read
 * it; a change of behaviour is a change here.
 */
export interface Plan {
  answers: Answers;
  /** Project name, docker-safe. */
  name: string;
  /** Where migrations run (README: "Migration strategies"). */
  strategy: Strategy;
  /** Things the user should know about the generated setup. */
  warnings: string[];
  /** What the generated setup does that the user may want to know but need not act on (e.g. it runs the project's own migrate script). */
  notes: string[];
  node: { major: number; image: string };
  framework: { id: string; label: string };
  install: {
    manager: PackageManagerId;
    label: string;
    version?: string;
    setup: string[];
    /** Files copied (in one COPY) before the install, so the install layer stays cached. */
    files: string[];
    /** Directories copied before the install (one COPY each, to keep their names). */
    directories: string[];
    /** Files and directories only the full install reads (the migration tool's schema): the production install copies none of them. */
    toolEntries: string[];
    cacheTarget: string;
    /** The project's own install hooks (postinstall, prepare, …), kept out of the installs. */
    projectHooks: string[];
    installAll: string;
    installProd: string;
    /** Set when production dependencies come from pruning the full install (native modules). */
    pruneToProduction?: string;
  };
  /** Debian packages: needed at run time in every stage, and compilers for the install stages only. */
  system: { runtimePackages: string[]; buildTools: string[]; nativeModules: string[] };
  /** Project files the installs read as BuildKit secrets (.npmrc and its registry token), never copied. */
  buildSecrets: BuildSecret[];
  /** Build arguments declared in the install and build stages. */
  buildArgs: string[];
  env: { base: Record<string, string>; build: Record<string, string>; runtime: Record<string, string> };
  /** Commands of the build stage, in order (tool steps, then the project's build script, or its compiler). */
  buildCommands: string[];
  /** The generated Dockerfile and its ignore file (beside a project's own, they have other names). */
  docker: DockerFiles;
  /** Folders the app (runtime) and the migration tool (migrate) write into: created owned by node. */
  writableDirectories: { runtime: string[]; migrate: string[] };
  /**
   * What the runtime image copies, and whether it installs production dependencies.
   * migrationBundle: the entrypoint strategy needs the migrate target's files in the runtime image.
   */
  runtime: { copies: Required<RuntimeCopy>[]; productionDependencies: boolean; migrationBundle?: string };
  /** A directory the non-root user must own (SQLite's data volume). */
  writableDirectory?: string;
  /** Build outputs kept out of the build context (the build stage produces them). */
  ignoredOutputs: string[];
  /** .dockerignore: the project's .gitignore patterns, and the paths the build needs that they would leave out (taken back in). */
  contextIgnore: { fromProject: IgnoreFile[]; exceptions: string[] };
  app: {
    command: string[];
    port: number;
    /** null: the app has no health route (the healthcheck accepts any HTTP answer below 500 on /). */
    healthPath: string | null;
    /** Exec-form healthcheck: node's fetch, so the image needs no curl. */
    healthcheck: string[];
    /** Variables the project documents, validates or reads that the stack doesn't set: passed to app and migrate from .env. */
    passed: PassedVariable[];
    /** The variable compose publishes the app's port with on the host (APP_PORT unless the app reads that name). */
    hostPortVariable: string;
  };
  migration: {
    tool: string;
    label: string;
    configFile: string;
    migrationsDir: string;
    command: string[];
    takesOwnLock: boolean;
    lockNote: string;
    migrationTable: string;
    migrationNameColumn: string;
    /** The generated runner that holds a database lock around the tool, when a driver allows it. */
    runner?: MigrateRunner;
    /** What the migrate target runs: the tool, wrapped by the runner when there is one. */
    containerCommand: string[];
    /** Entrypoint strategy: the app container migrates in this directory before the app starts. */
    onStart?: { directory: string; command: string[] };
  };
  database: DatabaseStack & {
    kind: DatabaseKind;
    id: DatabaseId;
    label: string;
    image: string | null;
    urlVariable: string;
    /** Name of the named volume holding the data. */
    volume: string;
    /** Path of the database file inside the containers (SQLite). */
    sqliteFile?: string;
    /** A variable the configuration takes the kind of database from (TypeORM `type: process.env.DATABASE_TYPE`), set for the app and migrate. */
    typeVariable?: { name: string; value: string };
    /** Variables holding the connection's parts (DB_HOST, …); the entrypoint sets them from the URL. */
    connectionParts?: ConnectionPartVariable[];
    /**
     * The variables of connectionUrl (POSTGRES_USER, POSTGRES_PASSWORD, POSTGRES_DB): compose passes
     * them, and the entrypoint builds the URL from them, each percent-encoded, so that any password
     * works. Empty when the URL has none (SQLite's path): compose passes the URL itself.
     */
    urlParts: string[];
  };
  /** How long the entrypoint waits for the database before giving up (seconds). */
  waitTimeoutSeconds: number;
  /** Healthcheck timings: the app's (Dockerfile, compose, stack) and the database service's. */
  healthchecks: { app: HealthcheckTimings; database: HealthcheckTimings };
  /** .env.example: the project's own lines (kept as they are) and the entries the stack needs. */
  envExample: { projectText: string; entries: EnvExampleEntry[] };
  /** Present when a Swarm stack is generated. */
  swarm?: SwarmPlan;
  /** Present when the database is backed up before migrations run (docker-backup.sh). */
  backup?: DatabaseBackup & {
    file: string;
    keep: number;
    /** SQL whose single value is the number of migrations applied (what a dump's name records). */
    stateQuery: string;
  };
  /** Present when a CI pipeline is generated (--ci). */
  ci?: CiPlan;
  /** Present for one app of a workspace (monorepo): the build context is the workspace root. */
  workspace?: WorkspacePlan;
}

/**
 * One app of a workspace: /app in the image is the workspace root, holding the app's part of the
 * workspace only (the app, the workspaces it depends on, the root's files).
 */
export interface WorkspacePlan {
  /** The app's folder, relative to the root: the runtime's working directory (/app/<app>). */
  app: string;
  /** The folder of the package that sets the migration tool up (the app's, or a workspace it depends on): the migrate target's working directory. */
  migrations: string;
  /** Where the generated files are in the build context: "" at the root, else their folder with a slash ("apps/api/"). */
  prefix: string;
  /** The workspace root relative to the generated files ("." or "../.."): compose's build context. */
  context: string;
  /** The generated Dockerfile's path in the build context. */
  dockerfile: string;
  /** The workspaces the image holds, dependencies first, the app last. */
  packages: string[];
  /** .dockerignore lines that keep every other workspace out of the build context: the workspace patterns, then the image's packages taken back in. */
  contextPatterns: string[];
  /** The migrate runner as generated, when migrations run in another folder (it imports the lock's driver from there). */
  runnerSource?: string;
  /** PATH of every stage: the app's binaries (node_modules/.bin), then the root's, where npm, Yarn and Bun hoist them. */
  path: string;
  /** PATH of the migrate target when migrations run in another package than the app: that package's binaries first. */
  migratePath?: string;
  /** The repository uses Turborepo (turbo.json). */
  turbo: boolean;
  /**
   * Turborepo prunes the workspace to the app's part, lockfile included (`turbo prune --docker`, in
   * a stage of its own, with the root's locked turbo): the installs copy its output instead of the
   * root's lockfile, so a dependency change in another workspace leaves them cached.
   */
  prune?: { version: string; command: string; output: string; provides: string[] };
}

/** A variable of the CI platform's store that the pipeline reads, by name. */
export interface CiVariable {
  name: string;
  /** Secret (GitHub secrets, GitLab masked variables) or a plain setting (GitHub vars, GitLab variables). */
  secret: boolean;
  /** A GitLab variable of type File: its value is the path of a file holding it. */
  file?: true;
  /** What to put in it. */
  description: string;
  /** Needed only sometimes (e.g. on the first Swarm deploy). */
  optional?: true;
}

/** The pipeline, decided once: the renderers of both platforms read only this (and the plan). */
export interface CiPlan {
  platform: 'github' | 'gitlab';
  /** The version of create-migrating-stack that generated the files: the drift gate runs exactly it. */
  toolVersion: string;
  toolNode: number;
  /** The ci strategy: the pipeline's migrate step is the migration path (before push and deploy). */
  migrates: boolean;
  /** compose: `docker compose up` on DEPLOY_HOST (ssh://…); swarm: deploy-swarm.sh against it. */
  deploy: 'compose' | 'swarm';
  /** Compose project name on the deploy host (compose) or stack name (swarm). */
  deployName: string;
  /** Compose project name of the stack the pipeline tests on the runner. */
  testName: string;
  /** Services whose images `docker compose pull` fetches on the deploy host before `up`. */
  pulledServices: string[];
  /** The pipeline's backup before it migrates (ci strategy with --backup): run in the database image. */
  backup?: { image: string; file: string; variables: string[] };
  /** Files a remote engine must have at the project's path (compose's relative bind mounts). */
  boundFiles: string[];
  /** The files of the pipeline (kept out of the build context). */
  files: string[];
  /** Every variable the pipeline reads from the platform's store. */
  variables: CiVariable[];
  /** GitHub: the workflow file (deploy.yml, or migrating-stack.yml beside the project's own deploy.yml). */
  workflowFile: string;
  /** GitLab: the project has its own .gitlab-ci.yml, so only the includable job set is generated. */
  gitlabOwnPipeline: boolean;
}
