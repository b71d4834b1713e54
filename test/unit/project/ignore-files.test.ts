/**
 * .gitignore → .dockerignore: the translation of each kind of pattern (anchored or not, negated,
 * directory-only, character classes, nested .gitignore files), and moby's matching, which decides
 * the paths the build needs that a project's patterns would leave out.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { dockerignoreMatches, gitignoreToDockerignore, projectIgnoreFiles } from '../../../src/project/ignore-files.js';
import { Project } from '../../../src/project/project.js';
import { removeScratchCopies, scratchProject } from '../../support/fixtures.js';

afterAll(removeScratchCopies);

describe('gitignoreToDockerignore', () => {
  it.each([
    ['*.db', '**/*.db'],
    ['node_modules/', '**/node_modules'],
    ['/build', 'build'],
    ['/build/', 'build'],
    ['logs/*.log', 'logs/*.log'],
    ['**/tmp', '**/tmp'],
    ['!keep.db', '!**/keep.db'],
    ['!/.yarn/releases', '!.yarn/releases'],
    ['file[!0-9].txt', '**/file[^0-9].txt'],
    ['\\#notes', '**/\\#notes'],
    ['trailing   ', '**/trailing'],
  ])('%s → %s', (line, pattern) => {
    expect(gitignoreToDockerignore(line)).toBe(pattern);
  });

  it('skips blank lines and comments', () => {
    expect(gitignoreToDockerignore('')).toBeUndefined();
    expect(gitignoreToDockerignore('   ')).toBeUndefined();
    expect(gitignoreToDockerignore('# a comment')).toBeUndefined();
  });

  it("anchors a nested .gitignore's patterns at its folder", () => {
    expect(gitignoreToDockerignore('*.sqlite', 'data')).toBe('data/**/*.sqlite');
    expect(gitignoreToDockerignore('/cache', 'data')).toBe('data/cache');
  });
});

describe('dockerignoreMatches (moby: last match wins, parent folders match, ! takes back)', () => {
  it.each([
    [['**/*.db'], 'dev.db', true],
    [['**/*.db'], 'prisma/dev.db', true],
    [['**/*.db'], 'dev.db.bak', false],
    [['build'], 'build/index.js', true],
    [['build'], 'src/build', false],
    [['**/build'], 'src/build/x.js', true],
    [['.yarn/*', '!.yarn/releases'], '.yarn/releases/yarn-4.cjs', false],
    [['.yarn/*', '!.yarn/releases'], '.yarn/cache/a.zip', true],
    [['*.js'], 'knexfile.js', true],
    [['*.js'], 'src/app.js', false],
    [['file[^0-9].txt'], 'filea.txt', true],
    [['file[^0-9].txt'], 'file1.txt', false],
  ])('%j leaves out %s: %s', (patterns, file, excluded) => {
    expect(dockerignoreMatches(patterns, file)).toBe(excluded);
  });
});

describe('projectIgnoreFiles', () => {
  it('reads the root .gitignore and nested ones, never those under node_modules', () => {
    const dir = scratchProject({
      packageJson: { name: 'app' },
      files: { '.gitignore': '# local\n*.db\n/dist/\n', 'data/.gitignore': '*.sqlite\n', 'empty/.gitignore': '# nothing\n' },
    });
    mkdirSync(path.join(dir, 'node_modules/pkg'), { recursive: true });
    writeFileSync(path.join(dir, 'node_modules/pkg/.gitignore'), '*\n');
    expect(projectIgnoreFiles(new Project(dir))).toEqual([
      { file: '.gitignore', patterns: ['**/*.db', 'dist'] },
      { file: 'data/.gitignore', patterns: ['data/**/*.sqlite'] },
    ]);
  });
});
