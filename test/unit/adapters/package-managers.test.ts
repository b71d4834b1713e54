/**
 * Package managers: which one and which version a project uses, the packages in each lockfile
 * format, one-line errors for broken lockfiles and Yarn Plug'n'Play, and what each puts in the
 * Dockerfile.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { bun, DEFAULT_BUN_VERSION } from '../../src/adapters/package-managers/bun.js';
import { npm } from '../../src/adapters/package-managers/npm.js';
import { pnpm, pnpmPackageName, PNPM_DEFAULT_VERSIONS } from '../../src/adapters/package-managers/pnpm.js';
import { yarn, YARN_BERRY_DEFAULT, YARN_CLASSIC_DEFAULT } from '../../src/adapters/package-managers/yarn.js';
import { detectProject } from '../../src/detect/index.js';
import { detectPackageManager } from '../../src/detect/package-manager.js';
import { Project } from '../../src/project/project.js';
import { UserError } from '../../src/errors.js';
import { runCli } from '../support/cli.js';
import { copyFixture, FIXTURES, read, removeScratchCopies, scratchDir } from '../support/fixtures.js';

afterAll(removeScratchCopies);

const PNPM = 'pnpm-express-knex-mariadb';
const YARN_CLASSIC = 'yarn-classic-express-knex-postgres';
const YARN_BERRY = 'yarn-berry-express-knex-postgres';
const BUN = 'bun-express-knex-postgres';

/** A scratch project made of `files` (package.json defaults to a minimal one). */
function scratch(files: Record<string, string>): string {
  const dir = scratchDir('pm');
  for (const [file, text] of Object.entries({ 'package.json': '{"name":"x"}', ...files })) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), text);
  }
  return dir;
}

/** A scratch copy of a fixture with package.json changed by `edit`. */
function fixtureWith(fixture: string, edit: (pkg: Record<string, unknown>) => void, files: Record<string, string | null> = {}): string {
  const dir = copyFixture(fixture);
  const pkg = JSON.parse(read(dir, 'package.json')) as Record<string, unknown>;
  edit(pkg);
  writeFileSync(path.join(dir, 'package.json'), JSON.stringify(pkg, null, 2));
  for (const [file, text] of Object.entries(files)) {
    if (text === null) rmSync(path.join(dir, file), { recursive: true, force: true });
    else writeFileSync(path.join(dir, file), text);
  }
  return dir;
}

/** The UserError `fn` throws, checked to be one line that names `file`. */
function userError(fn: () => unknown, file: string): string {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(UserError);
    const message = (error as Error).message;
    expect(message).not.toContain('\n');
    expect(message).toContain(file);
    return message;
  }
  throw new Error('expected a UserError');
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

