/**
 * What the CI pipeline end-to-end tests share: a generated project in a git repository (named
 * uniquely, so that its compose projects and images are its own), the deploy host's database
 * already up (the stack's own `db`, which the ci strategy's pipeline migrates), the deploy host's
 * .env, the stand-in for `npx create-migrating-stack@<version>` (that version isn't on npm: it
 * runs this checkout), queries of the database, and the cleanup of everything created.
 */
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { expect } from 'vitest';
import { runCommand } from '../../../src/verify/compose.js';
import { freePort } from '../../../src/verify/measure.js';
import { runCli } from '../../support/cli.js';
import { copyFixture, REPO_ROOT, scratchDir } from '../../support/fixtures.js';

export const TOOL_VERSION = (JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string }).version;

export interface CiProject {
  dir: string;
  /** package.json name: the deploy's compose project; the test stack is `<name>-ci`. */
  name: string;
  /** The images the pipeline builds: `<image>` and `<image>-migrate`. */
  imageRepository: string;
  /** The deploy host's .env (DEPLOY_ENV_FILE). */
  envFile: string;
  /** PATH with the npx stand-in first. */
  path: string;
  /** Host ports for the test stack and the deployed app. */
  testPort: number;
  deployPort: number;
  /** The database URL as the migrate container sees it on the deploy stack's network. */
  databaseUrl: string;
  /** The deploy stack's internal network (MIGRATE_NETWORK). */
  network: string;
}

const git = (dir: string, ...args: string[]) => runCommand('git', ['-c', 'user.name=ci-test', '-c', 'user.email=ci-test@example.com', ...args], { cwd: dir });

export async function commitAll(dir: string, message: string): Promise<void> {
  expect((await git(dir, 'add', '-A')).code).toBe(0);
  const commit = await git(dir, 'commit', '-qm', message);
  expect(commit.code, commit.stderr).toBe(0);
}

/** A copy of express-knex-postgres with a unique name, generated with these flags, committed. */
export async function ciProject(platform: 'github' | 'gitlab', flags: string[]): Promise<CiProject> {
  const suffix = randomBytes(3).toString('hex');
  const name = `cms-ci-${platform}-${suffix}`;
  const dir = copyFixture('express-knex-postgres');
  const pkgFile = path.join(dir, 'package.json');
  writeFileSync(pkgFile, JSON.stringify({ ...JSON.parse(readFileSync(pkgFile, 'utf8')), name }, null, 2));
  // What the pipeline's jobs leave in the project directory (the runner's checkout), ignored before
  // generating: .dockerignore follows .gitignore.
  writeFileSync(path.join(dir, '.gitignore'), `${readFileSync(path.join(dir, '.gitignore'), 'utf8')}images.tar\nbackups/\n`);
  const generated = await runCli([dir, '--yes', '--ci', platform, ...flags]);
  expect(generated.stderr).toBe('');
  expect(generated.code).toBe(0);
  expect((await runCommand('git', ['init', '-q', '-b', 'main'], { cwd: dir })).code).toBe(0);
  await commitAll(dir, 'generated');

  const testPort = await freePort();
  const deployPort = await freePort();
  const password = randomBytes(12).toString('hex');
  const envFile = path.join(scratchDir('ci-env'), 'deploy.env');
  writeFileSync(envFile, `POSTGRES_USER=app\nPOSTGRES_PASSWORD=${password}\nPOSTGRES_DB=app\nAPP_PORT=${deployPort}\n`);

  // npx create-migrating-stack@<this version> runs this checkout's CLI; any other npx call is npx's.
  const shims = scratchDir('ci-shims');
  const realNpx = (await runCommand('sh', ['-c', 'command -v npx'])).stdout.trim();
  writeFileSync(
    path.join(shims, 'npx'),
    [
      '#!/bin/sh',
      `if [ "$1" = --yes ] && [ "$2" = "create-migrating-stack@${TOOL_VERSION}" ]; then`,
      '  shift 2',
      `  exec node ${JSON.stringify(path.join(REPO_ROOT, 'bin/create-migrating-stack.js'))} "$@"`,
      'fi',
      `exec ${realNpx} "$@"`,
      '',
    ].join('\n'),
  );
  chmodSync(path.join(shims, 'npx'), 0o755);

  return {
    dir,
    name,
    // GitHub: ghcr.io/<owner>/<repository>, lowercased by the workflow (the test's owner is Lab).
    imageRepository: platform === 'github' ? `ghcr.io/lab/${name}` : `${name}-image`,
    envFile,
    path: `${shims}:${process.env.PATH ?? ''}`,
    testPort,
    deployPort,
    databaseUrl: `postgres://app:${password}@db:5432/app`,
    network: `${name}_backend`,
  };
}

/** The deploy stack's compose command (the deploy host is this engine). */
export function deployCompose(project: CiProject, ...args: string[]) {
  return runCommand('docker', ['compose', '-p', project.name, '--env-file', project.envFile, '-f', 'compose.yaml', ...args], {
    cwd: project.dir,
    timeoutMs: 5 * 60_000,
  });
}

/**
 * The deploy host's database, up before the first pipeline as an operator would start it: the ci
 * strategy's pipeline migrates it, from a runner on that host (MIGRATE_NETWORK = the stack's network).
 */
export async function startDeployDatabase(project: CiProject): Promise<void> {
  const up = await deployCompose(project, 'up', '--detach', '--wait', 'db');
  expect(up.code, up.stderr).toBe(0);
}

/** One value of a query on the deploy stack's database. */
export async function query(project: CiProject, sql: string): Promise<string> {
  const result = await runCommand('docker', ['exec', `${project.name}-db-1`, 'psql', '-U', 'app', '-d', 'app', '-tAc', sql]);
  expect(result.code, result.stderr).toBe(0);
  return result.stdout.trim();
}

/** Removes both compose projects (containers, networks, volumes) and every image of the project. */
export async function removeCiProject(project: CiProject | undefined): Promise<void> {
  if (!project) return;
  for (const name of [project.name, `${project.name}-ci`]) {
    await runCommand('docker', ['compose', '-p', name, '--env-file', project.envFile, '-f', 'compose.yaml', 'down', '--volumes', '--remove-orphans'], {
      cwd: project.dir,
    });
  }
  const images = await runCommand('docker', ['image', 'ls', '--format', '{{.Repository}}:{{.Tag}}', project.imageRepository]);
  const tags = images.stdout.split('\n').filter(Boolean);
  if (tags.length > 0) await runCommand('docker', ['image', 'rm', '--force', ...tags]);
  // Containers the pipeline names (the backup's) end with it; left over only if a test was interrupted.
  await runCommand('docker', ['image', 'prune', '--force', '--filter', `label=com.docker.compose.project=${project.name}`]);
}

/** A migration that fails on the deploy host's data (a NOT NULL column without a default on a table with rows), not on an empty database. */
export function addMigrationFailingOnData(dir: string): void {
  writeFileSync(
    path.join(dir, 'migrations/20240401090000_customers_tier.js'),
    "exports.up = (knex) => knex.schema.alterTable('customers', (table) => table.text('tier').notNullable());\nexports.down = (knex) => knex.schema.alterTable('customers', (table) => table.dropColumn('tier'));\n",
  );
}

/** Seconds, for the log. */
export const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
