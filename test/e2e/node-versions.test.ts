/**
 * The CLI runs on every Node line it supports (>= 20.19, 22, 24, 26), and generates the same bytes
 * on each: it runs in the lab's node images with this checkout mounted read-only.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { runCommand } from '../../src/verify/compose.js';
import { runCli } from '../support/cli.js';
import { copyFixture, listFiles, read, REPO_ROOT, removeScratchCopies } from '../support/fixtures.js';

afterAll(removeScratchCopies);

describe.skipIf(!inject('dockerLab'))('the CLI on Node 20, 22, 24 and 26', () => {
  let expected: string;
  let files: string[];
  beforeAll(async () => {
    expected = copyFixture('express-knex-postgres');
    expect((await runCli([expected, '--yes'])).code).toBe(0);
    files = listFiles(expected);
  });

  it.each([20, 22, 24, 26])('node:%i-bookworm-slim generates the same files', async (major) => {
    const dir = copyFixture('express-knex-postgres');
    const result = await runCommand(
      'docker',
      [
        'run',
        '--rm',
        '--user',
        `${process.getuid?.() ?? 0}`,
        '--volume',
        `${REPO_ROOT}:/tool:ro`,
        '--volume',
        `${dir}:/project`,
        `node:${major}-bookworm-slim`,
        'node',
        '/tool/bin/create-migrating-stack.js',
        '/project',
        '--yes',
      ],
      { timeoutMs: 120_000 },
    );
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/created\s+Dockerfile/);
    expect(listFiles(dir)).toEqual(files);
    for (const file of files) expect(read(dir, file), `${file} on Node ${major}`).toBe(read(expected, file));
  });
});