describe('lockedPackages: every package of the lockfile, for native-module detection', () => {
  it.each([
    [PNPM, pnpm, ['express', 'knex', 'mysql2', '@types/node', 'iconv-lite', 'typescript']],
    [YARN_CLASSIC, yarn, ['express', 'knex', 'pg', '@types/node', 'pg-protocol', 'typescript']],
    [YARN_BERRY, yarn, ['express', 'knex', 'pg', '@types/node', 'pg-protocol', 'shipping-api']],
    [BUN, bun, ['express', 'knex', 'pg', '@types/node', 'pg-protocol', 'typescript']],
  ] as const)('%s', (fixture, adapter, expected) => {
    const names = adapter.lockedPackages(new Project(path.join(FIXTURES, fixture)));
    for (const name of expected) expect(names, name).toContain(name);
    expect(names.size).toBeGreaterThan(80);
    for (const name of names) expect(name, name).toMatch(/^(@[a-z0-9._-]+\/)?[a-z0-9._-]+$/);
  });

  it.each([
    ['bcrypt@5.1.1', 9, 'bcrypt'],
    ['@scope/pkg@1.0.0(react@18.2.0)', 9, '@scope/pkg'],
    ['/@types/node@22.10.2', 6, '@types/node'],
    ['/knex@3.1.0(pg@8.13.1)', 6, 'knex'],
    ['/@scope/pkg/1.0.0_react@18.2.0', 5, '@scope/pkg'],
    ['/bcrypt/5.1.1', 5, 'bcrypt'],
  ])('pnpm-lock key %s (lockfile v%i) → %s', (key, major, name) => {
    expect(pnpmPackageName(key, major)).toBe(name);
  });

  it.each([
    [
      'pnpm-lock.yaml',
      "lockfileVersion: '9.0'\nimporters: {}\npackages:\n  bcrypt@5.1.1:\n    resolution: {integrity: sha512-x}\nsnapshots:\n  bcrypt@5.1.1: {}\n",
    ],
    ['pnpm-lock.yaml', "lockfileVersion: '6.0'\npackages:\n  /bcrypt@5.1.1:\n    resolution: {integrity: sha512-x}\n"],
    ['yarn.lock', '# yarn lockfile v1\n\n\nbcrypt@^5.1.1:\n  version "5.1.1"\n  resolved "https://registry.yarnpkg.com/bcrypt/-/bcrypt-5.1.1.tgz"\n'],
    ['yarn.lock', '__metadata:\n  version: 10\n  cacheKey: 10c0\n\n"bcrypt@npm:^5.1.1":\n  version: 5.1.1\n  resolution: "bcrypt@npm:5.1.1"\n'],
    ['bun.lock', '{\n  "lockfileVersion": 1,\n  "packages": {\n    "bcrypt": ["bcrypt@5.1.1", "", {}, "sha512-x"],\n  },\n}\n'],
  ])('a native module in %s puts compilers in the install stages', (lockfile, text) => {
    const dir = scratch({ [lockfile]: text, 'package.json': JSON.stringify({ name: 'x', dependencies: { bcrypt: '^5.1.1' } }) });
    expect(detectProject(dir).nativeModules).toEqual(['bcrypt']);
  });
});

