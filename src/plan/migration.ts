/**
 * Where and how migrations run: the migrate runner and its lock, what the migrate target runs,
 * and, for the entrypoint strategy, how the app image migrates before it starts.
 */
import { createHash } from 'node:crypto';
import path from 'node:path';
import type { DatabaseAdapter, OrmAdapter, OrmDetection, PackageManagerAdapter, RuntimeCopy } from '../adapters/types.js';
import type { ProjectFacts } from '../detect/index.js';
import { UserError } from '../errors.js';
import type { Answers } from './answers.js';
import type { MigrateRunner, Plan } from './types.js';

/** How long a migrator waits for another one to finish before giving up (seconds). */
export const LOCK_TIMEOUT_SECONDS = 300;
export const MIGRATE_RUNNER_FILE = 'docker-migrate.mjs';
/** Where the entrypoint strategy puts the migrate target's files when the runtime lacks them. */
const MIGRATION_BUNDLE = '/opt/migrate';

interface MigrationInputs {
  orm: OrmAdapter;
  tool: OrmDetection;
  database: DatabaseAdapter;
  manager: PackageManagerAdapter;
  runtimeCopies: RuntimeCopy[];
  productionDependencies: boolean;
  /** Warnings for the user are added here. */
  warnings: string[];
  /** The dependencies of the package the tool is set up in (in a workspace, maybe not the app's); default: the project's. */
  dependencies?: ProjectFacts['dependencies'];
}

export interface MigrationDecisions {
  runner?: MigrateRunner;
  containerCommand: string[];
  onStart?: Plan['migration']['onStart'];
  migrationBundle?: string;
}

export function planMigration(facts: ProjectFacts, answers: Answers, inputs: MigrationInputs): MigrationDecisions {
  const { orm, tool, database, manager, runtimeCopies, productionDependencies, warnings } = inputs;
  const dependencies = inputs.dependencies ?? facts.dependencies;
  const depends = (name: string) => name in dependencies;
  const isProduction = (name: string) => dependencies[name] === 'production';
  // The lock: through the first driver of this database the project depends on; else one its
  // dependencies bring (e.g. pg under @mikro-orm/postgresql), where the manager hoists packages
  // to the top of node_modules so that docker-migrate.mjs can import it.
  const driver =
    database.lockDrivers.find(depends) ?? (manager.hoistsDependencies ? database.lockDrivers.find((name) => facts.lockedPackages.includes(name)) : undefined);
  const lockIdentity = createHash('sha256').update(`create-migrating-stack:${facts.name}`).digest('hex');
  const runner = driver
    ? {
        file: MIGRATE_RUNNER_FILE,
        driver,
        key: parseInt(lockIdentity.slice(0, 12), 16),
        name: `migrations:${facts.name}`.slice(0, 64),
        timeoutSeconds: LOCK_TIMEOUT_SECONDS,
      }
    : undefined;
  if (!runner && !orm.takesOwnLock) {
    const advice = `no ${database.label} driver the lock could use (${database.lockDrivers.join(', ')}) is a dependency`;
    if (answers.strategy === 'entrypoint') {
      throw new UserError(
        `${path.join(facts.root, 'package.json')}: the entrypoint strategy migrates in every replica, ${orm.label} takes no lock, and ${advice}: add one, or pass --strategy compose`,
      );
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
    const inPlace = wholeTree && productionDependencies && needed.every(isProduction);
    if (!inPlace) {
      migrationBundle = MIGRATION_BUNDLE;
      warnings.push(
        `entrypoint strategy: the runtime image also carries the migration tooling in ${MIGRATION_BUNDLE} (${needed.filter((name) => !isProduction(name)).join(', ') || 'the build output'} is not part of the production image)`,
      );
    }
    onStart = { directory: migrationBundle ?? '/app', command: containerCommand };
  }

  return { ...(runner ? { runner } : {}), containerCommand, ...(onStart ? { onStart } : {}), ...(migrationBundle ? { migrationBundle } : {}) };
}
