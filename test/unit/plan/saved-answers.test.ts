/**
 * migrating-stack.json as a hostile repository may commit it (a link, a pipe), and the answers
 * checked against its schema before anything is written, so that no run writes a file the next
 * one refuses.
 */
import { execFileSync } from 'node:child_process';
import { symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Answers } from '../../../src/plan/answers.js';
import { ANSWERS_FILE, assertSavable, loadSavedAnswers } from '../../../src/plan/saved-answers.js';
import { removeScratchCopies, scratchDir, scratchProject } from '../../support/fixtures.js';
import { userErrorOf } from '../../support/errors.js';

afterAll(removeScratchCopies);

const ANSWERS: Answers = {
  app: null,
  packageManager: 'npm',
  node: 22,
  nodeImage: null,
  dockerfile: 'Dockerfile',
  framework: 'node',
  start: 'node dist/server.js',
  port: 3000,
  healthPath: '/health',
  orm: 'knex',
  ormConfig: null,
  database: 'postgres',
  databaseImage: 'postgres:15',
  databaseUrlVariable: 'DATABASE_URL',
  strategy: 'compose',
  backup: false,
  swarm: false,
  ci: 'none',
};

describe('loadSavedAnswers', () => {
  it('refuses a migrating-stack.json that is a link out of the project, without showing what it points at', () => {
    const outside = scratchDir('outside');
    writeFileSync(path.join(outside, 'secret'), 'root:x:0:0:root:/root:/bin/sh\n');
    const root = scratchProject();
    symlinkSync(path.join(outside, 'secret'), path.join(root, ANSWERS_FILE));
    const message = userErrorOf(() => loadSavedAnswers(root));
    expect(message).toContain('outside the project');
    expect(message).not.toContain('root:x');
  });

  it('refuses a named pipe without waiting on it', () => {
    const root = scratchProject();
    execFileSync('mkfifo', [path.join(root, ANSWERS_FILE)]);
    expect(userErrorOf(() => loadSavedAnswers(root))).toContain('a named pipe (FIFO), not a regular file');
  });

  it('is nothing for a file passed as the project (the project reader then says "not a directory")', () => {
    const root = scratchProject({ files: { 'package.json': '{}' } });
    expect(loadSavedAnswers(path.join(root, 'package.json'))).toBeUndefined();
  });
});

describe('assertSavable', () => {
  it('passes answers the schema accepts', () => {
    expect(() => assertSavable('/p', ANSWERS)).not.toThrow();
  });

  it.each([
    ['node', { node: 16 }, /answers\.node must be >= 18, so the next run would refuse the file; nothing was written: pass --node <major>$/],
    ['port', { port: 99_999 }, /answers\.port must be <= 65535, .*: pass --port <n>$/],
    ['databaseUrlVariable', { databaseUrlVariable: 'A B' }, /answers\.databaseUrlVariable must match pattern .*: pass --db-url-var <NAME>$/],
  ])('names the answer and its flag: %s', (_, change, expected) => {
    expect(userErrorOf(() => assertSavable('/p', { ...ANSWERS, ...change }))).toMatch(expected);
  });
});
