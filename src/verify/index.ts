/**
 * verify: builds and runs a generated stack on the Docker engine under a throwaway project
 * name, checks the guarantees, reports each with what was measured, and removes everything.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse as parseDotenv } from 'dotenv';
import { ExitCode, UserError } from '../errors.js';
import { planFromSavedAnswers } from '../generate.js';
import { SERVICE, type Plan } from '../plan/index.js';
import { explainBuild, explainService, formatExplanation, type Explanation } from './explain.js';
import { lastLines, RUNNING_STACK_CHECKS } from './guarantees.js';
import { freePort } from './measure.js';
import { ComposeProject } from './compose.js';
import { Engine } from './engine.js';

export interface VerifyCheck {
  guarantee: string;
  ok: boolean;
  /** What was measured. */
  detail: string;
  /** When it failed to come up: where, the output that shows why, and the likely fix. */
  explanation?: string[];
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
  // Variables the project requires but the env file leaves empty (secrets): a random throwaway value each.
  const environment = throwawayEnvironment(path.join(root, envFile), plan);
  for (const name of environment.filled) log(`${name} is not set in ${envFile}: this run uses a random value`);
  // compose.override.yaml holds the user's additions (and a lab's or CI's build settings): compose reads it by default.
  const files = ['compose.yaml', ...(existsSync(path.join(root, 'compose.override.yaml')) ? ['compose.override.yaml'] : [])];
  const project = new ComposeProject({
    dir: root,
    name: `verify-${plan.name}-${randomBytes(3).toString('hex')}`.slice(0, 60),
    files,
    envFile: environment.file,
    env: { [plan.app.hostPortVariable]: String(await freePort()) },
  });
  const checks: VerifyCheck[] = [];
  const record = (guarantee: string, ok: boolean, detail: string, explanation?: Explanation) => {
    const lines = explanation ? formatExplanation(explanation) : undefined;
    checks.push({ guarantee, ok, detail, ...(lines ? { explanation: lines } : {}) });
    log(`${ok ? 'ok  ' : 'FAIL'} ${guarantee}: ${detail}`);
    for (const line of lines ?? []) log(`     ${line}`);
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
        ciRun.code === 0 ? `docker compose run --rm migrate took ${seconds(ciRun.durationMs)}` : `docker compose run --rm migrate exited ${ciRun.code}`,
        ciRun.code === 0
          ? undefined
          : (explainBuild(ciRun.stderr) ?? explainService(`service ${SERVICE.migrate} exited ${ciRun.code}`, `${ciRun.stdout}\n${ciRun.stderr}`)),
      );
      if (ciRun.code !== 0) return done();
    }

    log(`building and starting ${project.name} (this builds the images)…`);
    const up = await project.up([], { timeoutMs: 15 * 60_000 });
    record(
      'the stack comes up healthy',
      up.code === 0,
      up.code === 0 ? `docker compose up --wait took ${seconds(up.durationMs)}` : lastLines(up.stderr, 1) || `exit ${up.code}`,
      up.code === 0 ? undefined : await explainUp(up.stderr, project, engine),
    );
    if (up.code !== 0) return done();

    for (const check of RUNNING_STACK_CHECKS.filter((candidate) => candidate.appliesTo(plan))) {
      const result = await check.run({ plan, project, engine });
      record(check.guarantee(plan), result.ok, result.detail);
    }
    return done();
  } finally {
    if (!options.keep) {
      await project.down();
      rmSync(path.dirname(environment.file), { recursive: true, force: true });
    } else {
      log(`left running: docker compose -p ${project.name} --env-file ${environment.file} down --volumes --rmi local`);
    }
  }

  function done(): VerifyResult {
    return { projectName: project.name, checks, ok: checks.every((check) => check.ok) };
  }
}

/** Why `up` failed: the build step, the one-shot that exited, or the service that never got healthy. */
async function explainUp(stderr: string, project: ComposeProject, engine: Engine): Promise<Explanation> {
  const build = explainBuild(stderr);
  if (build) return build;
  const exited = /service "([\w-]+)" didn't complete successfully: exit (\d+)/.exec(stderr);
  if (exited) return explainService(`service ${exited[1]} exited ${exited[2]}`, (await project.logs(exited[1]!)).stdout);
  const unhealthy = new RegExp(`container ${project.name}-([\\w-]+?)-\\d+ (is unhealthy|exited \\((\\d+)\\))`).exec(stderr);
  if (unhealthy) {
    const service = unhealthy[1]!;
    const [container] = await engine.serviceContainers(project.name, service);
    const health = container ? await engine.healthOutput(container.id) : [];
    return explainService(`service ${service} ${unhealthy[2]}`, (await project.logs(service)).stdout, health);
  }
  return { where: 'docker compose up', lines: lastLines(stderr, 8).split(' | ') };
}

/** The env file's text with a random value added for each required variable it leaves empty (verify and tests run throwaway stacks). */
export function withThrowawayValues(envText: string, plan: Plan): { text: string; filled: string[] } {
  const values = parseDotenv(envText);
  const filled = plan.app.passed.filter(({ name, required }) => required && !values[name]).map(({ name }) => name);
  return { text: `${envText.replace(/\n?$/, '\n')}${filled.map((name) => `${name}=${randomBytes(24).toString('hex')}\n`).join('')}`, filled };
}

/** A copy of the env file, in a folder of its own, with a random value for each required variable it leaves empty. */
function throwawayEnvironment(envFile: string, plan: Plan): { file: string; filled: string[] } {
  const { text, filled } = withThrowawayValues(existsSync(envFile) ? readFileSync(envFile, 'utf8') : '', plan);
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'cms-verify-')), '.env');
  writeFileSync(file, text, { mode: 0o600 });
  return { file, filled };
}
