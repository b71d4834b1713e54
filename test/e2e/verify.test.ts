/**
 * The `verify` command as a user runs it: it proves a good stack (exit 0) and reports the
 * guarantee that a broken one breaks (exit 3), and leaves nothing behind either way.
 */
import { afterAll, describe, expect, inject, it } from 'vitest';
import { runCommand } from '../../src/verify/compose.js';
import { runCli } from '../support/cli.js';
import { copyFixture, removeScratchCopies } from '../support/fixtures.js';

afterAll(removeScratchCopies);

async function leftovers(project: string): Promise<string> {
  const containers = await runCommand('docker', ['ps', '-aq', '--filter', `label=com.docker.compose.project=${project}`]);
  const volumes = await runCommand('docker', ['volume', 'ls', '-q', '--filter', `label=com.docker.compose.project=${project}`]);
  const images = await runCommand('docker', ['image', 'ls', '-q', '--filter', `label=com.docker.compose.project=${project}`]);
  return (containers.stdout + volumes.stdout + images.stdout).trim();
}

describe.skipIf(!inject('dockerLab'))('create-migrating-stack verify', () => {
  it('proves the guarantees of a generated stack, then removes it', async () => {
    const dir = copyFixture('express-knex-postgres');
    expect((await runCli([dir, '--yes'])).code).toBe(0);
    const result = await runCli(['verify', dir]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    for (const guarantee of [
      'compose.yaml is valid',
      'the stack comes up healthy',
      'migrations run before the app starts',
      '/health answers 200',
      'the app runs as a non-root user',
      'the database is not published on the host',
      'a second `up` applies nothing again',
      '5 migrators started at once all succeed and apply nothing twice',
      '`docker stop` is prompt',
    ]) {
      expect(result.stdout).toContain(`ok   ${guarantee}:`);
    }
    expect(result.stdout).toMatch(/verified: 9 checks passed/);
    const project = /building and starting (\S+)/.exec(result.stdout)![1]!;
    expect(await leftovers(project)).toBe('');
  });

  it('exits 3 naming the broken guarantee when a migration fails', async () => {
    const dir = copyFixture('express-knex-postgres-failing-migration');
    expect((await runCli([dir, '--yes'])).code).toBe(0);
    const result = await runCli(['verify', dir]);
    expect(result.code).toBe(3);
    expect(result.stdout).toMatch(/FAIL the stack comes up healthy: .*service "migrate" didn't complete successfully: exit 1/);
    expect(result.stdout).toMatch(/verify failed: the stack comes up healthy/);
    const project = /building and starting (\S+)/.exec(result.stdout)![1]!;
    expect(await leftovers(project)).toBe('');
  });

  it('without saved answers is bad input', async () => {
    const dir = copyFixture('express-knex-postgres');
    const result = await runCli(['verify', dir]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/migrating-stack\.json: not found: run create-migrating-stack in .* first/);
  });
});
