/**
 * `plugin install|uninstall`: the Docker CLI plugin shim, run as docker runs it (the docker CLI
 * itself runs it in test/e2e/package.test.ts), in a scratch DOCKER_CONFIG.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { copyFixture, read, REPO_ROOT, removeScratchCopies, scratchDir } from '../support/fixtures.js';

afterAll(removeScratchCopies);

const BIN = path.join(REPO_ROOT, 'bin/create-migrating-stack.js');
const VERSION = (JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string }).version;

function run(command: string, args: string[], dockerConfig: string) {
  const result = spawnSync(command, args, { encoding: 'utf8', env: { ...process.env, DOCKER_CONFIG: dockerConfig, NO_COLOR: '1' } });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('the Docker CLI plugin', () => {
  it('plugin install writes docker-migratingstack, which answers the metadata and runs the tool; uninstall removes it', () => {
    const config = scratchDir('docker-config');
    const install = run('node', [BIN, 'plugin', 'install'], config);
    expect(install.stderr).toBe('');
    expect(install.code).toBe(0);
    const shim = path.join(config, 'cli-plugins/docker-migratingstack');
    expect(install.stdout).toContain(`installed ${shim} (create-migrating-stack ${VERSION})`);
    expect(statSync(shim).mode & 0o111).toBe(0o111);

    // Docker's protocol: JSON metadata on `docker-cli-plugin-metadata`, and nothing else.
    const metadata = run(shim, ['docker-cli-plugin-metadata'], config);
    expect(metadata.code).toBe(0);
    expect(JSON.parse(metadata.stdout)).toEqual({
      SchemaVersion: '0.1.0',
      Vendor: 'create-migrating-stack',
      Version: VERSION,
      ShortDescription: expect.any(String) as string,
      URL: 'https://www.npmjs.com/package/create-migrating-stack',
    });

    // Then `docker-<name> [docker's global options] <name> [args]`.
    const version = run(shim, ['--debug', '-H', 'unix:///var/run/docker.sock', 'migratingstack', '--version'], config);
    expect(version.stdout.trim()).toBe(VERSION);
    const help = run(shim, ['migratingstack', '--help'], config);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: docker migratingstack [options] [command] [dir]');

    // It runs its own copy of the tool: generating works.
    const dir = copyFixture('express-knex-postgres');
    const generated = run(shim, ['migratingstack', dir, '--yes'], config);
    expect(generated.stderr).toBe('');
    expect(generated.code).toBe(0);
    expect(read(dir, 'compose.yaml')).toContain('service_completed_successfully');

    const uninstall = run('node', [BIN, 'plugin', 'uninstall'], config);
    expect(uninstall.code).toBe(0);
    expect(existsSync(shim)).toBe(false);
    expect(existsSync(path.join(config, 'cli-plugins/create-migrating-stack'))).toBe(false);
  });

  it('leaves a docker-migratingstack it did not write alone: exit 2, naming it', () => {
    const config = scratchDir('docker-config');
    expect(run('node', [BIN, 'plugin', 'install'], config).code).toBe(0);
    const shim = path.join(config, 'cli-plugins/docker-migratingstack');
    writeFileSync(shim, '#!/bin/sh\necho someone else\n');
    const again = run('node', [BIN, 'plugin', 'install'], config);
    expect(again.code).toBe(2);
    expect(again.stderr.trim()).toBe(`create-migrating-stack: ${shim}: exists and was not written by create-migrating-stack: remove it first`);
    expect(readFileSync(shim, 'utf8')).toContain('someone else');
  });
});
