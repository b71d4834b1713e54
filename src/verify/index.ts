/**
 * verify: builds and runs a generated stack on the Docker engine under a throwaway project
 * name, checks the guarantees, reports each with what was measured, and removes everything.
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { ExitCode, UserError } from '../errors.js';
import { planFromSavedAnswers } from '../generate.js';
import { SERVICE } from '../plan/index.js';
import { appliedMigrations, freePort, httpGet, measureStop, startMigratorsTogether, timeline } from './checks.js';
import { ComposeProject } from './compose.js';
import { Engine } from './engine.js';

export interface VerifyCheck {
  guarantee: string;
  ok: boolean;
  /** What was measured. */
  detail: string;
}

export interface VerifyOptions {
  dir: string;
  /** Leave the stack running afterwards (for a look around). */
  keep?: boolean;
  /** Progress lines. */
  log?: (line: string) => void;
  engine?: Engine;
}

export interface VerifyResult {
  projectName: string;
  checks: VerifyCheck[];
  ok: boolean;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const CONCURRENT_MIGRATORS = 5;

export async function verify(options: VerifyOptions): Promise<VerifyResult> {
  const root = path.resolve(options.dir);
  const log = options.log ?? (() => {});
  const plan = await planFromSavedAnswers(root);
  const engine = options.engine ?? new Engine();
  if (!(await engine.available())) {
    throw new UserError('no Docker engine answers (DOCKER_HOST or /var/run/docker.sock): start Docker and run verify again', ExitCode.badInput);
  }
  const envFile = existsSync(path.join(root, '.env')) ? '.env' : '.env.example';
  const project = new ComposeProject({
    dir: root,
    name: `verify-${plan.name}-${randomBytes(3).toString('hex')}`.slice(0, 60),
    envFile: path.join(root, envFile),
    env: { APP_PORT: String(await freePort()) },
  });
  const checks: VerifyCheck[] = [];
  const record = (guarantee: string, ok: boolean, detail: string) => {
    checks.push({ guarantee, ok, detail });
    log(`${ok ? 'ok  ' : 'FAIL'} ${guarantee}: ${detail}`);
  };

  try {
    const config = await project.validate();
    record('compose.yaml is valid', config.code === 0, config.code === 0 ? `docker compose config (env from ${envFile})` : config.stderr.trim());
    if (config.code !== 0) return done();

    if (plan.strategy === 'ci') {
      // What the pipeline does before deploying: migrate from the image.
      log(`building the migrate image and migrating, as CI would…`);
      const ciRun = await project.run(['--profile', SERVICE.migrate, 'run', '--rm', SERVICE.migrate], { timeoutMs: 15 * 60_000 });
      record(
        'the CI migration step succeeds',
        ciRun.code === 0,
        ciRun.code === 0 ? `docker compose run --rm migrate took ${seconds(ciRun.durationMs)}` : lastLines(ciRun.stderr),
      );
      if (ciRun.code !== 0) return done();
    }

    log(`building and starting ${project.name} (this builds the images)…`);
    const up = await project.up([], { timeoutMs: 15 * 60_000 });
    record('the stack comes up healthy', up.code === 0, up.code === 0 ? `docker compose up --wait took ${seconds(up.durationMs)}` : lastLines(up.stderr));
    if (up.code !== 0) return done();

    const first = await timeline(engine, project);
    const app = first.app[0];
    if (plan.strategy === 'compose') {
      const migrate = first.migrate[0];
      const ordered = Boolean(migrate?.finishedAt && app?.startedAt && migrate.exitCode === 0 && migrate.finishedAt <= app.startedAt);
      record(
        'migrations run before the app starts',
        ordered,
        migrate && app?.startedAt && migrate.finishedAt
          ? `migrate exited ${migrate.exitCode} after ${seconds(migrate.finishedAt.getTime() - migrate.startedAt!.getTime())}; app started ${seconds(app.startedAt.getTime() - migrate.finishedAt.getTime())} later`
          : 'migrate or app container missing',
      );
    } else if (plan.strategy === 'entrypoint') {
      const logs = (await project.logs(SERVICE.app)).stdout;
      record(
        'the app container migrated before starting the app',
        /applying pending migrations before the app starts/.test(logs) && !/migrations failed/.test(logs),
        "docker-entrypoint.sh ran the migrator, then exec'd the app",
      );
    }

    if (plan.backup) {
      const listed = await project.run(['--profile', SERVICE.migrate, 'run', '--rm', '-T', SERVICE.backup, 'list']);
      const backups = listed.stdout.trim().split('\n').filter(Boolean);
      record(
        'a backup was taken before migrating',
        listed.code === 0 && backups.length > 0,
        listed.code === 0 ? `${backups.length} in the backups volume, newest ${backups.at(-1) ?? 'none'}` : lastLines(listed.stderr),
      );
    }

    if (app) {
      const port = await engine.publishedPort(app.id, plan.app.port);
      const health = await httpGet(`http://127.0.0.1:${port}${plan.app.healthPath}`);
      record(`${plan.app.healthPath} answers 200`, health.status === 200, `HTTP ${health.status} on port ${port}`);
      const image = await engine.imageInfo(app.image);
      const user = image.user || 'root';
      record('the app runs as a non-root user', user !== 'root' && user !== '0', `USER ${user}`);
    }
    const database = first.database[0];
    if (database) {
      const info = await engine.docker.getContainer(database.id).inspect();
      const published = Object.values(info.NetworkSettings.Ports ?? {})
        .flat()
        .filter(Boolean);
      record(
        'the database is not published on the host',
        published.length === 0,
        published.length === 0 ? 'no published ports' : `published: ${JSON.stringify(published)}`,
      );
    }

    {
      const before = await appliedMigrations(project, plan);
      const again = await project.up([], { timeoutMs: 5 * 60_000 });
      const after = await appliedMigrations(project, plan);
      const same = again.code === 0 && JSON.stringify(before) === JSON.stringify(after);
      record('a second `up` applies nothing again', same, `${before.length} migrations recorded before, ${after.length} after`);
    }

    {
      const before = await appliedMigrations(project, plan);
      const build = await project.run(['--profile', SERVICE.migrate, 'build', SERVICE.migrate], { timeoutMs: 15 * 60_000 });
      const runs = build.code === 0 ? await startMigratorsTogether(engine, project, CONCURRENT_MIGRATORS) : [];
      const after = await appliedMigrations(project, plan);
      const codes = runs.map((run) => run.exitCode);
      record(
        `${CONCURRENT_MIGRATORS} migrators started at once all succeed and apply nothing twice`,
        build.code === 0 && codes.every((code) => code === 0) && JSON.stringify(before) === JSON.stringify(after),
        build.code === 0 ? `exit codes ${codes.join(' ')}; ${after.length} migrations recorded` : lastLines(build.stderr),
      );
    }

    const stop = await measureStop(engine, project, SERVICE.app);
    record(
      '`docker stop` is prompt',
      !stop.killed && stop.durationMs < 5000,
      `app stopped in ${seconds(stop.durationMs)} with exit code ${stop.exitCode}${stop.killed ? ' (SIGKILLed after the grace period)' : ''}`,
    );
    return done();
  } finally {
    if (!options.keep) await project.down();
    else log(`left running: docker compose -p ${project.name} down --volumes --rmi local`);
  }

  function done(): VerifyResult {
    return { projectName: project.name, checks, ok: checks.every((check) => check.ok) };
  }
}

function lastLines(text: string, count = 5): string {
  return text.trim().split('\n').slice(-count).join(' | ');
}
