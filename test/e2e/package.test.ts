/**
 * The published package as a user gets it: `npm pack`, installed into a scratch folder with an empty
 * npm cache and no registry (--offline: it has no dependencies to fetch), then run as
 * `npx create-migrating-stack@<version>`, `npm init migrating-stack` and `npm exec` of the tarball
 * alone; installed from there as the Docker CLI plugin, which the real docker CLI lists and runs
 * (`docker migratingstack --help`, `docker migratingstack verify` on the generated example).
 */
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { runCommand } from '../../src/verify/compose.js';
import { FIXTURES, read, REPO_ROOT, removeScratchCopies, scratchDir } from '../support/fixtures.js';

afterAll(removeScratchCopies);

const VERSION = (JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
const EXAMPLE = 'express-knex-postgres';

describe.skipIf(!inject('dockerLab'))('the packed package', () => {
  let tarball: string;
  let packed: string[];
  let project: string;
  /** npm in the scratch project, with a cache of its own (empty at first) and no registry. */
  let npm: (args: string[], cache?: string) => ReturnType<typeof runCommand>;
  /** The docker CLI with a DOCKER_CONFIG of its own: the real ~/.docker never sees the plugin. */
  let docker: (args: string[]) => ReturnType<typeof runCommand>;

  /** The example project (bin/example.js's), copied into the scratch folder. */
  function example(name: string): string {
    const dir = path.join(project, name);
    cpSync(path.join(FIXTURES, EXAMPLE), dir, { recursive: true, filter: (source) => !/[\\/](node_modules|dist)([\\/]|$)/.test(source) });
    return dir;
  }

  beforeAll(async () => {
    const work = scratchDir('package');
    const cache = path.join(work, 'npm-cache');
    const dockerConfig = path.join(work, 'docker-config');
    npm = (args, ownCache = cache) =>
      runCommand('npm', ['--cache', ownCache, '--offline', '--no-audit', '--no-fund', '--no-update-notifier', ...args], {
        cwd: project,
        env: { DOCKER_CONFIG: dockerConfig, NO_COLOR: '1' },
        timeoutMs: 5 * 60_000,
      });
    docker = (args) => runCommand('docker', args, { cwd: project, env: { DOCKER_CONFIG: dockerConfig }, timeoutMs: 10 * 60_000 });

    // bundle/ is built by the layer's global setup: packing runs no script (prepack would rebuild it
    // under the other suites' feet).
    const pack = await runCommand('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', work], { cwd: REPO_ROOT, timeoutMs: 2 * 60_000 });
    expect(pack.stderr).toBe('');
    expect(pack.code).toBe(0);
    const [manifest] = JSON.parse(pack.stdout) as { filename: string; files: { path: string }[] }[];
    tarball = path.join(work, manifest!.filename);
    packed = manifest!.files.map((file) => file.path).sort();

    project = path.join(work, 'project');
    mkdirSync(project);
    writeFileSync(path.join(project, 'package.json'), `${JSON.stringify({ name: 'scratch', private: true }, null, 2)}\n`);
    const install = await npm(['install', tarball]);
    expect(install.stderr).toBe('');
    expect(install.code).toBe(0);
  });

  it('holds only what runs: the bin, the bundle, the answers schema (and the licence and README)', () => {
    expect(packed.filter((file) => !file.startsWith('bundle/'))).toEqual([
      'LICENSE',
      'README.md',
      'bin/create-migrating-stack.js',
      'package.json',
      'schema/migrating-stack.schema.json',
    ]);
    expect(packed).toContain('bundle/cli.js');
    expect(packed).toContain('bundle/sql-wasm.wasm');
  });

  it('installs alone, from an empty cache without the registry, with no install script', () => {
    expect(readdirSync(path.join(project, 'node_modules')).sort()).toEqual(['.bin', '.package-lock.json', 'create-migrating-stack']);
    const lock = JSON.parse(read(project, 'package-lock.json')) as { packages: Record<string, { hasInstallScript?: boolean }> };
    expect(Object.keys(lock.packages).sort()).toEqual(['', 'node_modules/create-migrating-stack']);
    expect(lock.packages['node_modules/create-migrating-stack']!.hasInstallScript).toBeUndefined();
    const manifest = JSON.parse(read(project, 'node_modules/create-migrating-stack/package.json')) as Record<string, Record<string, string> | undefined>;
    expect(manifest.dependencies).toBeUndefined();
    for (const script of ['preinstall', 'install', 'postinstall', 'prepare']) expect(manifest.scripts?.[script], script).toBeUndefined();
  });

  it('npx create-migrating-stack@<version> and npm init migrating-stack generate the example', async () => {
    const byNpx = example('by-npx');
    const npx = await npm(['exec', '--', `create-migrating-stack@${VERSION}`, byNpx, '--yes']);
    expect(npx.stderr).toBe('');
    expect(npx.code).toBe(0);
    expect(npx.stdout).toMatch(/created\s+compose\.yaml/);

    const byInit = example('by-init');
    const init = await npm(['init', 'migrating-stack', '--', byInit, '--yes']);
    expect(init.code).toBe(0);
    expect(init.stdout).toMatch(/created\s+compose\.yaml/);
    for (const file of ['Dockerfile', 'compose.yaml', 'docker-entrypoint.sh', 'docker-migrate.mjs', 'migrating-stack.json']) {
      expect(read(byInit, file), file).toBe(read(byNpx, file));
    }
  });

  it('npm exec of the tarball alone runs it, with nothing else to fetch', async () => {
    const result = await npm(['exec', '--yes', `--package=${tarball}`, '--', 'create-migrating-stack', '--version'], scratchDir('npm-cache'));
    expect(result.code).toBe(0);
    expect(result.stdout.trim()).toBe(VERSION);
  });

  it('as a Docker CLI plugin: docker info lists it, docker migratingstack --help and verify run it', async () => {
    const install = await npm(['exec', '--', 'create-migrating-stack', 'plugin', 'install']);
    expect(install.stderr).toBe('');
    expect(install.code).toBe(0);

    const info = await docker(['info', '--format', '{{json .ClientInfo.Plugins}}']);
    const plugins = JSON.parse(info.stdout) as { Name: string; Version: string; Vendor: string; Path: string }[];
    const plugin = plugins.find((candidate) => candidate.Name === 'migratingstack');
    expect(plugin, info.stdout).toMatchObject({ Version: VERSION, Vendor: 'create-migrating-stack' });
    expect(existsSync(plugin!.Path)).toBe(true);

    const help = await docker(['migratingstack', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: docker migratingstack [options] [command] [dir]');

    const dir = example('verified');
    expect((await docker(['migratingstack', dir, '--yes'])).code).toBe(0);
    const verify = await docker(['migratingstack', 'verify', dir]);
    expect(verify.stderr).toBe('');
    expect(verify.stdout).toMatch(/verified: \d+ checks passed/);
    expect(verify.code).toBe(0);
  });
});
