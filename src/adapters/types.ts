/**
 * The shared interfaces behind which every package manager, framework, ORM and database sits.
 * Adding one means one file implementing the interface, registered in its folder's index.ts,
 * plus a fixture and tests. Adapters only read the project (never run it) and return plain data
 * that the plan combines; templates never see an adapter. A problem with the project is thrown
 * as a UserError naming the file and the fix: detection keeps it as a gap of that option.
 */
import type { ConnectionPart } from '../project/config-text.js';
import type { Detected, Finding } from '../project/detected.js';
import type { Project } from '../project/project.js';
import type { ScriptReading } from '../project/scripts.js';

export type { Detected, Finding, Gap } from '../project/detected.js';

export const PACKAGE_MANAGER_IDS = ['npm', 'pnpm', 'yarn', 'bun'] as const;
export type PackageManagerId = (typeof PACKAGE_MANAGER_IDS)[number];

export const DATABASE_IDS = ['postgres', 'mysql', 'mariadb', 'sqlite'] as const;
export type DatabaseId = (typeof DATABASE_IDS)[number];

/** npm drivers whose locking the generated migrate runner (templates/docker-migrate.mjs.ejs) knows. */
export type LockDriver = 'pg' | 'postgres' | 'mysql2' | 'mariadb' | 'better-sqlite3';

// ---------------------------------------------------------------------------------------------
// Package managers

export interface PackageManagerAdapter {
  readonly id: PackageManagerId;
  readonly label: string;
  /** Lockfiles that identify this manager, most specific first. */
  readonly lockfiles: readonly string[];
  /**
   * Whether the install puts dependencies' own dependencies at the top of node_modules, where a
   * generated script can import them (npm, Yarn's node-modules linker, Bun); pnpm doesn't.
   */
  readonly hoistsDependencies: boolean;
  /** Version recorded by the project itself other than package.json#packageManager, if any. */
  versionFromProject?(project: Project): Detected<string> | undefined;
  /**
   * Names of every package in the lockfile, transitive ones included (to find native modules).
   * Throws a UserError naming the lockfile when it can't be parsed.
   */
  lockedPackages(project: Project): Set<string>;
  /** The version the lockfile installs of a direct dependency, when this manager's lockfile tells. */
  lockedVersion?(project: Project, name: string): string | undefined;
  /** How the Dockerfile installs the manager and the dependencies (read at detection, used by the plan). */
  docker(project: Project, version: string | undefined): PackageManagerDocker;
}

export interface PackageManagerDocker {
  /** Shell commands, run once in the base stage, that install the manager itself at its pinned version. */
  setup: string[];
  /** Environment of the base stage (e.g. quieting update notices); inherited by every stage. */
  env?: Record<string, string>;
  /** Project files the install needs (copied before the sources so the install layer stays cached). */
  installFiles: string[];
  /** The manager's download cache inside the build container, mounted as a BuildKit cache. */
  cacheTarget: string;
  /** Frozen-lockfile install of every dependency (build and migrate stages). */
  installAll: string;
  /**
   * There is no lockfile: the installs resolve package.json's ranges (not frozen), so the
   * production dependencies are pruned from the full install when the manager can, to match it.
   */
  unlocked?: true;
  /** Frozen-lockfile install of production dependencies only (runtime stage). */
  installProd: string;
  /**
   * Turns a full install into a production one in place, when the manager can: used instead of
   * a second install when native modules would otherwise compile twice.
   */
  pruneToProduction?: string;
  /** The command that runs a package.json script, followed by the script's name ("npm run"). */
  runScript: string;
  /** Warnings worth showing (e.g. two lockfiles). */
  warnings: string[];
  /** The manager's local state the image never needs (e.g. .yarn/cache): kept out of the build context. */
  contextIgnores?: string[];
}

// ---------------------------------------------------------------------------------------------
// Frameworks

export interface FrameworkAdapter {
  readonly id: string;
  readonly label: string;
  /** Returns what the project shows of this framework, or undefined when it isn't used. */
  detect(project: Project, context: DetectionContext): FrameworkDetection | undefined;
  /**
   * The server command a package.json script stands for when it calls this framework's CLI
   * (`next start`, `nest start`, `remix-serve build/index.js`), or undefined when it doesn't.
   */
  serverFromScript?(argv: readonly string[]): { argv: string[]; warning?: string } | undefined;
}

