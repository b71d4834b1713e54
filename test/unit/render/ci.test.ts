/**
 * The CI pipelines (--ci): which files each platform gets, the drift gate pinned to this version,
 * the migrate step only under the ci strategy (and before push and deploy), pull/merge requests
 * limited to the gate, the build and the test, and secrets referenced by name only.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { CI_FILES } from '../../../src/plan/ci.js';
import { rejectionOf } from '../../support/errors.js';
import { copyFixture, FIXTURES, REPO_ROOT, removeScratchCopies } from '../../support/fixtures.js';
import { planFor, renderedFor, type AnswerFlags } from '../../support/pipeline.js';

afterAll(removeScratchCopies);

const SPINE = path.join(FIXTURES, 'express-knex-postgres');
const VERSION = (JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string }).version;

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  if?: string;
  env?: Record<string, string>;
  with?: Record<string, unknown>;
}
interface Workflow {
  on: Record<string, unknown>;
  jobs: Record<string, { needs?: string; if?: string; environment?: string; steps: Step[] }>;
}
type GitlabJob = { script: string[]; rules: { if: string }[]; needs?: string[]; environment?: { name: string } };

async function github(flags: AnswerFlags = {}) {
  const rendered = await renderedFor(SPINE, { ci: 'github', ...flags });
  return { ...rendered, workflow: parseYaml(rendered.file(CI_FILES.github)) as Workflow, text: rendered.file(CI_FILES.github) };
}

async function gitlab(flags: AnswerFlags = {}, dir = SPINE) {
  const rendered = await renderedFor(dir, { ci: 'gitlab', ...flags });
  return { ...rendered, jobs: parseYaml(rendered.file(CI_FILES.gitlabJobs)) as Record<string, GitlabJob>, text: rendered.file(CI_FILES.gitlabJobs) };
}

const stepNames = (steps: Step[]) => steps.map((step) => step.name ?? step.uses);

// The first test pays for loading the pipeline on a busy machine.
describe('--ci', { timeout: 30_000 }, () => {
  it('is none by default: no pipeline files', async () => {
    const { plan, paths } = await renderedFor(SPINE);
    expect(plan.answers.ci).toBe('none');
    expect(plan.ci).toBeUndefined();
    expect(paths.filter((file) => file.includes('.github') || file.includes('gitlab') || file === CI_FILES.composeImages)).toEqual([]);
  });

  it('is detected from .github/ or .gitlab-ci.yml', async () => {
    const withGithub = copyFixture('express-knex-postgres');
    writeFileSync(path.join(withGithub, '.github'), '');
    const withWorkflows = copyFixture('express-knex-postgres');
    mkdirSync(path.join(withWorkflows, '.github/workflows'), { recursive: true });
    expect((await planFor(withWorkflows)).answers.ci).toBe('github');
    const withGitlab = copyFixture('express-knex-postgres');
    writeFileSync(path.join(withGitlab, '.gitlab-ci.yml'), 'test:\n  script: [npm test]\n');
    expect((await planFor(withGitlab)).answers.ci).toBe('gitlab');
    // .github is a file here, not the folder: not GitHub.
    expect((await planFor(withGithub)).answers.ci).toBe('none');
  });

  it("github: a deploy.yml of the project's own stays; the workflow goes beside it, and ours is kept as deploy.yml", async () => {
    const dir = copyFixture('express-knex-postgres');
    mkdirSync(path.join(dir, '.github/workflows'), { recursive: true });
    writeFileSync(path.join(dir, '.github/workflows/deploy.yml'), 'name: Deploy\non: push\njobs: {}\n');
    const beside = await renderedFor(dir, { ci: 'github' });
    expect(beside.paths).toContain(CI_FILES.githubBeside);
    expect(beside.paths).not.toContain(CI_FILES.github);
    expect(beside.file('.dockerignore')).toContain(`\n${CI_FILES.githubBeside}\n`);

    writeFileSync(path.join(dir, '.github/workflows/deploy.yml'), (await github()).text);
    expect((await renderedFor(dir, { ci: 'github' })).paths).toContain(CI_FILES.github);
  });

  it('github: the workflow and compose.ci.yaml, kept out of the build context', async () => {
    const { paths, file } = await github();
    expect(paths).toEqual(expect.arrayContaining([CI_FILES.github, CI_FILES.composeImages]));
    expect(file('.dockerignore')).toContain(`\n${CI_FILES.github}\n${CI_FILES.composeImages}\n`);
    expect(parseYaml(file(CI_FILES.composeImages))).toEqual({
      services: {
        migrate: { image: '${IMAGE:?set IMAGE to the image the pipeline built}-migrate' },
        app: { image: '${IMAGE:?set IMAGE to the image the pipeline built}' },
      },
    });
  });

  it('gitlab: an includable job set and a .gitlab-ci.yml that includes it', async () => {
    const { paths, file } = await gitlab();
    expect(paths).toEqual(expect.arrayContaining([CI_FILES.gitlabEntry, CI_FILES.gitlabJobs, CI_FILES.composeImages]));
    expect(parseYaml(file(CI_FILES.gitlabEntry))).toEqual({ include: [{ local: CI_FILES.gitlabJobs }] });
  });

  it("gitlab: never writes the project's own .gitlab-ci.yml, and says once how to include the jobs", async () => {
    const dir = copyFixture('express-knex-postgres');
    writeFileSync(path.join(dir, '.gitlab-ci.yml'), 'test:\n  script: [npm test]\n');
    const { paths, plan } = await gitlab({}, dir);
    expect(paths).not.toContain(CI_FILES.gitlabEntry);
    expect(paths).toContain(CI_FILES.gitlabJobs);
    expect(plan.warnings).toContainEqual(expect.stringContaining(`include: [{local: ${CI_FILES.gitlabJobs}}]`));

    writeFileSync(path.join(dir, '.gitlab-ci.yml'), `include:\n  - local: ${CI_FILES.gitlabJobs}\ntest:\n  script: [npm test]\n`);
    expect((await gitlab({}, dir)).plan.warnings.join('\n')).not.toContain('include:');
  });

  it('the drift gate runs the version of create-migrating-stack that generated the files', async () => {
    const { workflow } = await github();
    expect(workflow.jobs.check!.steps.map((step) => step.run).filter(Boolean)).toEqual([`npx --yes create-migrating-stack@${VERSION} --check\n`]);
    const { jobs } = await gitlab();
    expect(jobs['stack:drift-gate']!.script).toEqual([`npx --yes create-migrating-stack@${VERSION} --check`]);
  });

  it('github: pull requests run the gate, the build and the test; the default branch also deploys, in an environment', async () => {
    const { workflow } = await github();
    expect(Object.keys(workflow.on).sort()).toEqual(['pull_request', 'push']);
    expect(workflow.jobs.build!.needs).toBe('check');
    expect(workflow.jobs.build!.if).toBeUndefined();
    expect(workflow.jobs.deploy!.if).toBe("github.event_name == 'push' && github.ref_name == github.event.repository.default_branch");
    expect(workflow.jobs.deploy!.environment).toBe('production');
    const build = stepNames(workflow.jobs.build!.steps);
    expect(build.indexOf('Build the migrate target')).toBeLessThan(build.indexOf('Test the stack'));
    const buildSteps = workflow.jobs.build!.steps.filter((step) => step.uses?.startsWith('docker/build-push-action'));
    expect(buildSteps.map((step) => [step.with!.target, step.with!['cache-from']])).toEqual([
      ['migrate', 'type=gha,scope=migrate'],
      ['runtime', 'type=gha,scope=runtime'],
    ]);
  });

  it.each(['compose', 'entrypoint'])('%s strategy: the pipeline leaves migrations to the stack, and says so', async (strategy) => {
    const { workflow, text } = await github({ strategy });
    expect(stepNames(workflow.jobs.deploy!.steps)).not.toContain('Migrate');
    expect(text).toContain(`Migrations: left to the stack (the ${strategy} strategy)`);
    expect(text).not.toMatch(/secrets\.DATABASE_URL/);
    const { jobs, text: gitlabText } = await gitlab({ strategy });
    expect(jobs['stack:migrate']).toBeUndefined();
    expect(jobs['stack:deploy']!.needs).toEqual(['stack:build']);
    expect(gitlabText).toContain(`Migrations: left to the stack (the ${strategy} strategy)`);
  });

  it('ci strategy: back up and migrate from the built image, before push and deploy', async () => {
    const { workflow } = await github({ strategy: 'ci', backup: 'true' });
    const deploy = stepNames(workflow.jobs.deploy!.steps);
    const order = ['Load the images the build job built', 'Back up the database', 'Migrate', 'Push', 'Deploy with docker compose'].map((name) =>
      deploy.indexOf(name),
    );
    expect(order).toEqual([...order].sort((a, b) => a - b));
    expect(order).not.toContain(-1);
    const migrate = workflow.jobs.deploy!.steps.find((step) => step.name === 'Migrate')!;
    expect(migrate.env).toEqual({ DATABASE_URL: '${{ secrets.DATABASE_URL }}' });
    expect(migrate.run).toContain('docker run --rm --init --network "${MIGRATE_NETWORK:-host}" -e DATABASE_URL "$IMAGE-migrate"');

    const { jobs } = await gitlab({ strategy: 'ci', backup: 'true' });
    expect(jobs['stack:migrate']!.needs).toEqual(['stack:build']);
    expect(jobs['stack:migrate']!.rules).toEqual([{ if: '$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH' }]);
    expect(jobs['stack:deploy']!.needs).toEqual(['stack:build', 'stack:migrate']);
    expect(jobs['stack:migrate']!.script.join('\n')).toMatch(/docker-backup\.sh backup[\s\S]*-e DATABASE_URL "\$IMAGE-migrate"/);
    expect(jobs['stack:build']!.rules).toContainEqual({ if: '$CI_PIPELINE_SOURCE == "merge_request_event"' });
  });

  it('--swarm: the deploy is deploy-swarm.sh against DEPLOY_HOST', async () => {
    const { workflow } = await github({ swarm: 'true' });
    const deploy = workflow.jobs.deploy!.steps.at(-1)!;
    expect(deploy.name).toBe('Deploy with deploy-swarm.sh');
    expect(deploy.run).toContain('export DOCKER_HOST="$DEPLOY_HOST"');
    expect(deploy.run).toContain('./deploy-swarm.sh orders-api');
    expect(deploy.env).toMatchObject({ DB_PASSWORD: '${{ secrets.DB_PASSWORD }}' });
  });

  it('never holds a secret value: every secret is referenced by name, and passed to docker by name', async () => {
    for (const strategy of ['compose', 'ci']) {
      const { text, file } = await github({ strategy, backup: 'true' });
      const { text: gitlabText } = await gitlab({ strategy, backup: 'true' });
      // .env.example's local-development values (passwords) appear nowhere.
      const values = file('.env.example')
        .split('\n')
        .filter((line) => /^[A-Z_]+=./.test(line))
        .map((line) => line.slice(line.indexOf('=') + 1))
        .filter((value) => value.length > 4);
      for (const value of values) {
        expect(text).not.toContain(value);
        expect(gitlabText).not.toContain(value);
      }
      for (const pipeline of [text, gitlabText]) {
        expect(pipeline).not.toMatch(/-e [A-Z_]+=/);
        expect(pipeline).not.toMatch(/echo "?\$\{?(DATABASE_URL|PGPASSWORD|DEPLOY_SSH_KEY|DEPLOY_ENV_FILE)/);
        expect(pipeline).not.toMatch(/set -x/);
      }
      expect([...text.matchAll(/\$\{\{ secrets\.(\w+) \}\}/g)].every(([, name]) => /^[A-Z_]+$/.test(name!))).toBe(true);
    }
  });

  it('ci strategy needs a database server: a SQLite file is out of the pipeline’s reach', async () => {
    const error = await rejectionOf(planFor(path.join(FIXTURES, 'express-drizzle-sqlite'), { ci: 'github', strategy: 'ci' }));
    expect(error).toMatch(/--ci github with --strategy ci: .*SQLite/);
  });
});
