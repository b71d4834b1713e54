/**
 * The generated GitLab pipeline (--ci gitlab --strategy ci), its jobs run for real by
 * gitlab-ci-local with the shell executor on the lab engine: the drift gate fails on an edited
 * file; build, test, migrate and deploy pass, and the migrations are applied once, to the deploy
 * host's database; a migration that fails on that database's data stops the pipeline in the
 * migrate job, before the deploy job, and the previous version keeps serving.
 *
 * Stand-ins, here only: the jobs run in a shell (a pipeline file of the test includes the job set
 * and drops the docker:dind service, which needs Docker Hub); PUSH_IMAGES=false (no registry: the
 * deploy engine is the runner's) and BUILD_CACHE=none (no registry for the layer cache);
 * `npx create-migrating-stack@<version>` runs this checkout.
 */
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
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

const gitlabPackage = createRequire(import.meta.url).resolve('gitlab-ci-local/package.json');
const GITLAB_CI_LOCAL = path.join(path.dirname(gitlabPackage), (JSON.parse(readFileSync(gitlabPackage, 'utf8')) as { bin: string }).bin);
/** The test's own pipeline file: the generated job set, its jobs in a shell on this engine. */
const LAB_PIPELINE = '.gitlab-ci-lab.yml';

interface PipelineRun {
  code: number;
  output: string;
  durationMs: number;
  /** PASS / FAIL per job, from gitlab-ci-local's summary. */
  jobs: Record<string, 'PASS' | 'FAIL'>;
}