/** What adapters of one kind know that another kind's detection needs (built from the registries). */
export interface DetectionContext {
  scripts: ScriptReading;
  /** The migration tool's configuration file the user named (--orm-config, or saved), relative to the root. */
  ormConfig?: string;
  /**
   * The version of a package the project installs: the lockfile's when the package manager's
   * adapter can tell, else the lowest its package.json range allows; undefined when not a dependency.
   */
  packageVersion(name: string): Detected<string> | undefined;
}

/** A copy from a build stage into the runtime image. */
export interface RuntimeCopy {
  /**
   * "build": the built project tree (node_modules excluded); "deps": the stage with every
   * dependency installed (for files generated into node_modules, like Prisma's client).
   * Default "build".
   */
  stage?: 'build' | 'deps';
  /** Path in that stage, relative to /app ("." = all of it). */
  from: string;
  /** Destination, relative to the runtime's /app. */
  to: string;
  /**
   * Owned by the runtime user, for a server that writes into its own output (Next.js's .next
   * cache). Default false: root-owned, read-only to the app.
   */
  writable?: boolean;
}

export interface FrameworkDetection {
  /** What showed the framework, e.g. "dependency next" (shown to the user). */
  evidence: string;
  /** The command the container runs, as argv (node directly: never npm), or why it can't be told. */
  start?: Finding<string[]>;
  port?: Detected<number>;
  /** A health route the framework's file-based routing shows (e.g. app/api/health/route.ts). */
  healthPath?: Detected<string>;
  /** Build output folders: kept out of the build context, produced by the build stage. */
  outputDirs: string[];
  /**
   * What the runtime image copies from the build stage. Default: the whole project tree plus
   * production node_modules. Self-contained outputs (Next.js standalone, Nuxt .output) copy
   * only themselves and set needsProductionDependencies to false.
   */
  runtime?: { copy: RuntimeCopy[]; needsProductionDependencies: boolean };
  /** Environment of the runtime image (e.g. HOST=0.0.0.0 for servers that bind localhost by default). */
  env?: Record<string, string>;
  /** Environment of the build stage (e.g. NEXT_TELEMETRY_DISABLED=1). */
  buildEnv?: Record<string, string>;
  warnings?: string[];
}

// ---------------------------------------------------------------------------------------------
// ORMs and migration tools

export interface OrmAdapter {
  readonly id: string;
  readonly label: string;
  /** Whether the tool serialises concurrent runs itself (otherwise the migrate runner's lock does). */
  readonly takesOwnLock: boolean;
  /** One sentence on how the tool locks, for the generated files and the README. */
  readonly lockNote: string;
  /** Table in which the tool records applied migrations (one row per migration)… */
  readonly migrationTable: string;
  /** …and its column that identifies a migration (name, or hash for tools that record no name). */
  readonly migrationNameColumn: string;
  /** Names of the tool's CLI: a script step that runs one of them migrates (`knex migrate:latest && node …`). */
  readonly cliNames: readonly string[];
  /** npm packages that show the tool is in use: named when one is a dependency but detection finds no migrations set up. */
  readonly packages: readonly string[];
  /** What detection looks for, after "no": e.g. "knexfile (knexfile.js, …)". */
  readonly setupHint: string;
  /**
   * Returns the tool's setup in the project, or undefined when it isn't used. Throws a UserError
   * naming the file when its configuration is malformed or incomplete. A configuration file named
   * by the user (context.ormConfig) is used when it is this tool's.
   */
  detect(project: Project, context: DetectionContext): OrmDetection | undefined;
}