describe('broken lockfiles: one line naming the file and the fix', () => {
  it.each([
    ['pnpm-lock.yaml', 'lockfileVersion: [9.0\n', /invalid YAML/],
    ['pnpm-lock.yaml', 'packages: {}\n', /not a pnpm lockfile.*pnpm install/],
    ['yarn.lock', '# yarn lockfile v1\n\nexpress@^4:\n  version "4.21.2\n', /unterminated string on line 4.*yarn install/],
    ['yarn.lock', '# yarn lockfile v1\n\nexpress@^4:\n  version 4.21.2\n  }\n', /not a readable Yarn lockfile \(Unknown token.*yarn install/],
    [
      'yarn.lock',
      '# yarn lockfile v1\n\n<<<<<<< HEAD\nms@^2:\n  version "2.1.3"\n=======\nms@^2:\n  version "2.1.2"\n>>>>>>> other\n',
      /merge conflict markers/,
    ],
    ['yarn.lock', '__metadata:\n  version: 10\n"ms@npm:^2": [\n', /invalid YAML.*yarn install/],
    ['bun.lock', '{ "lockfileVersion": 1, "packages": { "ms": ["ms@2.1.3"] ', /invalid JSON.*bun install/],
    ['bun.lock', '[]', /not a Bun lockfile/],
    ['bun.lockb', '\u0000bun-lockfile-format-v0\u0000', /binary lockfile.*--save-text-lockfile/],
  ])('%s: %s', (lockfile, text, message) => {
    const dir = scratch({ [lockfile]: text });
    const error = userError(() => detectProject(dir), path.join(dir, lockfile));
    expect(error).toMatch(message);
  });

  it('the CLI exits 2 with that line and writes nothing', async () => {
    const dir = copyFixture(BUN);
    writeFileSync(path.join(dir, 'bun.lock'), '{ "lockfileVersion": 1, ');
    const result = await runCli([dir, '--yes']);
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain(path.join(dir, 'bun.lock'));
    expect(() => read(dir, 'Dockerfile')).toThrow();
  });
});

describe("Yarn Plug'n'Play: a clear error, not a broken image", () => {
  it.each([
    ["no nodeLinker (Plug'n'Play by default)", 'yarnPath: .yarn/releases/yarn-4.18.1.cjs\n', /Plug'n'Play/],
    ['nodeLinker: pnp', 'nodeLinker: pnp\nyarnPath: .yarn/releases/yarn-4.18.1.cjs\n', /nodeLinker: pnp/],
  ])('%s → exit 2 naming .yarnrc.yml and the fix', async (_case, rc, message) => {
    const dir = fixtureWith(YARN_BERRY, () => {}, { '.yarnrc.yml': rc });
    const result = await runCli([dir, '--yes']);
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain(path.join(dir, '.yarnrc.yml'));
    expect(result.stderr).toMatch(message);
    expect(result.stderr).toContain('add "nodeLinker: node-modules"');
  });

  it("a Yarn 4 project without .yarnrc.yml is Plug'n'Play too", () => {
    const dir = fixtureWith(YARN_BERRY, () => {}, { '.yarnrc.yml': null });
    userError(() => yarn.docker(new Project(dir), '4.18.1'), path.join(dir, '.yarnrc.yml'));
  });
});

describe('what each manager puts in the Dockerfile', () => {
  it('npm: the bundled npm, npm ci', () => {
    const docker = npm.docker(new Project(path.join(FIXTURES, 'express-knex-postgres')), undefined);
    expect(docker).toMatchObject({ setup: [], installAll: 'npm ci', installProd: 'npm ci --omit=dev', cacheTarget: '/root/.npm' });
  });

  it('pnpm: the pinned pnpm from npm, a frozen install into the mounted store', () => {
    const docker = pnpm.docker(new Project(path.join(FIXTURES, PNPM)), '10.34.9');
    expect(docker).toMatchObject({
      setup: ['npm install --global pnpm@10.34.9'],
      installFiles: ['package.json', 'pnpm-lock.yaml'],
      cacheTarget: '/root/.local/share/pnpm/store',
      installAll: 'pnpm install --frozen-lockfile --store-dir /root/.local/share/pnpm/store',
      installProd: 'pnpm install --prod --frozen-lockfile --store-dir /root/.local/share/pnpm/store',
      warnings: [],
    });
    expect(docker.runScript).toBe('pnpm run');
  });

  it('pnpm without a pinned version: the default for the lockfile format, with a warning; an unknown format stops', () => {
    const v9 = pnpm.docker(new Project(fixtureWith(PNPM, (pkg) => delete pkg.packageManager)), undefined);
    expect(v9.setup).toEqual([`npm install --global pnpm@${PNPM_DEFAULT_VERSIONS['9']}`]);
    expect(v9.warnings).toEqual([
      `the project pins no pnpm version: the image installs pnpm ${PNPM_DEFAULT_VERSIONS['9']} (the default for lockfileVersion 9.0); pin yours with "packageManager": "pnpm@<version>" in package.json`,
    ]);
    const v6 = pnpm.docker(new Project(scratch({ 'pnpm-lock.yaml': "lockfileVersion: '6.0'\n" })), undefined);
    expect(v6.setup).toEqual(['npm install --global pnpm@8.15.9']);
    const future = scratch({ 'pnpm-lock.yaml': "lockfileVersion: '11.0'\n" });
    expect(userError(() => pnpm.docker(new Project(future), undefined), 'pnpm-lock.yaml')).toMatch(/"packageManager": "pnpm@<version>"/);
  });

  it('pnpm copies .npmrc, pnpm-workspace.yaml and patch directories when the project has them', () => {
    const dir = scratch({
      'package.json': JSON.stringify({ name: 'x', pnpm: { patchedDependencies: { 'ms@2.1.3': 'patches/ms@2.1.3.patch' } } }),
      'pnpm-lock.yaml': "lockfileVersion: '9.0'\n",
      '.npmrc': 'engine-strict=true\n',
      'pnpm-workspace.yaml': 'onlyBuiltDependencies: [bcrypt]\n',
      'patches/ms@2.1.3.patch': '',
    });
    expect(pnpm.docker(new Project(dir), '10.34.9').installFiles).toEqual(['package.json', 'pnpm-lock.yaml', '.npmrc', 'pnpm-workspace.yaml', 'patches']);
  });

  it('Yarn 1 without a pinned version: the last Yarn 1, replacing any bundled yarn, frozen installs', () => {
    const docker = yarn.docker(new Project(path.join(FIXTURES, YARN_CLASSIC)), undefined);
    expect(docker).toMatchObject({
      setup: [`npm install --global --force yarn@${YARN_CLASSIC_DEFAULT}`],
      env: { YARN_CACHE_FOLDER: '/usr/local/share/.cache/yarn' },
      installFiles: ['package.json', 'yarn.lock'],
      cacheTarget: '/usr/local/share/.cache/yarn',
      installAll: 'yarn install --frozen-lockfile',
      installProd: 'yarn install --production --frozen-lockfile',
    });
    expect(docker.warnings).toEqual([
      `the project pins no Yarn version: the image installs Yarn ${YARN_CLASSIC_DEFAULT} (the last Yarn 1 release); pin yours with "packageManager": "yarn@<version>" in package.json`,
    ]);
  });

  it('Yarn 4 with a committed release: runs it with node, nothing to install; --immutable; focus --production', () => {
    const docker = yarn.docker(new Project(path.join(FIXTURES, YARN_BERRY)), '4.18.1');
    expect(docker).toMatchObject({
      setup: [],
      env: { YARN_ENABLE_GLOBAL_CACHE: 'true', YARN_GLOBAL_FOLDER: '/root/.yarn/berry', YARN_ENABLE_TELEMETRY: '0' },
      installFiles: ['package.json', 'yarn.lock', '.yarnrc.yml', '.yarn/releases'],
      cacheTarget: '/root/.yarn/berry/cache',
      installAll: 'node .yarn/releases/yarn-4.18.1.cjs install --immutable',
      installProd: 'node .yarn/releases/yarn-4.18.1.cjs workspaces focus --all --production',
      warnings: [],
    });
    expect(docker.runScript).toBe('node .yarn/releases/yarn-4.18.1.cjs run');
  });

  it('Yarn 2+: a project-local cache and install state stay out of the build context (the image uses the global cache)', async () => {
    const dir = copyFixture(YARN_BERRY);
    expect((await runCli([dir, '--yes'])).code).toBe(0);
    const ignored = read(dir, '.dockerignore').split('\n');
    expect(ignored).toEqual(expect.arrayContaining(['.yarn/cache', '.yarn/install-state.gz', '.pnp.*']));
    expect(ignored).not.toContain('.yarn/releases');
    expect(ignored).not.toContain('.yarn');
  });

  it("Yarn 4 without a committed release: Yarn's npm distribution at the pinned version", () => {
    const dir = fixtureWith(YARN_BERRY, () => {}, { '.yarnrc.yml': 'nodeLinker: node-modules\n', '.yarn': null });
    const docker = yarn.docker(new Project(dir), '4.9.1');
    expect(docker.setup).toEqual(['npm install --global --force @yarnpkg/cli-dist@4.9.1']);
    expect(docker.installAll).toBe('yarn install --immutable');
    expect(docker.installFiles).toEqual(['package.json', 'yarn.lock', '.yarnrc.yml']);
  });

  it('Yarn 2+ without any version: the default only for the lockfile format it writes', () => {
    const dir = fixtureWith(YARN_BERRY, (pkg) => delete pkg.packageManager, { '.yarnrc.yml': 'nodeLinker: node-modules\n', '.yarn': null });
    const docker = yarn.docker(new Project(dir), undefined);
    expect(docker.setup).toEqual([`npm install --global --force @yarnpkg/cli-dist@${YARN_BERRY_DEFAULT}`]);
    expect(docker.warnings[0]).toMatch(/pins no Yarn version/);

    const yarn3Lock = read(dir, 'yarn.lock').replace(/version: 10/, 'version: 6');
    writeFileSync(path.join(dir, 'yarn.lock'), yarn3Lock);
    expect(userError(() => yarn.docker(new Project(dir), undefined), 'yarn.lock')).toMatch(/__metadata\.version 6.*"packageManager": "yarn@<version>"/);
  });

  it('Yarn 2 and 3 need the workspace-tools plugin for the production install', () => {
    const dir = fixtureWith(YARN_BERRY, () => {}, { '.yarnrc.yml': 'nodeLinker: node-modules\n' });
    expect(userError(() => yarn.docker(new Project(dir), '3.8.7'), '.yarnrc.yml')).toMatch(/yarn plugin import workspace-tools/);
    writeFileSync(
      path.join(dir, '.yarnrc.yml'),
      'nodeLinker: node-modules\nplugins:\n  - path: .yarn/plugins/@yarnpkg/plugin-workspace-tools.cjs\n    spec: "@yarnpkg/plugin-workspace-tools"\n',
    );
    mkdirSync(path.join(dir, '.yarn/plugins/@yarnpkg'), { recursive: true });
    writeFileSync(path.join(dir, '.yarn/plugins/@yarnpkg/plugin-workspace-tools.cjs'), '');
    expect(yarn.docker(new Project(dir), '3.8.7').installFiles).toContain('.yarn/plugins');
  });

  it('a yarnPath that is not committed stops, naming .yarnrc.yml', () => {
    const dir = fixtureWith(YARN_BERRY, () => {}, { '.yarn': null });
    expect(userError(() => yarn.docker(new Project(dir), '4.18.1'), '.yarnrc.yml')).toMatch(/git add -f \.yarn\/releases\/yarn-4\.18\.1\.cjs/);
  });

  it('Bun without a pinned version: the default, which reads the lockfile; a newer format stops', () => {
    const docker = bun.docker(new Project(path.join(FIXTURES, BUN)), undefined);
    expect(docker).toMatchObject({
      setup: [`npm install --global bun@${DEFAULT_BUN_VERSION}`],
      env: { BUN_INSTALL_CACHE_DIR: '/root/.bun/install/cache' },
      installFiles: ['package.json', 'bun.lock'],
      cacheTarget: '/root/.bun/install/cache',
      installAll: 'bun install --frozen-lockfile',
      installProd: 'bun install --production --frozen-lockfile',
    });
    expect(docker.warnings[0]).toMatch(new RegExp(`installs Bun ${DEFAULT_BUN_VERSION.replace(/\./g, '\\.')}`));
    expect(bun.docker(new Project(path.join(FIXTURES, BUN)), '1.2.23').setup).toEqual(['npm install --global bun@1.2.23']);
    const future = scratch({ 'bun.lock': '{"lockfileVersion": 3, "packages": {}}' });
    userError(() => bun.docker(new Project(future), undefined), 'bun.lock');
  });

  it.each([PNPM, YARN_CLASSIC, BUN])('%s: the manager is installed in its own stage; runtime and migrate build FROM base, without it', async (fixture) => {
    const dir = copyFixture(fixture);
    const result = await runCli([dir, '--yes', ...(fixture === PNPM ? ['--db', 'mariadb'] : [])]);
    expect(result.code).toBe(0);
    const dockerfile = readFileSync(path.join(dir, 'Dockerfile'), 'utf8');
    const froms = [...dockerfile.matchAll(/^FROM (\S+) AS (\S+)$/gm)].map((m) => `${m[2]} <- ${m[1]}`);
    expect(froms).toEqual(
      expect.arrayContaining(['package-manager <- base', 'deps <- package-manager', 'prod-deps <- package-manager', 'migrate <- base', 'runtime <- base']),
    );
    expect(dockerfile).toMatch(/^FROM base AS package-manager\nRUN --mount=type=cache,target=\/root\/\.npm \\\n {4}npm install --global /m);
  });

  it('npm pinned by packageManager: installed the same way, in the package-manager stage', async () => {
    const dir = fixtureWith('express-knex-postgres', (pkg) => (pkg.packageManager = 'npm@10.9.2'));
    expect((await runCli([dir, '--yes'])).code).toBe(0);
    const dockerfile = read(dir, 'Dockerfile');
    expect(dockerfile).toMatch(/^FROM base AS package-manager\nRUN --mount=type=cache,target=\/root\/\.npm \\\n {4}npm install --global npm@10\.9\.2$/m);
    expect(dockerfile).toMatch(/^FROM package-manager AS deps$/m);
  });

  it('the default-version warning reaches the user', async () => {
    const result = await runCli([copyFixture(YARN_CLASSIC), '--yes']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`warning the project pins no Yarn version: the image installs Yarn ${YARN_CLASSIC_DEFAULT}`);
  });
});
