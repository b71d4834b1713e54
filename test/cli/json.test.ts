/**
 * --json: one JSON document on stdout for CI annotations (README, "Machine-readable output"), for
 * --check, --dry-run, a run that writes, verify, and the errors that stop a run.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { JSON_REPORT_VERSION, verifyJson, type JsonReport } from '../../src/cli/json.js';
import { ANSWERS_FILE } from '../../src/plan/saved-answers.js';
import { runCli } from '../support/cli.js';
import { copyFixture, read, REPO_ROOT, removeScratchCopies, scratchDir } from '../support/fixtures.js';

afterAll(removeScratchCopies);

const VERSION = (JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string }).version;

async function json(args: string[]): Promise<{ code: number; report: JsonReport; stderr: string }> {
  const result = await runCli([...args, '--json']);
  return { code: result.code, report: JSON.parse(result.stdout) as JsonReport, stderr: result.stderr };
}

describe('--json', () => {
  it('--dry-run: every file with its status, nothing written', async () => {
    const dir = copyFixture('express-knex-postgres');
    const { code, report } = await json([dir, '--yes', '--dry-run', '--ci', 'github']);
    expect(code).toBe(0);
    expect(report).toMatchObject({
      reportVersion: JSON_REPORT_VERSION,
      tool: { name: 'create-migrating-stack', version: VERSION },
      command: 'dry-run',
      ok: true,
      exitCode: 0,
    });
    const statuses = Object.fromEntries(report.files!.map((file) => [file.path, file.status]));
    expect(statuses).toMatchObject({
      'compose.yaml': 'created',
      '.github/workflows/deploy.yml': 'created',
      '.env.example': 'updated',
      [ANSWERS_FILE]: 'created',
    });
    expect(report.files!.every((file) => !file.written)).toBe(true);
    // .env.example is the project's own: the diff shows the block that would be appended.
    expect(report.files!.find((file) => file.path === '.env.example')!.diff).toMatch(/^\+# >>> create-migrating-stack/m);
  });

  it('a run that writes: statuses and written', async () => {
    const dir = copyFixture('express-knex-postgres');
    const { code, report } = await json([dir, '--yes']);
    expect(code).toBe(0);
    expect(report.command).toBe('generate');
    expect(report.files!.find((file) => file.path === 'compose.yaml')).toEqual({ path: 'compose.yaml', status: 'created', written: true });
  });

  it('--check: ok with every file identical, then drift with the diff of the edited file (exit 1)', async () => {
    const dir = copyFixture('express-knex-postgres');
    expect((await runCli([dir, '--yes', '--ci', 'gitlab'])).code).toBe(0);
    const clean = await json([dir, '--check']);
    expect(clean.code).toBe(0);
    expect(clean.report).toMatchObject({ command: 'check', ok: true, exitCode: 0 });
    expect(new Set(clean.report.files!.map((file) => file.status))).toEqual(new Set(['identical']));

    writeFileSync(path.join(dir, 'compose.yaml'), read(dir, 'compose.yaml').replace('restart: unless-stopped', 'restart: always'));
    const drift = await json([dir, '--check']);
    expect(drift.code).toBe(1);
    expect(drift.report).toMatchObject({ command: 'check', ok: false, exitCode: 1 });
    const compose = drift.report.files!.find((file) => file.path === 'compose.yaml')!;
    expect(compose).toMatchObject({ status: 'conflict', owner: 'edited', written: false });
    expect(compose.diff).toMatch(/^-\s+restart: always$/m);
    expect(compose.diff).toMatch(/^\+\s+restart: unless-stopped$/m);
    expect(drift.report.files!.filter((file) => file.status !== 'identical').map((file) => file.path)).toEqual(['compose.yaml']);
  });

  it('an error that stops the run: exit 2 with the message, in JSON too', async () => {
    const dir = scratchDir('json-empty');
    const { code, report, stderr } = await json([dir, '--check']);
    expect(code).toBe(2);
    expect(report).toMatchObject({ command: 'check', ok: false, exitCode: 2 });
    expect(report.errors![0]).toContain(ANSWERS_FILE);
    expect(stderr).toContain(ANSWERS_FILE);
  });

  it('verify: each guarantee with ok and detail', () => {
    const report = verifyJson(
      {
        projectName: 'verify-x',
        ok: false,
        checks: [
          { guarantee: 'compose.yaml is valid', ok: true, detail: 'docker compose config' },
          { guarantee: 'the stack comes up healthy', ok: false, detail: 'exit 1', explanation: ['service migrate exited 1'] },
        ],
      },
      3,
      VERSION,
      '/p',
    );
    expect(report).toEqual({
      reportVersion: JSON_REPORT_VERSION,
      tool: { name: 'create-migrating-stack', version: VERSION },
      command: 'verify',
      ok: false,
      exitCode: 3,
      project: '/p',
      checks: [
        { guarantee: 'compose.yaml is valid', ok: true, detail: 'docker compose config' },
        { guarantee: 'the stack comes up healthy', ok: false, detail: 'exit 1', explanation: ['service migrate exited 1'] },
      ],
      warnings: [],
      notices: [],
    });
  });
});
