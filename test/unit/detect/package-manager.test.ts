/**
 * Which package manager a project uses, and which version: package.json#packageManager,
 * devEngines, the lockfiles, and the committed Yarn release; warnings when they disagree.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { detectPackageManager } from '../../../src/detect/package-manager.js';
import { Project } from '../../../src/project/project.js';
import { userErrorOf } from '../../support/errors.js';
import { copyFixture, FIXTURES, fixtureWith, read, removeScratchCopies, scratchProject } from '../../support/fixtures.js';

afterAll(removeScratchCopies);

const PNPM = 'pnpm-express-knex-mariadb';
const YARN_CLASSIC = 'yarn-classic-express-knex-postgres';
const YARN_BERRY = 'yarn-berry-express-knex-postgres';
const BUN = 'bun-express-knex-postgres';

/** A scratch project made of `files` (package.json defaults to a minimal one). */
function scratch(files: Record<string, string>): string {
  return scratchProject({ packageJson: { name: 'x' }, files });
}

/** The UserError `fn` throws, checked to be one line that names `file`. */
function userError(fn: () => unknown, file: string): string {
  const message = userErrorOf(fn);
  expect(message).toContain(file);
  return message;
}

describe('which package manager, and which version', () => {
  it.each([
    [PNPM, 'pnpm', 'package.json#packageManager', '10.34.9'],
    [YARN_CLASSIC, 'yarn', 'yarn.lock', undefined],
    [YARN_BERRY, 'yarn', 'package.json#packageManager', '4.18.1'],
    [BUN, 'bun', 'bun.lock', undefined],
    ['express-knex-postgres', 'npm', 'package-lock.json', undefined],
  ])('%s → %s (from %s), version %s', (fixture, manager, source, version) => {
    const facts = detectPackageManager(new Project(path.join(FIXTURES, fixture)));
    expect(facts.manager).toEqual({ value: manager, source });
    expect(facts.version?.value).toBe(version);
    expect(facts.warnings).toEqual([]);
  });

  it('no lockfile and none declared: npm, a default (never a question for --pm)', () => {
    const facts = detectPackageManager(new Project(scratch({})));
    expect(facts.manager).toEqual({ value: 'npm', source: 'default: no lockfile and no package.json#packageManager' });
    const declared = detectPackageManager(new Project(scratchProject({ packageJson: { name: 'x', packageManager: 'pnpm@10.34.9' } })));
    expect(declared.manager).toEqual({ value: 'pnpm', source: 'package.json#packageManager' });
  });

  it("reads Yarn's version from the committed release that .yarnrc.yml's yarnPath names", () => {
    const dir = fixtureWith(YARN_BERRY, (pkg) => delete pkg.packageManager);
    expect(detectPackageManager(new Project(dir)).version).toEqual({ value: '4.18.1', source: '.yarnrc.yml yarnPath' });
  });

  it("reads Yarn 1's version from .yarnrc's yarn-path", () => {
    const dir = scratch({ 'yarn.lock': '# yarn lockfile v1\n', '.yarnrc': 'yarn-path ".yarn/releases/yarn-1.22.19.cjs"\n' });
    expect(detectPackageManager(new Project(dir)).version).toEqual({ value: '1.22.19', source: '.yarnrc yarn-path' });
  });

  it('never takes a lockfile format for a version (pnpm-lock.yaml lockfileVersion, bun.lock)', () => {
    const dir = fixtureWith(PNPM, (pkg) => delete pkg.packageManager);
    expect(detectPackageManager(new Project(dir))).toEqual({ manager: { value: 'pnpm', source: 'pnpm-lock.yaml' }, warnings: [] });
  });

  it('takes devEngines.packageManager when there is no packageManager field, its version only when exact', () => {
    const exact = scratch({ 'package.json': JSON.stringify({ name: 'x', devEngines: { packageManager: { name: 'pnpm', version: '9.15.4' } } }) });
    expect(detectPackageManager(new Project(exact))).toMatchObject({
      manager: { value: 'pnpm', source: 'package.json#devEngines.packageManager' },
      version: { value: '9.15.4' },
    });
    const range = scratch({ 'package.json': JSON.stringify({ name: 'x', devEngines: { packageManager: [{ name: 'bun', version: '^1.2.0' }] } }) });
    const facts = detectPackageManager(new Project(range));
    expect(facts.manager?.value).toBe('bun');
    expect(facts.version).toBeUndefined();
  });

  it('several lockfiles: warns, naming the one that wins (pnpm, bun, yarn, then npm)', () => {
    const dir = scratch({ 'package-lock.json': '{"lockfileVersion":3,"packages":{}}', 'yarn.lock': '# yarn lockfile v1\n' });
    const facts = detectPackageManager(new Project(dir));
    expect(facts.manager).toEqual({ value: 'yarn', source: 'yarn.lock' });
    expect(facts.warnings).toEqual([
      'lockfiles of several package managers (yarn.lock, package-lock.json): yarn.lock wins (yarn); delete the stale ones or set package.json#packageManager',
    ]);

    const all = scratch({ 'package-lock.json': '{}', 'yarn.lock': '', 'bun.lock': '{"lockfileVersion":1}', 'pnpm-lock.yaml': "lockfileVersion: '9.0'\n" });
    expect(detectPackageManager(new Project(all)).manager?.value).toBe('pnpm');
  });

  it('package.json#packageManager wins over lockfiles, with a warning naming the stale ones', () => {
    const dir = copyFixture(YARN_CLASSIC);
    writeFileSync(path.join(dir, 'package-lock.json'), '{"lockfileVersion":3,"packages":{}}');
    const pkg = JSON.parse(read(dir, 'package.json'));
    writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ ...pkg, packageManager: 'yarn@1.22.19' }));
    const facts = detectPackageManager(new Project(dir));
    expect(facts.manager?.value).toBe('yarn');
    expect(facts.version).toEqual({ value: '1.22.19', source: 'package.json#packageManager' });
    expect(facts.warnings).toEqual(['package.json#packageManager says yarn, but package-lock.json also exist: yarn wins; delete the stale lockfile']);
  });

  it('rejects a malformed packageManager field or devEngines name, naming package.json', () => {
    const bad = scratch({ 'package.json': JSON.stringify({ name: 'x', packageManager: 'pnpm@latest' }) });
    userError(() => detectPackageManager(new Project(bad)), `${bad}/package.json`);
    const unknown = scratch({ 'package.json': JSON.stringify({ name: 'x', devEngines: { packageManager: { name: 'deno' } } }) });
    userError(() => detectPackageManager(new Project(unknown)), `${unknown}/package.json`);
  });
});
