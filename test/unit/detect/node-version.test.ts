import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_NODE_MAJOR, detectNodeMajor, majorForRange, majorFromVersionFile } from '../../../src/detect/node-version.js';
import { Project } from '../../../src/project/project.js';
import { removeScratchCopies, scratchProject } from '../../support/fixtures.js';

function project(pkg: Record<string, unknown>, files: Record<string, string> = {}): Project {
  return new Project(scratchProject({ packageJson: { name: 'x', ...pkg }, files }));
}

afterAll(removeScratchCopies);

describe('Node major', () => {
  it.each([
    ['22', 22],
    ['v20.11.1', 20],
    ['22.x', 22],
    ['lts/iron', 20],
    ['lts/jod', 22],
    ['lts/*', DEFAULT_NODE_MAJOR],
  ])('.nvmrc %s → %i', (spec, major) => {
    expect(majorFromVersionFile(spec, '.nvmrc')).toBe(major);
  });

  it('rejects what is not a version, naming the file', () => {
    expect(() => majorFromVersionFile('lts/unknown', '/p/.nvmrc')).toThrow(/\/p\/\.nvmrc/);
    expect(() => majorFromVersionFile('banana', '/p/.nvmrc')).toThrow(/not a Node version/);
  });

  it.each([
    ['>=20', DEFAULT_NODE_MAJOR],
    ['>=20.19', DEFAULT_NODE_MAJOR],
    ['^22.11.0', 22],
    ['20.x || 22.x', 22],
    ['>=25', 26],
    ['<18', undefined],
  ])('engines.node %s → %s', (range, major) => {
    expect(majorForRange(range)).toBe(major);
  });

  it('reads .nvmrc, .node-version, .tool-versions, volta and engines in that order', () => {
    expect(detectNodeMajor(project({ engines: { node: '>=20' } }, { '.node-version': '20.18.0\n' })).major).toEqual({ value: 20, source: '.node-version' });
    expect(detectNodeMajor(project({}, { '.tool-versions': 'python 3.12.1\nnodejs 22.12.0\n' })).major).toEqual({ value: 22, source: '.tool-versions' });
    expect(detectNodeMajor(project({ volta: { node: '20.18.1' } })).major).toEqual({ value: 20, source: 'package.json#volta.node' });
    expect(detectNodeMajor(project({ engines: { node: '^22' } })).major).toEqual({ value: 22, source: 'package.json#engines.node' });
    expect(detectNodeMajor(project({})).major).toBeUndefined();
  });

  it('warns when the sources disagree', () => {
    const facts = detectNodeMajor(project({ engines: { node: '^20' } }, { '.nvmrc': '22' }));
    expect(facts.major?.value).toBe(22);
    expect(facts.warnings.join('\n')).toMatch(/\.nvmrc says Node 22 but package\.json#engines\.node says 20/);
  });
});
