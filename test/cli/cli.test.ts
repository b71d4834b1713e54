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

/**
 * Runs the binary in a pseudo-terminal; types `keys` one entry per prompt shown, then presses Enter
 * every 300 ms until it exits.
 */
function answerPrompts(dir: string, keys: string[] = []): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn('script', ['-qfec', `node ${BIN} ${dir}`, '/dev/null'], { env: { ...process.env, NO_COLOR: '1' } });
    let output = '';
    let prompts = 0;
    const pending = [...keys];
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      // inquirer marks a prompt waiting for an answer with "?" at the start of the line.
      const shown = (output.match(/^\? /gm) ?? []).length;
      if (shown > prompts && pending.length > 0) child.stdin.write(pending.shift()!);
      prompts = shown;
    });
    const enter = setInterval(() => pending.length === 0 && child.stdin.write('\r'), 300);
    child.on('exit', (code) => {
      clearInterval(enter);
      resolve({ code, output: output.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '') });
    });
  });
}

const pressEnterThroughPrompts = (dir: string) => answerPrompts(dir);

describe('the binary', () => {
  it('in a terminal: one summary of what was detected, and Enter at "Generate with these?" equals --yes', async () => {
    const interactive = copyFixture(FIXTURE);
    const { code, output } = await pressEnterThroughPrompts(interactive);
    expect(code).toBe(0);
    expect(output).toContain(`Detected in ${interactive}:`);
    expect(output).toMatch(/Node\.js +22 +\(from \.nvmrc\)/);
    expect(output).toMatch(/migrations +knex +\(from knexfile\.js\)/);
    expect(output).toMatch(/migrate in +compose +\(default\)/);
    expect(output).toContain('✔ Generate with these? Yes');
    // Detection answered everything: nothing else was asked.
    expect(output.match(/✔ /g)).toHaveLength(1);

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
    const pkg = JSON.parse(read(dir, 'package.json'));
    // No start, no main, no development script that shows the entry.
    delete pkg.scripts.start;
    delete pkg.scripts.dev;
    delete pkg.main;
    writeFileSync(path.join(dir, 'package.json'), JSON.stringify(pkg, null, 2));
    const result = runBin([dir]);
    expect(result.code).toBe(2);
    expect(result.stderr.trim()).toBe(
      `create-migrating-stack: ${path.join(dir, 'package.json')}: no "start" script and no "main" file: add "start": "node dist/server.js" (your entry file), or pass --start <command>`,
    );
  });

  it('in a terminal, a gap is a question, not an exit', async () => {
    const dir = copyFixture(FIXTURE);
    const pkg = JSON.parse(read(dir, 'package.json'));
    // No start, no main, no development script that shows the entry.
    delete pkg.scripts.start;
    delete pkg.scripts.dev;
    delete pkg.main;
    writeFileSync(path.join(dir, 'package.json'), JSON.stringify(pkg, null, 2));
    const { code, output } = await answerPrompts(dir, ['node dist/server.js\r']);
    expect(output).toMatch(/no "start" script and no "main" file/);
    expect(output).toContain('✔ Start command in the container node dist/server.js');
    expect(code).toBe(0);
    expect(JSON.parse(read(dir, 'migrating-stack.json')).answers.start).toBe('node dist/server.js');
  });

  it('"Edit an answer first" asks every question, each defaulting to the value shown', async () => {
    const dir = copyFixture(FIXTURE);
    // Down to "Edit", then Enter through every question.
    const { code, output } = await answerPrompts(dir, ['\x1b[B\r']);
    expect(code).toBe(0);
    for (const prompt of ['Package manager', 'Start command in the container', 'Migration tool', 'Where should migrations run?'])
      expect(output).toContain(`✔ ${prompt}`);
    const automatic = copyFixture(FIXTURE);
    expect(runBin([automatic, '--yes']).code).toBe(0);
    for (const file of GENERATED) expect(read(dir, file), file).toBe(read(automatic, file));
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
