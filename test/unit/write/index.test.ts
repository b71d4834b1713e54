/**
 * write: all or nothing. commitWrites renames temporary files into place one by one; when a rename
 * fails, the files already renamed are put back as they were (the same bytes, the same mode) and
 * the folders it created are removed. It never writes (or reads) through a symbolic link, and its
 * temporary files can't be redirected by a link committed where they will be.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, lstatSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { UserError } from '../../../src/errors.js';
import type { GeneratedFile } from '../../../src/render/index.js';
import { commitWrites, compareWithDisk } from '../../../src/write/index.js';
import { userErrorOf } from '../../support/errors.js';
import { listFiles, removeScratchCopies, scratchDir, scratchProject } from '../../support/fixtures.js';

afterAll(removeScratchCopies);

describe('commitWrites', () => {
  it('restores the files it replaced, byte for byte, and removes the ones it created, when a rename fails midway', () => {
    const before = { Dockerfile: 'FROM node:22 # the user’s ✓\n', 'nested/config.yaml': 'kept: true\r\nno-newline-at-end' };
    const root = scratchProject({ files: before });
    const snapshot = Object.fromEntries(Object.keys(before).map((file) => [file, readFileSync(path.join(root, file))]));
    // Every target passes the checks before anything is written. The first three are renamed into
    // place; then "blocked" can't be: writing the temporary file of blocked/inner.txt made
    // "blocked" a directory, and a file can't be renamed over a non-empty directory.
    const changes = compareWithDisk(
      root,
      [
        { path: 'Dockerfile', content: 'FROM node:24\n' },
        { path: 'compose.yaml', content: 'services: {}\n' },
        { path: 'nested/config.yaml', content: 'kept: false\n' },
        { path: 'blocked', content: 'never written\n' },
        { path: 'blocked/inner.txt', content: 'never written either\n' },
      ],
      { recorded: {}, force: true },
    );
    expect(changes.map((change) => change.status)).toEqual(['overwritten', 'created', 'overwritten', 'created', 'created']);

    let failure: unknown;
    try {
      commitWrites(root, changes);
    } catch (error) {
      failure = error;
    }
    expect(failure).toBeInstanceOf(UserError);
    expect((failure as UserError).message).toMatch(/\/blocked\.[^/]*\.tmp: EISDIR .*: nothing was written; fix the permissions and run again$/);

    for (const [file, bytes] of Object.entries(snapshot)) expect(readFileSync(path.join(root, file)), file).toEqual(bytes);
    // compose.yaml is gone again, and so is every temporary file.
    expect(listFiles(root)).toEqual(Object.keys(before).sort());
  });
});

/** Every entry under dir (folders too), relative, sorted. */
function entries(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)))
    .sort();
}

function failedCommit(root: string, files: GeneratedFile[]): UserError {
  const changes = compareWithDisk(root, files, { recorded: {}, force: true });
  try {
    commitWrites(root, changes);
  } catch (error) {
    expect(error).toBeInstanceOf(UserError);
    return error as UserError;
  }
  throw new Error('expected the commit to fail');
}

describe('commitWrites rollback', () => {
  it('restores bytes that are not UTF-8 and the exact mode, and removes the folders it created', () => {
    const root = scratchProject();
    const binary = Buffer.from([0xff, 0xfe, 0x00, 0x80, 0xc3, 0x28, 0x0a]);
    writeFileSync(path.join(root, 'Dockerfile'), binary);
    chmodSync(path.join(root, 'Dockerfile'), 0o600);
    writeFileSync(path.join(root, 'docker-entrypoint.sh'), '#!/bin/sh\nexec "$@"\n');
    chmodSync(path.join(root, 'docker-entrypoint.sh'), 0o4750);
    const before = entries(root);

    failedCommit(root, [
      { path: 'Dockerfile', content: 'FROM node:24\n' },
      { path: 'docker-entrypoint.sh', content: '#!/bin/sh\n', executable: true },
      { path: 'deep/nested/new.yaml', content: 'created: true\n' },
      // Renaming "blocked" fails: blocked/inner.txt's temporary file made it a non-empty folder.
      { path: 'blocked', content: 'never written\n' },
      { path: 'blocked/inner.txt', content: 'never written either\n' },
    ]);

    expect(readFileSync(path.join(root, 'Dockerfile'))).toEqual(binary);
    expect(statSync(path.join(root, 'Dockerfile')).mode & 0o7777).toBe(0o600);
    expect(readFileSync(path.join(root, 'docker-entrypoint.sh'), 'utf8')).toBe('#!/bin/sh\nexec "$@"\n');
    expect(statSync(path.join(root, 'docker-entrypoint.sh')).mode & 0o7777).toBe(0o4750);
    // deep/, deep/nested/ and blocked/ are gone, and so is every temporary file.
    expect(entries(root)).toEqual(before);
  });

  it('removes a folder it created for a file it had already renamed into place', () => {
    const root = scratchProject();
    const error = failedCommit(root, [
      { path: 'ci/one.yml', content: 'a\n' },
      { path: 'blocked', content: 'x\n' },
      { path: 'blocked/inner.txt', content: 'y\n' },
    ]);
    expect(error.message).toContain('nothing was written');
    expect(entries(root)).toEqual([]);
  });
});

