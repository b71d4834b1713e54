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
import { appliedMigrations, freePort, httpGet, measureStop, timeline } from './checks.js';
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

    log(`building and starting ${project.name} (this builds the images)…`);
    const up = await project.up([], { timeoutMs: 15 * 60_000 });
    record('the stack comes up healthy', up.code === 0, up.code === 0 ? `docker compose up --wait took ${seconds(up.durationMs)}` : lastLines(up.stderr));
    if (up.code !== 0) return done();

    const first = await timeline(engine, project);
    const migrate = first.migrate[0];
    const app = first.app[0];
    const ordered = Boolean(migrate?.finishedAt && app?.startedAt && migrate.exitCode === 0 && migrate.finishedAt <= app.startedAt);
    record(
      'migrations run before the app starts',
      ordered,
      migrate && app?.startedAt && migrate.finishedAt
        ? `migrate exited ${migrate.exitCode} after ${seconds(migrate.finishedAt.getTime() - migrate.startedAt!.getTime())}; app started ${seconds(app.startedAt.getTime() - migrate.finishedAt.getTime())} later`
        : 'migrate or app container missing',
    );

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
      const published = Object.values(info.NetworkSettings.Ports ?? {}).flat().filter(Boolean);
      record('the database is not published on the host', published.length === 0, published.length === 0 ? 'no published ports' : `published: ${JSON.stringify(published)}`);
    }

    if (plan.database.query) {
      const before = await appliedMigrations(project, plan);
      const again = await project.up([], { timeoutMs: 5 * 60_000 });
      const after = await appliedMigrations(project, plan);
      const same = again.code === 0 && JSON.stringify(before) === JSON.stringify(after);
      record('a second `up` applies nothing again', same, `${before.length} migrations recorded before, ${after.length} after`);
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
