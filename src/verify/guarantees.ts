/**
 * The guarantees of a running generated stack, each a check: which plans it applies to, and how
 * it is measured on the engine. `verify` runs them in this order after `up`, and the end-to-end
 * tests run the same list, so that what is proven in CI is what users are told.
 */
import { SERVICE, type Plan } from '../plan/index.js';
import type { ComposeProject } from './compose.js';
import type { Engine } from './engine.js';
import { appliedMigrations, httpGet, measureStop, startMigratorsTogether, timeline } from './measure.js';

/** A generated stack that is up: what a check measures. */
export interface RunningStack {
  plan: Plan;
  project: ComposeProject;
  engine: Engine;
}

export interface CheckResult {
  ok: boolean;
  /** What was measured. */
  detail: string;
}

export interface Check {
  guarantee: (plan: Plan) => string;
  appliesTo: (plan: Plan) => boolean;
  run: (stack: RunningStack) => Promise<CheckResult>;
  /** Changes the stack (stops a service): runs last, and the tests run it on a stack of its own. */
  disruptive?: true;
}

/** Migrators started at the same instant by the concurrency check. */
export const CONCURRENT_MIGRATORS = 5;

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** The last lines of a command's output, on one line: what to show when a step fails. */
export function lastLines(text: string, count = 5): string {
  return text.trim().split('\n').slice(-count).join(' | ');
}

const migrateBeforeApp: Check = {
  guarantee: () => 'migrations run before the app starts',
  appliesTo: (plan) => plan.strategy === 'compose',
  async run({ engine, project }) {
    const { migrate: [migrate] = [], app: [app] = [] } = await timeline(engine, project);
    if (!migrate?.finishedAt || !migrate.startedAt || !app?.startedAt) return { ok: false, detail: 'migrate or app container missing, or never started' };
    return {
      ok: migrate.exitCode === 0 && migrate.finishedAt <= app.startedAt,
      detail: `migrate exited ${migrate.exitCode} after ${seconds(migrate.finishedAt.getTime() - migrate.startedAt.getTime())}; app started ${seconds(app.startedAt.getTime() - migrate.finishedAt.getTime())} later`,
    };
  },
};

const entrypointMigrates: Check = {
  guarantee: () => 'the app container migrated before starting the app',
  appliesTo: (plan) => plan.strategy === 'entrypoint',
  async run({ project }) {
    const logs = (await project.logs(SERVICE.app)).stdout;
    const migrated = /applying pending migrations before the app starts/.test(logs) && !/migrations failed/.test(logs);
    return { ok: migrated, detail: migrated ? "docker-entrypoint.sh ran the migrator, then exec'd the app" : lastLines(logs) };
  },
};

const backupBeforeMigrating: Check = {
  guarantee: () => 'a backup was taken before migrating',
  appliesTo: (plan) => plan.backup !== undefined,
  async run({ project }) {
    const listed = await project.run(['--profile', SERVICE.migrate, 'run', '--rm', '-T', SERVICE.backup, 'list']);
    const backups = listed.stdout.trim().split('\n').filter(Boolean);
    return {
      ok: listed.code === 0 && backups.length > 0,
      detail: listed.code === 0 ? `${backups.length} in the backups volume, newest ${backups.at(-1) ?? 'none'}` : lastLines(listed.stderr),
    };
  },
};

const healthAnswers: Check = {
  guarantee: (plan) => (plan.app.healthPath === null ? 'the app answers HTTP on / (it has no health route)' : `${plan.app.healthPath} answers 200`),
  appliesTo: () => true,
  async run({ plan, engine, project }) {
    const [app] = await engine.serviceContainers(project.name, SERVICE.app);
    const port = app && (await engine.publishedPort(app.id, plan.app.port));
    if (!port) return { ok: false, detail: `no published port for ${plan.app.port}` };
    const health = await httpGet(`http://127.0.0.1:${port}${plan.app.healthPath ?? '/'}`);
    const ok = plan.app.healthPath === null ? health.status > 0 && health.status < 500 : health.status === 200;
    return { ok, detail: `HTTP ${health.status} on port ${port}` };
  },
};

const nonRoot: Check = {
  guarantee: () => 'the app runs as a non-root user',
  appliesTo: () => true,
  async run({ engine, project }) {
    const [app] = await engine.serviceContainers(project.name, SERVICE.app);
    if (!app) return { ok: false, detail: 'no app container' };
    const user = (await engine.imageInfo(app.image)).user || 'root';
    return { ok: user !== 'root' && user !== '0', detail: `USER ${user}` };
  },
};

const privateDatabase: Check = {
  guarantee: () => 'the database is not published on the host',
  appliesTo: (plan) => plan.database.kind === 'server',
  async run({ engine, project }) {
    const [database] = await engine.serviceContainers(project.name, SERVICE.database);
    if (!database) return { ok: false, detail: 'no database container' };
    const published = await engine.publishedBindings(database.id);
    return { ok: published.length === 0, detail: published.length === 0 ? 'no published ports' : `published: ${published.join(', ')}` };
  },
};

const idempotentUp: Check = {
  guarantee: () => 'a second `up` applies nothing again',
  appliesTo: () => true,
  async run({ plan, project }) {
    const before = await appliedMigrations(project, plan);
    const again = await project.up([], { timeoutMs: 5 * 60_000 });
    const after = await appliedMigrations(project, plan);
    const same = again.code === 0 && JSON.stringify(before) === JSON.stringify(after);
    return { ok: same, detail: again.code === 0 ? `${before.length} migrations recorded before, ${after.length} after` : lastLines(again.stderr) };
  },
};

const concurrentMigrators: Check = {
  guarantee: () => `${CONCURRENT_MIGRATORS} migrators started at once all succeed and apply nothing twice`,
  appliesTo: () => true,
  async run({ plan, engine, project }) {
    const before = await appliedMigrations(project, plan);
    const build = await project.run(['--profile', SERVICE.migrate, 'build', SERVICE.migrate], { timeoutMs: 15 * 60_000 });
    if (build.code !== 0) return { ok: false, detail: lastLines(build.stderr) };
    const runs = await startMigratorsTogether(engine, project, CONCURRENT_MIGRATORS);
    const after = await appliedMigrations(project, plan);
    const codes = runs.map((run) => run.exitCode);
    return {
      ok: codes.every((code) => code === 0) && JSON.stringify(before) === JSON.stringify(after),
      detail: `exit codes ${codes.join(' ')}; ${after.length} migrations recorded`,
    };
  },
};

const promptStop: Check = {
  guarantee: () => '`docker stop` is prompt',
  appliesTo: () => true,
  disruptive: true,
  async run({ engine, project }) {
    const stop = await measureStop(engine, project, SERVICE.app);
    return {
      ok: !stop.killed && stop.durationMs < 5000,
      detail: `app stopped in ${seconds(stop.durationMs)} with exit code ${stop.exitCode}${stop.killed ? ' (SIGKILLed after the grace period)' : ''}`,
    };
  },
};

/** Every check of a running stack, in the order they run. */
export const RUNNING_STACK_CHECKS: readonly Check[] = [
  migrateBeforeApp,
  entrypointMigrates,
  backupBeforeMigrating,
  healthAnswers,
  nonRoot,
  privateDatabase,
  idempotentUp,
  concurrentMigrators,
  promptStop,
];