describe.skipIf(!inject('dockerLab'))('the generated GitLab pipeline, run by gitlab-ci-local', () => {
  let project: CiProject;
  let stateDir: string;
  const timings: string[] = [];

  /** gitlab-ci-local on the project's pipeline, as a push to the default branch, commit by commit. */
  async function pipeline(jobs: string[]): Promise<PipelineRun> {
    const commit = (await runCommand('git', ['rev-parse', '--short', 'HEAD'], { cwd: project.dir })).stdout.trim();
    const all: Record<string, string> = {
      IMAGE: `${project.imageRepository}:${commit}`,
      BUILD_CACHE: 'none',
      PUSH_IMAGES: 'false',
      DEPLOY_HOST: 'unix:///var/run/docker.sock',
      DEPLOY_ENV_FILE: project.envFile,
      MIGRATE_NETWORK: project.network,
      DATABASE_URL: project.databaseUrl,
    };
    const args = [
      GITLAB_CI_LOCAL,
      '--file',
      LAB_PIPELINE,
      // Its state (logs, artifacts) outside the project: what the drift gate reads is the checkout only.
      '--state-dir',
      path.relative(project.dir, stateDir),
      '--force-shell-executor',
      '--no-color',
      ...Object.entries(all).flatMap(([key, value]) => ['--variable', `${key}=${value}`]),
      ...jobs,
    ];
    const started = performance.now();
    return new Promise((resolve) => {
      const child = spawn(process.execPath, args, { cwd: project.dir, env: { ...process.env, PATH: project.path, FORCE_COLOR: '0' } });
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.on('close', (code) => {
        const summary = Object.fromEntries(
          [...output.matchAll(/^\s*(PASS|FAIL)\s+(stack:[\w-]+)/gm)].map(([, status, job]) => [job!, status as 'PASS' | 'FAIL']),
        );
        resolve({ code: code ?? 1, output, durationMs: performance.now() - started, jobs: summary });
      });
    });
  }

  beforeAll(async () => {
    project = await ciProject('gitlab', ['--strategy', 'ci']);
    stateDir = scratchDir('gitlab-ci-local');
    // The job set, its docker jobs without the dind service; the test stack on a free port (the deployed app has its own).
    writeFileSync(
      path.join(project.dir, LAB_PIPELINE),
      `include:\n  - local: ${CI_FILES.gitlabJobs}\n.stack-docker:\n  services: []\nstack:build:\n  variables:\n    APP_PORT: "${project.testPort}"\n`,
    );
    await commitAll(project.dir, 'the lab pipeline');
    await startDeployDatabase(project);
  });

  afterAll(async () => {
    await removeCiProject(project);
    removeScratchCopies();
    console.log(`gitlab pipeline timings: ${timings.join('; ')}`);
  });

  it('the drift gate fails on an edited generated file, with the diff', async () => {
    const original = read(project.dir, 'compose.yaml');
    writeFileSync(path.join(project.dir, 'compose.yaml'), original.replace('restart: unless-stopped', 'restart: always'));
    await commitAll(project.dir, 'an edit by hand');
    const run = await pipeline(['stack:drift-gate']);
    timings.push(`drift gate (failing) ${seconds(run.durationMs)}`);
    expect(run.jobs['stack:drift-gate'], run.output).toBe('FAIL');
    expect(run.output).toMatch(/^.*-\s+restart: always$/m);
    expect(run.output).toMatch(/^.*\+\s+restart: unless-stopped$/m);
    expect(run.output).toContain('compose.yaml');

    writeFileSync(path.join(project.dir, 'compose.yaml'), original);
    await commitAll(project.dir, 'the edit undone');
  });

  it('the whole pipeline passes: the migrations are applied once, to the deploy host’s database, before the deploy', async () => {
    const run = await pipeline([]);
    timings.push(`whole pipeline ${seconds(run.durationMs)}`);
    expect(run.jobs, run.output.slice(-6000)).toEqual({ 'stack:drift-gate': 'PASS', 'stack:build': 'PASS', 'stack:migrate': 'PASS', 'stack:deploy': 'PASS' });
    // The pipeline's one migration run on the target: batch 1, both migrations, once each.
    expect(await query(project, 'select count(*), count(distinct name), max(batch) from knex_migrations')).toBe('2|2|1');
    // The migrate job ran the image the build job built, with the URL passed by name only.
    expect(run.output).toMatch(/stack:migrate\s+\$ docker load -i images\.tar/);
    expect(run.output).not.toContain(project.databaseUrl);
    expect(run.output).toMatch(/Batch 1 run: 2 migrations/);
    // The deployed app serves, from the commit's image.
    const { stdout } = await deployCompose(project, 'ps', '--format', '{{.Service}} {{.Image}} {{.State}}');
    expect(stdout).toMatch(new RegExp(`^app ${project.imageRepository}:\\w+ running$`, 'm'));
    expect((await httpGet(`http://127.0.0.1:${project.deployPort}/health`)).status).toBe(200);
  });

  it('a migration that fails on the deploy host’s data stops the pipeline in the migrate job, before the deploy job', async () => {
    const before = (await deployCompose(project, 'ps', '--format', '{{.Service}} {{.Image}}', 'app')).stdout.trim();
    await query(project, "insert into customers (email, name) values ('ada@example.com', 'Ada')");
    addMigrationFailingOnData(project.dir);
    await commitAll(project.dir, 'a migration that fails on data');

    const run = await pipeline([]);
    timings.push(`pipeline with a failing migration ${seconds(run.durationMs)}`);
    // The test stack's database is empty: there the migration passes; on the deploy host it can't.
    expect(run.jobs, run.output.slice(-6000)).toMatchObject({ 'stack:drift-gate': 'PASS', 'stack:build': 'PASS', 'stack:migrate': 'FAIL' });
    expect(run.jobs['stack:deploy']).toBeUndefined();
    expect(run.output).toMatch(/column "tier" of relation "customers" contains null values/);
    expect(run.output).not.toMatch(/stack:deploy\s+starting/);
    expect(await query(project, "select count(*) from knex_migrations where name like '%customers_tier%'")).toBe('0');
    // The previous version keeps serving.
    expect((await deployCompose(project, 'ps', '--format', '{{.Service}} {{.Image}}', 'app')).stdout.trim()).toBe(before);
    expect((await httpGet(`http://127.0.0.1:${project.deployPort}/health`)).status).toBe(200);
    const images = await runCommand('docker', ['image', 'ls', '--format', '{{.Tag}}', project.imageRepository]);
    expect(images.stdout.trim().split('\n').length).toBeGreaterThanOrEqual(2);
  });
});