export interface OrmDetection {
  /** The configuration file that proves the tool is set up (shown to the user). */
  configFile: string;
  /** Where the migrations live, relative to the project root. */
  migrationsDir: string;
  /** argv that applies pending migrations inside the image (the project's own installed binary). */
  migrateCommand: string[];
  /** The npm package that provides the CLI above (it must be installed in the migrate target). */
  cliPackage: string;
  database?: Detected<DatabaseId>;
  /** Name of the environment variable the tool reads the connection URL from. */
  urlVariable?: Detected<string>;
  /** Variables the configuration builds the connection from instead of a URL (DB_HOST, …). */
  connectionParts?: Detected<Partial<Record<ConnectionPart, string>>>;
  /**
   * A variable the configuration takes the kind of database from (TypeORM `type:
   * process.env.DATABASE_TYPE`): the stack sets it, for the app and migrate, to the tool's name
   * of the chosen database.
   */
  databaseTypeVariable?: { name: string; values: Partial<Record<DatabaseId, string>>; source: string };
  /** Project files the dependency install already needs (e.g. prisma/ for the client's postinstall). */
  installFiles?: string[];
  /** Debian packages every stage needs at run time too (e.g. openssl for Prisma's engines). */
  systemPackages?: string[];
  /** Build arguments declared in the stages that install and build (e.g. PRISMA_ENGINES_MIRROR). */
  buildArgs?: string[];
  /**
   * Commands the deps stage runs right after installing (e.g. prisma generate, whose client lands
   * in node_modules: the migrate and runtime images copy it from there).
   */
  installCommands?: string[];
  /** What the runtime image needs of the tool besides the project tree (e.g. a generated client). */
  runtimeCopies?: RuntimeCopy[];
  /** The table of applied migrations when the configuration renames it (default: the adapter's migrationTable). */
  migrationTable?: string;
  /** What the tool needs before an SQLite file's path in its URL ("file:"); default: the plain path. */
  sqliteUrlPrefix?: string;
  /** The oldest Node.js the locked version of the tool runs on (e.g. MikroORM 7: 22.17). */
  minimumNode?: Detected<string>;
  /**
   * URL schemes the tool needs for a database server where the database's usual one won't do
   * (Sequelize takes its dialect from the scheme: mariadb:// for the mariadb driver, not mysql://).
   */
  urlSchemes?: Partial<Record<DatabaseId, string>>;
  warnings?: string[];
  /** Things worth knowing that need no action (e.g. the project's own migrate script is what runs). */
  notes?: string[];
}

// ---------------------------------------------------------------------------------------------
// Databases

export interface DatabaseAdapter {
  readonly id: DatabaseId;
  readonly label: string;
  /** A server in its own service, or a file on a volume shared by migrate and app (SQLite). */
  readonly kind: 'server' | 'file';
  /** npm driver packages that point at this database. */
  readonly drivers: readonly string[];
  /** Names ORM configs give this database's client or dialect (Knex client, TypeORM type, …), lowercase. */
  readonly clientNames: readonly string[];
  /** URL schemes (without "://") that point at this database. */
  readonly urlSchemes: readonly string[];
  /** Image used when none is given; a parameter (--db-image). Undefined for embedded databases. */
  readonly defaultImage?: string;
  /** Drivers the generated migrate runner can take its lock through, preferred first. */
  readonly lockDrivers: readonly LockDriver[];
  /** What the stack needs for this database; `host` is the database service's name. */
  stack(host: string): DatabaseStack;
  /** argv, run in the database service, that prints the result of one SQL query (rows, tab-separated). */
  queryCommand?(sql: string): string[];
  /** A table or column name (possibly schema-qualified, "drizzle.__drizzle_migrations") quoted for SQL. */
  quoteIdentifier(name: string): string;
}

export interface EnvExampleEntry {
  key: string;
  value: string;
  comment?: string;
}

export interface DatabaseBackup {
  /** Environment of the backup service (compose-interpolated). */
  environment: Record<string, string>;
  /** Shell command that writes a dump to the file "$1". */
  dump: string;
  /**
   * Shell command that replaces the database with the dump in the file "$1": the database is
   * dropped and recreated first, so that nothing created after the dump (a table a failed
   * migration made) survives the restore.
   */
  restore: string;
  /** Shell command that prints the single value of the SQL query "$1" (to label a dump by the migration state it precedes). */
  scalar: string;
  /** File extension of a dump. */
  extension: string;
}

export interface DatabaseStack {
  /** TCP port inside the network (server only): what the entrypoint waits for. */
  port?: number;
  /** Environment of the database service, compose-interpolated. */
  serviceEnvironment: Record<string, string>;
  /** Where the service (server) or the app (file) keeps its data: the named volume's mount point. */
  dataPath: string;
  /** Healthcheck test of the database service (exec form). */
  healthcheck?: string[];
  /** The connection URL as seen from the app and migrate containers (compose-interpolated); for a file, its path. */
  connectionUrl: string;
  /** The database file inside the containers (file databases). */
  file?: string;
  /** Entries of .env.example: local-development values to change for production. */
  envExample: EnvExampleEntry[];
  /** How the backup one-shot (run from the database's own image) dumps and restores. */
  backup?: DatabaseBackup;
  /**
   * Variables of serviceEnvironment that hold secrets, each with the name of the Docker secret
   * that replaces it in a Swarm stack (read by the image through VARIABLE_FILE).
   */
  secretVariables?: Record<string, string>;
}