describe('never through a symbolic link', () => {
  it("can't be redirected by links committed at the temporary names the writer used to use", () => {
    const outside = scratchDir('outside');
    const root = scratchProject({ files: { 'compose.yaml': 'services: {}\n' } });
    const files: GeneratedFile[] = [
      { path: 'Dockerfile', content: 'FROM node:24\n' },
      { path: 'compose.yaml', content: 'services: { app: {} }\n' },
    ];
    // The old name was <file>.create-migrating-stack-<pid>.tmp: every pid near this one, and then some.
    for (const file of files) {
      for (let pid = process.pid - 5; pid <= process.pid + 5; pid++) {
        symlinkSync(path.join(outside, `${file.path}-${pid}`), path.join(root, `${file.path}.create-migrating-stack-${pid}.tmp`));
      }
    }
    commitWrites(root, compareWithDisk(root, files, { recorded: {}, force: true }));

    expect(readdirSync(outside)).toEqual([]);
    for (const file of files) {
      expect(lstatSync(path.join(root, file.path)).isFile()).toBe(true);
      expect(readFileSync(path.join(root, file.path), 'utf8')).toBe(file.content);
    }
  });

  it('refuses a target that is a link (out of the project or in it), and neither reads nor writes through it', () => {
    const outside = scratchDir('outside');
    writeFileSync(path.join(outside, 'passwd'), 'root:x:0:0\n');
    const root = scratchProject({ files: { 'docs/env': 'A=1\n' } });
    symlinkSync(path.join(outside, 'passwd'), path.join(root, 'Dockerfile'));
    symlinkSync('docs/env', path.join(root, '.env.example'));

    for (const file of ['Dockerfile', '.env.example']) {
      const message = userErrorOf(() => compareWithDisk(root, [{ path: file, content: 'x\n' }], { recorded: {}, force: true }));
      expect(message).toBe(
        `${path.join(root, file)}: a symbolic link, and create-migrating-stack never writes through one (it could point anywhere): replace it with a regular file; nothing was written`,
      );
      expect(message).not.toContain('root:x');
    }
    // Even given changes compared elsewhere, the commit refuses before writing anything.
    expect(() => commitWrites(root, [{ file: { path: 'Dockerfile', content: 'FROM x\n' }, status: 'overwritten' }])).toThrow(UserError);
    expect(readFileSync(path.join(outside, 'passwd'), 'utf8')).toBe('root:x:0:0\n');
    expect(readFileSync(path.join(root, 'docs/env'), 'utf8')).toBe('A=1\n');
  });

  it('refuses a folder on the way to a target that is a link', () => {
    const outside = scratchDir('outside');
    const root = scratchProject();
    symlinkSync(outside, path.join(root, '.github'));
    const file = { path: '.github/workflows/deploy.yml', content: 'on: push\n' };
    expect(userErrorOf(() => compareWithDisk(root, [file], { recorded: {}, force: false }))).toBe(
      `${path.join(root, '.github')}: a symbolic link on the way to .github/workflows/deploy.yml, and create-migrating-stack never writes through one (it could point anywhere): replace it with a folder; nothing was written`,
    );
    expect(() => commitWrites(root, [{ file, status: 'created' }])).toThrow(UserError);
    expect(readdirSync(outside)).toEqual([]);
  });

  it('refuses a named pipe where it writes a file, without waiting on it', () => {
    const root = scratchProject();
    execFileSync('mkfifo', [path.join(root, 'compose.yaml')]);
    expect(userErrorOf(() => compareWithDisk(root, [{ path: 'compose.yaml', content: 'x\n' }], { recorded: {}, force: true }))).toBe(
      `${path.join(root, 'compose.yaml')}: a named pipe (FIFO) where create-migrating-stack writes a generated file: remove it; nothing was written`,
    );
  });
});
