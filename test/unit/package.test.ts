/**
 * The published package's manifest: the CLI is bundled (scripts/bundle.js), so every package it uses
 * is a devDependency and `npx create-migrating-stack` installs exactly one package, running no
 * install script. The packed tarball itself is installed and run in test/e2e/package.test.ts.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../support/fixtures.js';

const pkg = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as Record<string, unknown>;

describe('package.json', () => {
  it('has no runtime dependency: the bundle includes them (add packages with npm install --save-dev)', () => {
    for (const field of ['dependencies', 'optionalDependencies', 'peerDependencies', 'bundleDependencies']) {
      expect(pkg[field], field).toBeUndefined();
    }
  });

  it('runs no script when installed (prepack builds the bundle; prepare would count as an install script)', () => {
    const scripts = pkg.scripts as Record<string, string>;
    for (const script of ['preinstall', 'install', 'postinstall', 'prepare']) expect(scripts[script], script).toBeUndefined();
    expect(scripts.prepack).toBe('node scripts/bundle.js');
  });

  it('ships only what runs: the bin, the bundle, and the answers schema that migrating-stack.json names', () => {
    expect(pkg.files).toEqual(['bin/create-migrating-stack.js', 'bundle', 'schema/migrating-stack.schema.json']);
    expect(pkg.bin).toEqual({ 'create-migrating-stack': 'bin/create-migrating-stack.js' });
    expect(pkg.type).toBe('module');
    expect(pkg.engines).toEqual({ node: '>=20.19' });
  });

  it('is ready for provenance: repository, bugs and homepage', () => {
    expect(pkg.repository).toEqual({ type: 'git', url: expect.stringMatching(/^git\+https:\/\/github\.com\/[^/]+\/create-migrating-stack\.git$/) as string });
    expect((pkg.bugs as { url: string }).url).toMatch(/^https:\/\/github\.com\/[^/]+\/create-migrating-stack\/issues$/);
    expect(pkg.homepage).toMatch(/^https:\/\/github\.com\/[^/]+\/create-migrating-stack#readme$/);
    expect(pkg.license).toBe('MIT');
  });
});
