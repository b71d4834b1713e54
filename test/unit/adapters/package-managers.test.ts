/**
 * Package managers: the packages in each lockfile format, one-line errors for broken lockfiles and
 * Yarn Plug'n'Play, and what each puts in the Dockerfile.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { bun, DEFAULT_BUN_VERSION } from '../../../src/adapters/package-managers/bun.js';
import { npm } from '../../../src/adapters/package-managers/npm.js';
import { pnpm, pnpmPackageName, PNPM_DEFAULT_VERSIONS } from '../../../src/adapters/package-managers/pnpm.js';
import { yarn, YARN_BERRY_DEFAULT, YARN_CLASSIC_DEFAULT } from '../../../src/adapters/package-managers/yarn.js';
import { detectProject } from '../../../src/detect/index.js';
import { Project } from '../../../src/project/project.js';
import { rejectionOf, userErrorOf } from '../../support/errors.js';
import { FIXTURES, fixtureWith, read, removeScratchCopies, scratchProject } from '../../support/fixtures.js';
import { planFor, renderedFor } from '../../support/pipeline.js';

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
});

describe("Yarn Plug'n'Play: a clear error, not a broken image", () => {
  it.each([
    ["no nodeLinker (Plug'n'Play by default)", 'yarnPath: .yarn/releases/yarn-4.18.1.cjs\n', /Plug'n'Play/],
    ['nodeLinker: pnp', 'nodeLinker: pnp\nyarnPath: .yarn/releases/yarn-4.18.1.cjs\n', /nodeLinker: pnp/],
  ])('%s → exit 2 naming .yarnrc.yml and the fix', async (_case, rc, message) => {
    const dir = fixtureWith(YARN_BERRY, () => {}, { '.yarnrc.yml': rc });
    const error = await rejectionOf(planFor(dir));
    expect(error).toContain(path.join(dir, '.yarnrc.yml'));
    expect(error).toMatch(message);
    expect(error).toContain('add "nodeLinker: node-modules"');
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
    const { file } = await renderedFor(path.join(FIXTURES, YARN_BERRY));
    const ignored = file('.dockerignore').split('\n');
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
    const { file } = await renderedFor(path.join(FIXTURES, fixture), fixture === PNPM ? { database: 'mariadb' } : {});
    const dockerfile = file('Dockerfile');
    const froms = [...dockerfile.matchAll(/^FROM (\S+) AS (\S+)$/gm)].map((m) => `${m[2]} <- ${m[1]}`);
    expect(froms).toEqual(
      expect.arrayContaining(['package-manager <- base', 'deps <- package-manager', 'prod-deps <- package-manager', 'migrate <- base', 'runtime <- base']),
    );
    expect(dockerfile).toMatch(/^FROM base AS package-manager\nRUN --mount=type=cache,target=\/root\/\.npm \\\n {4}npm install --global /m);
  });

  it('npm pinned by packageManager: installed the same way, in the package-manager stage', async () => {
    const dir = fixtureWith('express-knex-postgres', (pkg) => (pkg.packageManager = 'npm@10.9.2'));
    const dockerfile = (await renderedFor(dir)).file('Dockerfile');
    expect(dockerfile).toMatch(/^FROM base AS package-manager\nRUN --mount=type=cache,target=\/root\/\.npm \\\n {4}npm install --global npm@10\.9\.2$/m);
    expect(dockerfile).toMatch(/^FROM package-manager AS deps$/m);
  });
});

describe('no lockfile: not a dead end, a non-frozen install with one warning saying what to commit', () => {
  const noLock = () => scratch({ 'package.json': JSON.stringify({ name: 'x', dependencies: { express: '^4.21.2' } }) });

  it.each([
    [npm, undefined, 'npm install', 'npm install --omit=dev', 'run npm install and commit package-lock.json'],
    [
      pnpm,
      '10.34.9',
      'pnpm install --no-frozen-lockfile --store-dir /root/.local/share/pnpm/store',
      'pnpm install --prod --no-frozen-lockfile --store-dir /root/.local/share/pnpm/store',
      'run pnpm install and commit pnpm-lock.yaml',
    ],
    [yarn, '1.22.22', 'yarn install', 'yarn install --production', 'run yarn install and commit yarn.lock'],
    [bun, '1.4.5', 'bun install', 'bun install --production', 'run bun install and commit bun.lock'],
  ] as const)('%s', (adapter, version, installAll, installProd, fix) => {
    const docker = adapter.docker(new Project(noLock()), version);
    expect(docker).toMatchObject({ installAll, installProd, unlocked: true });
    expect(docker.installFiles).toEqual(['package.json']);
    expect(docker.warnings.filter((warning) => warning.startsWith('no lockfile'))).toEqual([
      expect.stringMatching(new RegExp(`^no lockfile: the image installs with ${adapter.id} install, so builds aren't reproducible .*: ${fix}$`)),
    ]);
  });

  it('Yarn 2+: install --no-immutable', () => {
    const dir = scratch({ 'package.json': JSON.stringify({ name: 'x' }), '.yarnrc.yml': 'nodeLinker: node-modules\n' });
    const docker = yarn.docker(new Project(dir), '4.18.1');
    expect(docker.installAll).toBe('yarn install --no-immutable');
    expect(docker.installFiles).toEqual(['package.json', '.yarnrc.yml']);
  });

  it('pnpm unpinned: the newest line, saying there is no lockfile', () => {
    expect(pnpm.docker(new Project(noLock()), undefined).warnings[0]).toMatch(/installs pnpm 10\.34\.9 \(the newest line: there is no lockfile\)/);
  });

  it('the plan installs with npm, and the production dependencies are pruned from the full install so both have the same versions', async () => {
    const dir = fixtureWith('express-knex-postgres', () => {}, { 'package-lock.json': null });
    const { plan, file } = await renderedFor(dir);
    expect(plan.answers.packageManager).toBe('npm');
    expect(plan.install.installAll).toBe('npm install');
    expect(plan.install.pruneToProduction).toBe('npm prune --omit=dev');
    expect(plan.warnings).toContainEqual(expect.stringMatching(/^no lockfile: .*run npm install and commit package-lock\.json$/));
    expect(file('Dockerfile')).toContain('COPY package.json ./\n');
  });
});
