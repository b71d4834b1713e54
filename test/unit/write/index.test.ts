/**
 * write: all or nothing. commitWrites renames temporary files into place one by one; when a rename
 * fails, the files already renamed are put back as they were.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { UserError } from '../../../src/errors.js';
import { commitWrites, compareWithDisk } from '../../../src/write/index.js';
import { listFiles, removeScratchCopies, scratchProject } from '../../support/fixtures.js';

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
