/**
 * What the images hold, on the engine, for a project that has what a developer's checkout has:
 * an .npmrc with a registry token, a .env, a local SQLite dev.db (ignored by .gitignore) and a
 * .git folder. Every file of both images is listed (none of them is there), every layer is
 * searched for the token (absent), the installs are shown to read the .npmrc all the same (a
 * registry it names is the one npm tries), and the image's own init is PID 1 without compose.
 */
import { execFileSync } from 'node:child_process';
import { appendFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { runCommand, type CommandResult } from '../../src/verify/compose.js';
import { removeScratchCopies } from '../support/fixtures.js';
import { TestStack } from './support/stack.js';

const TOKEN = 'npm_cmsE2eRegistryTokenDoNotShip';
const DOTENV_SECRET = 'cms-e2e-dotenv-secret-do-not-ship';
const SQLITE_MARK = 'cms-e2e-local-sqlite-file';

/** A developer's checkout: a token in .npmrc (a private scope's registry), .env, a local dev.db, a git history. */
function developerCheckout(dir: string): void {
  writeFileSync(path.join(dir, '.npmrc'), `@acme:registry=https://npm.acme.example/\n//npm.acme.example/:_authToken=${TOKEN}\n`);
  appendFileSync(path.join(dir, '.gitignore'), '*.db\n');
  writeFileSync(path.join(dir, 'dev.db'), `SQLite format 3\0${SQLITE_MARK}`);
  mkdirSync(path.join(dir, 'config'));
  writeFileSync(path.join(dir, 'config', '.env.local'), `JWT_SECRET=${DOTENV_SECRET}\n`);
  const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=dev', '-c', 'user.email=dev@example.com', ...args], { cwd: dir, stdio: 'ignore' });
  git('init', '-q');
  git('add', '-A');
  git('commit', '-q', '-m', 'a commit');
}

describe.skipIf(!inject('dockerLab'))('image contents: a checkout with .npmrc, .env, dev.db and .git', () => {
  let stack: TestStack;
  let build: CommandResult;
  const images: Record<'app' | 'migrate', string> = { app: '', migrate: '' };

  beforeAll(async () => {
    stack = await TestStack.generate('express-knex-postgres', [], ['compose.yaml'], developerCheckout);
    // .env as a developer has it (TestStack wrote it from .env.example), with a secret of the project's.
    appendFileSync(path.join(stack.dir, '.env'), `JWT_SECRET=${DOTENV_SECRET}\n`);
    build = await stack.compose.run(['build']);
    for (const service of ['app', 'migrate'] as const) images[service] = `${stack.compose.name}-${service}`;
  });
  afterAll(async () => {
    await stack?.destroy();
    removeScratchCopies();
  });

  it('the checkout has them all, and both images build (compose passes .npmrc as a build secret)', async () => {
    for (const file of ['.npmrc', '.env', 'dev.db', '.git', 'config/.env.local']) {
      expect(execFileSync('ls', ['-d', path.join(stack.dir, file)]).length).toBeGreaterThan(0);
    }
    expect(build.stderr).not.toMatch(/failed to solve|failed to build/i);
    expect(build.code).toBe(0);
    expect((await stack.compose.validate()).code).toBe(0);
  });

  it('no .npmrc, .env, *.db or .git anywhere in either image (every file listed)', async () => {
    for (const image of Object.values(images)) {
      const listing = await runCommand('docker', ['run', '--rm', '--user', 'root', '--entrypoint', 'find', image, '/', '-xdev', '-not', '-path', '/proc/*']);
      expect(listing.code).toBe(0);
      const files = listing.stdout.split('\n').filter(Boolean);
      expect(files.length).toBeGreaterThan(1000); // it did list the image
      expect(files).toContain('/app/package.json');
      const found = files.filter((file) => /(^|\/)(\.npmrc|\.env(\.[^/]*)?|[^/]*\.db|\.git)$/.test(file) && !file.startsWith('/usr/'));
      // .env.example is documentation, not a secret: it is allowed in.
      expect(found.filter((file) => !file.endsWith('/.env.example'))).toEqual([]);
    }
  });

  it('no layer of either image holds the token, the .env secret or the SQLite file (docker save, every byte)', async () => {
    for (const image of Object.values(images)) {
      const saved = path.join(stack.dir, '..', `${path.basename(stack.dir)}-${image.split('-').at(-1)}.tar`);
      expect((await runCommand('docker', ['save', '--output', saved, image])).code).toBe(0);
      // The layers are tar files inside the saved tar: uncompressed, so the bytes of every file are there as they are.
      for (const needle of [TOKEN, DOTENV_SECRET, SQLITE_MARK]) {
        const grep = await runCommand('grep', ['--count', '--text', '--fixed-strings', needle, saved]);
        expect(grep.stdout.trim(), `${needle} in ${image}`).toBe('0');
      }
      await runCommand('rm', ['-f', saved]);
    }
  });

  it('the installs do read the .npmrc: npm asks the registry it names', async () => {
    writeFileSync(path.join(stack.dir, '.npmrc'), 'registry=http://127.0.0.1:9/\nfetch-retries=0\nloglevel=http\n');
    // The secret's content is no part of the layer cache (a new token keeps the install cached):
    // a change to package.json makes the install run again. (Not --no-cache: BuildKit 0.8 can panic on it.)
    const manifest = path.join(stack.dir, 'package.json');
    writeFileSync(manifest, JSON.stringify({ ...JSON.parse(readFileSync(manifest, 'utf8')), description: 'reads .npmrc' }, null, 2));
    const failing = await stack.compose.run(['--progress', 'plain', 'build', 'migrate']);
    expect(failing.code).not.toBe(0);
    expect(failing.stdout + failing.stderr).toMatch(/npm http fetch GET http:\/\/127\.0\.0\.1:9\/\S+ attempt 1 failed with ECONNREFUSED/);
  });

  it('the init is the image’s own: without compose (docker run), PID 1 is tini and the entrypoint’s command its child', async () => {
    for (const image of Object.values(images)) {
      const pid1 = await runCommand('docker', ['run', '--rm', '-e', 'WAIT_FOR_DB_TIMEOUT=0', image, 'sh', '-c', 'cat /proc/1/comm; cat /proc/$$/comm']);
      expect(pid1.code).toBe(0);
      expect(pid1.stdout.trim().split('\n')).toEqual(['tini', 'sh']);
      // Under --init (ECS's initProcessEnabled, docker run --init), tini runs as a subreaper, silently.
      const underInit = await runCommand('docker', ['run', '--rm', '--init', '-e', 'WAIT_FOR_DB_TIMEOUT=0', image, 'true']);
      expect(underInit.code).toBe(0);
      expect(underInit.stderr).not.toMatch(/WARN|tini/i);
    }
  });
});
