/**
 * The checks of values from the project against the syntax of the files they land in, and the
 * one-line messages that quote them.
 */
import { describe, expect, it } from 'vitest';
import { oneLine, UserError } from '../../../src/errors.js';
import { dockerignorePatternProblem, imagePathProblem, plainCommandProblem, projectPathProblem } from '../../../src/shared/syntax.js';

describe('projectPathProblem: a path COPY, RUN, a shell script and .dockerignore hold unquoted', () => {
  it.each(['.', 'prisma/schema.prisma', 'db/migrations', '.yarn/releases/yarn-4.1.0.cjs', 'node_modules/@prisma/client', 'migrações', 'a+b/c_d@2'])(
    'accepts %j',
    (value) => expect(projectPathProblem(value)).toBeUndefined(),
  );

  it.each([
    ['prisma/$(id).prisma', 'characters'],
    ['prisma/`id`.prisma', 'characters'],
    ['a;rm -rf x', 'characters'],
    ['with space', 'characters'],
    ['migrations\n!.env', 'characters'],
    ['migrations#x', 'characters'],
    ['*', 'characters'],
    ['$HOME', 'characters'],
    ['-rf', 'option'],
    ['db/--from=x', 'option'],
    ['../outside', 'leaves the project'],
    ['a/../../b', 'leaves the project'],
    ['/etc/passwd', 'absolute'],
    ['a//b', 'normalised'],
    ['a/./b', 'normalised'],
  ])('refuses %j', (value, reason) => expect(projectPathProblem(value)).toContain(reason));
});

describe('the other syntaxes', () => {
  it('.dockerignore patterns: a * inside a name, nothing else', () => {
    expect(dockerignorePatternProblem('.pnp.*')).toBeUndefined();
    expect(dockerignorePatternProblem('.yarn/cache')).toBeUndefined();
    expect(dockerignorePatternProblem('!src')).toContain('characters');
    expect(dockerignorePatternProblem('# comment')).toContain('characters');
    expect(dockerignorePatternProblem('dist\nsrc')).toContain('characters');
  });

  it('image paths: absolute, plain names', () => {
    expect(imagePathProblem('/opt/migrate')).toBeUndefined();
    expect(imagePathProblem('data')).toContain('absolute');
    expect(imagePathProblem('/data dir')).toContain('characters');
  });

  it('RUN commands: plain words joined by &&', () => {
    expect(
      plainCommandProblem('npm pkg delete scripts.postinstall \\\n && npm ci \\\n && node_modules/.bin/prisma generate --schema db/schema.prisma'),
    ).toBeUndefined();
    expect(plainCommandProblem('npm install --global pnpm@10.34.9')).toBeUndefined();
    expect(plainCommandProblem('node_modules/.bin/prisma generate --schema prisma/$(id).prisma')).toContain('"prisma/$(id).prisma"');
    expect(plainCommandProblem('node .yarn/releases/yarn.cjs; curl x')).toContain('".yarn/releases/yarn.cjs;"');
    expect(plainCommandProblem('npm run build`id`')).toContain('build`id`');
    expect(plainCommandProblem('npm ci  && x')).toContain('an empty word');
  });

  it("the one expansion the plan writes, a folder's binaries first on PATH, and nothing that looks like it", () => {
    expect(plainCommandProblem('cd /app/packages/db && PATH=/app/packages/db/node_modules/.bin:$PATH prisma generate && cd /app')).toBeUndefined();
    expect(plainCommandProblem('PATH=/app/$(id)/node_modules/.bin:$PATH prisma generate')).toContain('"PATH=/app/$(id)/node_modules/.bin:$PATH"');
    expect(plainCommandProblem('PATH=/app/x:$PATH;id prisma generate')).toContain('$PATH;id');
    expect(plainCommandProblem('HOME=/app/x:$HOME prisma generate')).toContain('$HOME');
  });
});

describe('one-line messages', () => {
  it('escapes line breaks, terminal escapes and direction marks from the input', () => {
    expect(oneLine('a\nb\r\tc\u001b[31md\u202ee\u0000')).toBe('a\\nb\\r\\tc\\u001b[31md\\u202ee\\u0000');
    expect(new UserError('package.json: "npm@1\n\u001b[2J": fix it').message).toBe('package.json: "npm@1\\n\\u001b[2J": fix it');
  });

  it('keeps several problems one line each', () => {
    expect(new UserError(['first\nproblem', 'second']).message).toBe('first\\nproblem\nsecond');
  });
});
