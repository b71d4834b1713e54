/**
 * The bundle (bundle/, what the package ships and the bin runs) behaves as the sources: the same
 * files for fixtures that use every inlined asset (templates and their partials, the Compose
 * schema's precompiled validator, @yarnpkg/lockfile), and the same refusal of a malformed
 * migrating-stack.json (the answers schema's precompiled validator).
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { QUESTIONS } from '../../src/plan/questions.js';
import { runCli } from '../support/cli.js';
import { copyFixture, listFiles, read, REPO_ROOT, removeScratchCopies } from '../support/fixtures.js';

afterAll(removeScratchCopies);

const BIN = path.join(REPO_ROOT, 'bin/create-migrating-stack.js');

function runBin(args: string[]) {
  const result = spawnSync('node', [BIN, ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** bundle/<file> and every chunk it imports statically (what node loads before it runs a line). */
function staticClosure(file: string, seen = new Set<string>()): Set<string> {
  if (seen.has(file)) return seen;
  seen.add(file);
  const code = readFileSync(path.join(REPO_ROOT, 'bundle', file), 'utf8');
  for (const [, chunk] of code.matchAll(/\bimport\s*(?:[\w*{}\s,$]+from\s*)?["']\.\/([\w.-]+\.js)["']/g)) staticClosure(chunk!, seen);
  return seen;
}

describe('the bundle', () => {
  it('--help and --version load the command line only: no detection, generation or engine code', () => {
    const loaded = [...staticClosure('cli.js')];
    const code = loaded.map((file) => readFileSync(path.join(REPO_ROOT, 'bundle', file), 'utf8')).join('\n');
    expect(code).not.toMatch(/function detectProject\b|function renderFiles\b|\bDocker=function\(/);
    expect(code.length).toBeLessThan(150_000);
    const help = runBin(['--help']);
    expect(help.code).toBe(0);
    for (const question of QUESTIONS) expect(help.stdout).toContain(`${question.flag} ${question.valueName}`.trim());
  });

  it.each(['express-knex-postgres', 'yarn-classic-express-knex-postgres', 'express-drizzle-sqlite'])(
    'generates what the sources generate: %s',
    async (fixture) => {
      const fromSources = copyFixture(fixture);
      const fromBundle = copyFixture(fixture);
      const flags = ['--yes', '--swarm', '--backup'].filter((flag) => fixture !== 'express-drizzle-sqlite' || flag === '--yes');
      expect((await runCli([fromSources, ...flags])).code).toBe(0);
      const bundled = runBin([fromBundle, ...flags]);
      expect(bundled.stderr).toBe('');
      expect(bundled.code).toBe(0);
      expect(listFiles(fromBundle)).toEqual(listFiles(fromSources));
      for (const file of listFiles(fromSources)) expect(read(fromBundle, file), file).toBe(read(fromSources, file));
    },
  );

  it('refuses a malformed migrating-stack.json as the sources do', async () => {
    const dir = copyFixture('express-knex-postgres');
    expect((await runCli([dir, '--yes'])).code).toBe(0);
    const saved = JSON.parse(read(dir, 'migrating-stack.json')) as { answers: Record<string, unknown> };
    saved.answers.port = 'eighty';
    saved.answers.colour = 'blue';
    writeFileSync(path.join(dir, 'migrating-stack.json'), JSON.stringify(saved));
    const fromSources = await runCli([dir, '--check']);
    const bundled = runBin([dir, '--check']);
    expect(fromSources.code).toBe(2);
    expect(bundled.code).toBe(2);
    expect(bundled.stderr.trim()).toBe(fromSources.stderr.trim());
  });
});
