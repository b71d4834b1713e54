/**
 * The generated GitHub workflow (--ci github --strategy ci), its jobs run in order on the lab
 * engine: each `run:` step in bash as GitHub runs it (`bash --noprofile --norc -eo pipefail`), with
 * the env, `if:` conditions and `${{ }}` values taken from the workflow file and evaluated by
 * GitHub's own expression library, and $GITHUB_ENV carried between steps. Same assertions as the
 * GitLab pipeline: the drift gate fails on an edited file; migrate applies once, to the deploy
 * host's database; a migration that fails on its data stops the deploy job before push and deploy.
 *
 * Stand-ins, here only: `uses:` steps are done by their shell equivalents (checkout: the project
 * directory is the workspace; setup-node, setup-buildx: nothing; build-push-action: `docker build`
 * with its target and tags, without the GHA cache; upload/download-artifact: a folder; login: not
 * reached with PUSH_IMAGES=false, as there is no registry); `npx create-migrating-stack@<version>`
 * runs this checkout; the build job gets APP_PORT (a free port) for its test stack.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Evaluator, Lexer, Parser, data } from '@actions/expressions';
import { convertWorkflowTemplate, NoOperationTraceWriter, parseWorkflow } from '@actions/workflow-parser';
import { parse as parseYaml } from 'yaml';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { CI_FILES } from '../../src/plan/ci.js';
import { runCommand } from '../../src/verify/compose.js';
import { httpGet } from '../../src/verify/measure.js';
import { read, removeScratchCopies, scratchDir } from '../support/fixtures.js';
import {
  addMigrationFailingOnData,
  ciProject,
  commitAll,
  deployCompose,
  query,
  removeCiProject,
  seconds,
  startDeployDatabase,
  type CiProject,
} from './support/ci.js';

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  if?: string;
  env?: Record<string, string>;
  with?: Record<string, string | number | boolean>;
}
interface Job {
  needs?: string;
  if?: string;
  env?: Record<string, string>;
  steps: Step[];
}
interface StepResult {
  name: string;
  outcome: 'success' | 'failure' | 'skipped';
  output: string;
}
interface JobResult {
  outcome: 'success' | 'failure' | 'skipped';
  steps: StepResult[];
  durationMs: number;
}

const STATUS_FUNCTIONS = ['always', 'success', 'failure', 'cancelled'];

describe.skipIf(!inject('dockerLab'))('the generated GitHub workflow, its steps run in order', () => {
  let project: CiProject;
  let artifacts: string;
  const timings: string[] = [];
  const secrets: Record<string, string> = {};
  const vars: Record<string, string> = {};

  /** Evaluates a GitHub expression (without ${{ }}) against the contexts. */
  function evaluate(source: string, contexts: Record<string, unknown>, failed: boolean): data.ExpressionData {
    const functions = new Map(
      STATUS_FUNCTIONS.map((name) => [
        name,
        {
          name,
          minArgs: 0,
          maxArgs: 0,
          call: () => new data.BooleanData(name === 'always' || (name === 'success' && !failed) || (name === 'failure' && failed)),
        },
      ]),
    );
    const lexed = new Lexer(source).lex();
    const expression = new Parser(lexed.tokens, Object.keys(contexts), [...functions.values()]).parse();
    return new Evaluator(expression, JSON.parse(JSON.stringify(contexts), data.reviver) as data.Dictionary, functions).evaluate();
  }

  /** `if:` as GitHub decides it: success() unless the condition names a status function. */
  function condition(source: string | undefined, contexts: Record<string, unknown>, failed: boolean): boolean {
    const text = source ?? 'success()';
    const withStatus = STATUS_FUNCTIONS.some((name) => text.includes(`${name}(`)) ? text : `success() && (${text})`;
    return evaluate(`(${withStatus}) && 'yes' || 'no'`, contexts, failed).coerceString() === 'yes';
  }

  /** A value with ${{ }} parts replaced. */
  function interpolate(value: unknown, contexts: Record<string, unknown>): string {
    return String(value).replace(/\$\{\{(.*?)\}\}/g, (_, source: string) => evaluate(source.trim(), contexts, false).coerceString());
  }

  async function runStep(
    step: Step,
    env: Record<string, string>,
    contexts: Record<string, unknown>,
    githubEnv: string,
  ): Promise<{ ok: boolean; output: string }> {
    const inputs = Object.fromEntries(Object.entries(step.with ?? {}).map(([key, value]) => [key, interpolate(value, contexts)]));
    if (step.run !== undefined) {
      const script = path.join(scratchDir('step'), 'step.sh');
      writeFileSync(script, step.run);
      const result = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', script], {
        cwd: project.dir,
        env: { ...process.env, PATH: project.path, ...env },
        encoding: 'utf8',
        timeout: 10 * 60_000,
        maxBuffer: 64 * 1024 * 1024,
      });
      return { ok: result.status === 0, output: `${result.stdout}${result.stderr}` };
    }
    const action = step.uses!.replace(/@.*$/, '');
    switch (action) {
      case 'actions/checkout':
      case 'actions/setup-node':
      case 'docker/setup-buildx-action':
        return { ok: true, output: '' };
      case 'docker/build-push-action': {
        expect(inputs.load).toBe('true');
        const built = await runCommand('docker', ['build', '--target', inputs.target!, '-t', inputs.tags!, inputs.context!], {
          cwd: project.dir,
          timeoutMs: 10 * 60_000,
        });
        return { ok: built.code === 0, output: built.stderr };
      }
      case 'actions/upload-artifact': {
        const source = path.join(project.dir, inputs.path!);
        if (existsSync(source)) cpSync(source, path.join(artifacts, inputs.name!, inputs.path!), { recursive: true });
        return { ok: true, output: '' };
      }
      case 'actions/download-artifact':
        cpSync(path.join(artifacts, inputs.name!), project.dir, { recursive: true });
        return { ok: true, output: '' };
      default:
        throw new Error(`no stand-in for ${step.uses} (${githubEnv})`);
    }
  }

  /** One job of the workflow, its steps in order, on the workflow file as committed. */
  async function runJob(id: string, extraEnv: Record<string, string> = {}): Promise<JobResult> {
    const started = performance.now();
    const text = read(project.dir, CI_FILES.github);
    // GitHub's own parser accepts the file; the steps are then read from it as written.
    const parsed = parseWorkflow({ name: CI_FILES.github, content: text }, new NoOperationTraceWriter());
    expect(parsed.context.errors.getErrors()).toEqual([]);
    expect((await convertWorkflowTemplate(parsed.context, parsed.value!)).jobs.map((job) => job.id.value)).toContain(id);
    const job = (parseYaml(text) as { jobs: Record<string, Job> }).jobs[id]!;

    const sha = (await runCommand('git', ['rev-parse', 'HEAD'], { cwd: project.dir })).stdout.trim();
    const runnerTemp = scratchDir('runner-temp');
    const githubEnv = path.join(runnerTemp, 'github_env');
    writeFileSync(githubEnv, '');
    const github = {
      event_name: 'push',
      ref_name: 'main',
      event: { repository: { default_branch: 'main' } },
      repository: `Lab/${project.name.toUpperCase()}`,
      sha,
      actor: 'ci-test',
    };
    const base = { GITHUB_ENV: githubEnv, GITHUB_REPOSITORY: github.repository, GITHUB_SHA: sha, RUNNER_TEMP: runnerTemp, CI: 'true', ...extraEnv };
    const contexts = (env: Record<string, string>) => ({ github, env, secrets, vars, runner: { temp: runnerTemp } });
    if (!condition(job.if, contexts({}), false)) return { outcome: 'skipped', steps: [], durationMs: 0 };

    let env: Record<string, string> = { ...base };
    env = { ...env, ...Object.fromEntries(Object.entries(job.env ?? {}).map(([key, value]) => [key, interpolate(value, contexts(env))])) };
    let failed = false;
    const steps: StepResult[] = [];
    for (const step of job.steps) {
      const name = step.name ?? step.uses!;
      if (!condition(step.if, contexts(env), failed)) {
        steps.push({ name, outcome: 'skipped', output: '' });
        continue;
      }
      const stepEnv = { ...env, ...Object.fromEntries(Object.entries(step.env ?? {}).map(([key, value]) => [key, interpolate(value, contexts(env))])) };
      const { ok, output } = await runStep(step, stepEnv, contexts(env), githubEnv);
      steps.push({ name, outcome: ok ? 'success' : 'failure', output });
      if (!ok) failed = true;
      // $GITHUB_ENV: what a step sets reaches the later steps.
      for (const line of readFileSync(githubEnv, 'utf8').split('\n').filter(Boolean)) {
        const at = line.indexOf('=');
        env[line.slice(0, at)] = line.slice(at + 1);
      }
    }
    return { outcome: failed ? 'failure' : 'success', steps, durationMs: performance.now() - started };
  }

  const outcomes = (job: JobResult) => Object.fromEntries(job.steps.map((step) => [step.name, step.outcome]));
  const log = (job: JobResult) =>
    job.steps
      .map((step) => `${step.outcome} ${step.name}\n${step.output}`)
      .join('\n')
      .slice(-8000);

  beforeAll(async () => {
    project = await ciProject('github', ['--strategy', 'ci']);
    artifacts = scratchDir('artifacts');
    mkdirSync(artifacts, { recursive: true });
    await startDeployDatabase(project);
    Object.assign(secrets, { DATABASE_URL: project.databaseUrl, DEPLOY_ENV_FILE: readFileSync(project.envFile, 'utf8'), GITHUB_TOKEN: 'unused' });
    Object.assign(vars, { DEPLOY_HOST: 'unix:///var/run/docker.sock', MIGRATE_NETWORK: project.network, PUSH_IMAGES: 'false' });
  });

  afterAll(async () => {
    await removeCiProject(project);
    for (const file of ['images.tar']) rmSync(path.join(project?.dir ?? '/nonexistent', file), { force: true });
    removeScratchCopies();
    console.log(`github workflow timings: ${timings.join('; ')}`);
  });

  it('the drift gate fails on an edited generated file, with the diff', async () => {
    const original = read(project.dir, 'compose.yaml');
    writeFileSync(path.join(project.dir, 'compose.yaml'), original.replace('restart: unless-stopped', 'restart: always'));
    await commitAll(project.dir, 'an edit by hand');
    const check = await runJob('check');
    timings.push(`drift gate (failing) ${seconds(check.durationMs)}`);
    expect(check.outcome).toBe('failure');
    const gate = check.steps.find((step) => step.name === 'Drift gate')!;
    expect(gate.output).toMatch(/^-\s+restart: always$/m);
    expect(gate.output).toMatch(/^\+\s+restart: unless-stopped$/m);

    writeFileSync(path.join(project.dir, 'compose.yaml'), original);
    await commitAll(project.dir, 'the edit undone');
  });

  it('check, build and deploy pass: the migrations are applied once, to the deploy host’s database, before the deploy', async () => {
    const check = await runJob('check');
    expect(check.outcome, log(check)).toBe('success');
    const build = await runJob('build', { APP_PORT: String(project.testPort) });
    expect(build.outcome, log(build)).toBe('success');
    expect(outcomes(build)).toMatchObject({ 'Test the stack': 'success', 'Save the images for the deploy job': 'success' });
    const deploy = await runJob('deploy');
    timings.push(`check ${seconds(check.durationMs)}, build and test ${seconds(build.durationMs)}, deploy ${seconds(deploy.durationMs)}`);
    expect(deploy.outcome, log(deploy)).toBe('success');
    expect(outcomes(deploy)).toMatchObject({
      Migrate: 'success',
      'docker/login-action@v3': 'skipped',
      Push: 'skipped',
      'Deploy with docker compose': 'success',
    });

    expect(await query(project, 'select count(*), count(distinct name), max(batch) from knex_migrations')).toBe('2|2|1');
    const migrate = deploy.steps.find((step) => step.name === 'Migrate')!;
    expect(migrate.output).toMatch(/Batch 1 run: 2 migrations/);
    for (const step of [...build.steps, ...deploy.steps]) expect(step.output).not.toContain(project.databaseUrl);
    const { stdout } = await deployCompose(project, 'ps', '--format', '{{.Service}} {{.Image}} {{.State}}');
    expect(stdout).toMatch(new RegExp(`^app ${project.imageRepository}:[0-9a-f]{40} running$`, 'm'));
    expect((await httpGet(`http://127.0.0.1:${project.deployPort}/health`)).status).toBe(200);
  });

  it('a migration that fails on the deploy host’s data fails the Migrate step: nothing is pushed or deployed', async () => {
    const before = (await deployCompose(project, 'ps', '--format', '{{.Service}} {{.Image}}', 'app')).stdout.trim();
    await query(project, "insert into customers (email, name) values ('ada@example.com', 'Ada')");
    addMigrationFailingOnData(project.dir);
    await commitAll(project.dir, 'a migration that fails on data');

    expect((await runJob('check')).outcome).toBe('success');
    const build = await runJob('build', { APP_PORT: String(project.testPort) });
    expect(build.outcome, log(build)).toBe('success');
    const deploy = await runJob('deploy');
    timings.push(`build and test ${seconds(build.durationMs)}, deploy with a failing migration ${seconds(deploy.durationMs)}`);
    expect(deploy.outcome).toBe('failure');
    expect(outcomes(deploy)).toMatchObject({ Migrate: 'failure', Push: 'skipped', 'Deploy with docker compose': 'skipped' });
    expect(deploy.steps.find((step) => step.name === 'Migrate')!.output).toMatch(/column "tier" of relation "customers" contains null values/);
    expect(await query(project, "select count(*) from knex_migrations where name like '%customers_tier%'")).toBe('0');
    expect((await deployCompose(project, 'ps', '--format', '{{.Service}} {{.Image}}', 'app')).stdout.trim()).toBe(before);
    expect((await httpGet(`http://127.0.0.1:${project.deployPort}/health`)).status).toBe(200);
  });
});
