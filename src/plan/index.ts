/**
 * plan: facts + answers → one typed Plan. Every decision about the generated files is made here.
 */
import { databaseById } from '../adapters/databases/index.js';
import { ormById } from '../adapters/orms/index.js';
import { packageManagerById } from '../adapters/package-managers/index.js';
import type { ProjectFacts } from '../detect/index.js';
import { parseCommand } from '../detect/start-command.js';
import { UserError } from '../errors.js';
import { stripManagedBlock } from '../shared/managed-block.js';
import type { Answers } from './answers.js';
import { SERVICE, type Plan } from './types.js';

export { SERVICE } from './types.js';
export type { Plan } from './types.js';

export const WAIT_TIMEOUT_SECONDS = 60;

export function buildPlan(facts: ProjectFacts, answers: Answers): Plan {
  const { project } = facts;
  const manager = packageManagerById(answers.packageManager);
  if (!manager) throw new UserError(`--pm ${answers.packageManager}: not supported yet`);
  const managerVersion = facts.packageManager.manager?.value === answers.packageManager ? facts.packageManager.version?.value : undefined;
  const docker = manager.docker(project, managerVersion);
  for (const file of docker.installFiles) {
    if (!project.exists(file)) {
      throw new UserError(`${project.abs(file)}: not found, and ${manager.label} needs it for a frozen install: run ${manager.id} install and commit it`);
    }
  }

  const orm = ormById(answers.orm);
  const ormFound = facts.orms.find((found) => found.id === answers.orm);
  if (!orm || !ormFound) throw new UserError(`--orm ${answers.orm}: not set up in ${project.root}`);
  const detection = ormFound.detection;
  if (!project.hasDependency(detection.cliPackage)) {
    throw new UserError(`${project.abs('package.json')}: ${detection.cliPackage} (the ${orm.label} CLI that runs migrations) is not a dependency: add it`);
  }

  const database = databaseById(answers.database);
  const stack = database.stack(SERVICE.database);
  const command = parseCommand(answers.start, 'start command');

  const healthUrl = `'http://127.0.0.1:'+(process.env.PORT||${answers.port})+'${answers.healthPath}'`;
  return {
    answers,
    name: facts.name,
    node: { major: answers.node, image: `node:${answers.node}-bookworm-slim` },
    install: {
      manager: manager.id,
      label: manager.label,
      ...(managerVersion ? { version: managerVersion } : {}),
      setup: docker.setup,
      installFiles: docker.installFiles,
      cacheTarget: docker.cacheTarget,
      installAll: docker.installAll,
      installProd: docker.installProd,
    },
    ...(facts.buildScript ? { build: { command: docker.runScript(facts.buildScript.value) } } : {}),
    ignoredOutputs: facts.framework.detection.outputDirs,
    app: {
      command,
      port: answers.port,
      healthPath: answers.healthPath,
      healthcheck: ['node', '-e', `fetch(${healthUrl}).then(r=>process.exit(r.ok?0:1),()=>process.exit(1))`],
    },
    migration: {
      tool: orm.id,
      label: orm.label,
      configFile: detection.configFile,
      migrationsDir: detection.migrationsDir,
      command: detection.migrateCommand,
      takesOwnLock: orm.takesOwnLock,
      lockNote: orm.lockNote,
      migrationTable: orm.migrationTable,
      migrationNameColumn: orm.migrationNameColumn,
    },
    database: {
      ...stack,
      id: database.id,
      label: database.label,
      image: answers.databaseImage,
      urlVariable: answers.databaseUrlVariable,
      volume: database.id === 'sqlite' ? 'sqlite-data' : 'db-data',
    },
    waitTimeoutSeconds: WAIT_TIMEOUT_SECONDS,
    healthcheck: { interval: '5s', timeout: '3s', startPeriod: '30s', retries: 3 },
    envExample: {
      projectText: stripManagedBlock(project.readText('.env.example') ?? ''),
      entries: stack.envExample,
    },
  };
}
