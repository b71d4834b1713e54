/**
 * The built binary as a user runs it: in a real terminal (through script(1)), without one,
 * and without permission to write.
 */
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { copyFixture, listFiles, read, REPO_ROOT, removeScratchCopies } from '../support/fixtures.js';

const BIN = path.join(REPO_ROOT, 'bin/create-migrating-stack.js');
const FIXTURE = 'express-knex-postgres';
const GENERATED = ['Dockerfile', '.dockerignore', 'docker-entrypoint.sh', 'docker-migrate.mjs', 'compose.yaml', '.env.example', 'migrating-stack.json'];

afterAll(removeScratchCopies);

function runBin(args: string[], options: { input?: string; uid?: number } = {}) {
  const command =
    options.uid === undefined
      ? ['node', BIN, ...args]
      : ['setpriv', `--reuid=${options.uid}`, `--regid=${options.uid}`, '--clear-groups', 'node', BIN, ...args];
  const result = spawnSync(command[0]!, command.slice(1), { input: options.input ?? '', encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Runs the binary in a pseudo-terminal and presses Enter every 300 ms until it exits. */
function pressEnterThroughPrompts(dir: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn('script', ['-qfec', `node ${BIN} ${dir}`, '/dev/null'], { env: { ...process.env, NO_COLOR: '1' } });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const enter = setInterval(() => child.stdin.write('\r'), 300);
    child.on('exit', (code) => {
      clearInterval(enter);
      resolve({ code, output: output.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '') });
    });
  });
}

describe('the binary', () => {
  it('asks one question per decision in a terminal; Enter through all of them equals --yes', async () => {
    const interactive = copyFixture(FIXTURE);
    const { code, output } = await pressEnterThroughPrompts(interactive);
    expect(code).toBe(0);
    for (const prompt of [
      'Package manager',
      'Node.js major version',
      'Framework',
      'Start command',
      'Port the app listens on',
      'Health-check path',
      'Migration tool',
      'Database',
      'Database image',
      'Database URL variable',
      'Where should migrations run?',
      'Back up the database before migrations run?',
      'Also generate a Docker Swarm stack and its deploy script?',
    ]) {
      expect(output).toContain(`✔ ${prompt}`);
    }
    expect(output).toMatch(/Node\.js major version \(from \.nvmrc\)/);

    const automatic = copyFixture(FIXTURE);
    expect(runBin([automatic, '--yes']).code).toBe(0);
    for (const file of GENERATED) expect(read(interactive, file), file).toBe(read(automatic, file));
  });

  it('does not prompt when stdin is not a terminal', () => {
    const dir = copyFixture(FIXTURE);
    const result = runBin([dir]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/created\s+Dockerfile/);
  });

  it('exits 2 with one line when a value cannot be detected, naming the flag', () => {
    const dir = copyFixture(FIXTURE);
    writeFileSync(path.join(dir, '.env.example'), '');
    writeFileSync(path.join(dir, 'src/server.ts'), read(dir, 'src/server.ts').replace('process.env.PORT ?? 3000', 'process.env.PORT'));
    const result = runBin([dir]);
    expect(result.code).toBe(2);
    expect(result.stderr.trim()).toBe('create-migrating-stack: no port found in the sources or .env.example: pass --port <n>');
  });

  it('an unwritable project: exit 2, one line naming the directory, nothing written', () => {
    const dir = copyFixture(FIXTURE);
    // Root may write anywhere: run as nobody then. Otherwise take our own write permission away.
    const asRoot = process.getuid?.() === 0;
    chmodSync(dir, asRoot ? 0o755 : 0o555);
    const before = listFiles(dir);
    const result = runBin([dir, '--yes'], asRoot ? { uid: 65534 } : {});
    chmodSync(dir, 0o755);
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain(`${dir}: not writable, so Dockerfile cannot be written (nothing was written)`);
    expect(listFiles(dir)).toEqual(before);
  });

  it('--help lists every flag and exits 0; --version prints the version', () => {
    const help = runBin(['--help']);
    expect(help.code).toBe(0);
    for (const flag of [
      '--yes',
      '--dry-run',
      '--force',
      '--check',
      '--pm',
      '--node',
      '--start',
      '--port',
      '--health-path',
      '--orm',
      '--db ',
      '--db-image',
      '--db-url-var',
    ]) {
      expect(help.stdout).toContain(flag);
    }
    expect(help.stdout).toMatch(/verify \[options\] \[dir\]/);
    const version = runBin(['--version']);
    expect(version.code).toBe(0);
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });
});
