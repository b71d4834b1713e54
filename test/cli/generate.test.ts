/**
 * The CLI run in-process (runCli) through the whole pipeline onto scratch copies of the fixtures:
 * flags, exit codes, the status of each file, what is written and what is kept, --dry-run and
 * --check, and the one-line errors for bad input.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { YARN_CLASSIC_DEFAULT } from '../../src/adapters/package-managers/yarn.js';
import { ANSWERS_FILE } from '../../src/plan/saved-answers.js';
import { runCli, type CliRun } from '../support/cli.js';
import { copyFixture, listFiles, read, removeScratchCopies } from '../support/fixtures.js';

const FIXTURE = 'express-knex-postgres';
const GENERATED = ['Dockerfile', '.dockerignore', 'docker-entrypoint.sh', 'docker-migrate.mjs', 'compose.yaml', '.env.example', ANSWERS_FILE];

afterAll(removeScratchCopies);

function statusLines(stdout: string): Record<string, string> {
  const statuses: Record<string, string> = {};
  for (const match of stdout.matchAll(/^ {2}(would be \w+|\w+)\s+(\S+)$/gm)) statuses[match[2]!] = match[1]!;
  return statuses;
}

describe('generate with --yes', () => {
  it('writes every file, reports each as created, and saves the answers', async () => {
    const dir = copyFixture(FIXTURE);
    const result = await runCli([dir, '--yes']);
    expect(result.code).toBe(0);
    expect(statusLines(result.stdout)).toEqual({
      Dockerfile: 'created',
      '.dockerignore': 'created',
      'docker-entrypoint.sh': 'created',
      'docker-migrate.mjs': 'created',
      'compose.yaml': 'created',
      '.env.example': 'updated', // the project's own, with our block appended
      [ANSWERS_FILE]: 'created',
    });
    const saved = JSON.parse(read(dir, ANSWERS_FILE));
    expect(saved.answers).toEqual({
      packageManager: 'npm',
      node: 22,
      nodeImage: null,
      dockerfile: 'Dockerfile',
      framework: 'node',
      start: 'node dist/server.js',
      port: 3000,
      healthPath: '/health',
      orm: 'knex',
      ormConfig: null,
      database: 'postgres',
      databaseImage: 'postgres:15',
      databaseUrlVariable: 'DATABASE_URL',
      strategy: 'compose',
      backup: false,
      swarm: false,
      ci: 'none',
    });
    expect(Object.keys(saved.files).sort()).toEqual(GENERATED.filter((f) => f !== ANSWERS_FILE).sort());
  });

  it('keeps the project .env.example lines and never touches .env', async () => {
    const dir = copyFixture(FIXTURE);
    writeFileSync(path.join(dir, '.env'), 'SECRET=mine\n');
    const original = read(dir, '.env.example');
    await runCli([dir, '--yes']);
    expect(read(dir, '.env')).toBe('SECRET=mine\n');
    const example = read(dir, '.env.example');
    expect(example.startsWith(original.trimEnd())).toBe(true);
    expect(example).toMatch(/^POSTGRES_PASSWORD=change-me$/m);
  });

  it('changes nothing on a re-run: every file identical, bytes unchanged', async () => {
    const dir = copyFixture(FIXTURE);
    await runCli([dir, '--yes']);
    const before = Object.fromEntries(GENERATED.map((file) => [file, read(dir, file)]));
    const again = await runCli([dir, '--yes']);
    expect(again.code).toBe(0);
    expect(new Set(Object.values(statusLines(again.stdout)))).toEqual(new Set(['identical']));
    for (const file of GENERATED) expect(read(dir, file)).toBe(before[file]);
  });

  it('regenerates byte-identical files from the saved answers in another checkout', async () => {
    const first = copyFixture(FIXTURE);
    await runCli([first, '--yes', '--port', '3000', '--db-image', 'postgres:15']);
    const second = copyFixture(FIXTURE);
    writeFileSync(path.join(second, ANSWERS_FILE), read(first, ANSWERS_FILE));
    await runCli([second, '--yes']);
    for (const file of GENERATED) expect(read(second, file), file).toBe(read(first, file));
  });
});

describe('flags', () => {
  it('override detection and are saved', async () => {
    const dir = copyFixture(FIXTURE);
    const result = await runCli([dir, '--yes', '--node', '24', '--port', '8080', '--db-image', 'postgres:16-bookworm', '--health-path', '/healthz']);
    expect(result.code).toBe(0);
    expect(read(dir, 'Dockerfile')).toMatch(/^FROM node:24-bookworm-slim AS base$/m);
    expect(read(dir, 'compose.yaml')).toMatch(/image: postgres:16-bookworm/);
    expect(read(dir, 'compose.yaml')).toContain('"${APP_PORT:-8080}:8080"');
    expect(JSON.parse(read(dir, ANSWERS_FILE)).answers).toMatchObject({ node: 24, port: 8080, healthPath: '/healthz' });
  });

  it('--node-image replaces the base image, is saved, and "default" takes it back', async () => {
    const dir = copyFixture(FIXTURE);
    expect((await runCli([dir, '--yes', '--node-image', 'registry.example.com/mirror/node:22.12.0-bookworm-slim'])).code).toBe(0);
    expect(read(dir, 'Dockerfile')).toMatch(/^FROM registry\.example\.com\/mirror\/node:22\.12\.0-bookworm-slim AS base$/m);
    expect(JSON.parse(read(dir, ANSWERS_FILE)).answers.nodeImage).toBe('registry.example.com/mirror/node:22.12.0-bookworm-slim');
    expect((await runCli([dir, '--yes'])).code).toBe(0);
    expect(read(dir, 'Dockerfile')).toMatch(/^FROM registry\.example\.com\/mirror\/node:22\.12\.0-bookworm-slim AS base$/m);
    expect((await runCli([dir, '--yes', '--node-image', 'default'])).code).toBe(0);
    expect(read(dir, 'Dockerfile')).toMatch(/^FROM node:22-bookworm-slim AS base$/m);
    expect((await runCli([dir, '--yes', '--node-image', 'Node:Latest'])).stderr).toMatch(/--node-image: "Node:Latest" is not an image reference/);
  });

  it('saved answers win over detection on the next run, with a note', async () => {
    const dir = copyFixture(FIXTURE);
    await runCli([dir, '--yes', '--node', '20']);
    const again = await runCli([dir, '--yes']);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/node: keeping 20 from migrating-stack\.json although \.nvmrc now says 22 \(pass --node 22 to change it\)/);
    expect(read(dir, 'Dockerfile')).toMatch(/FROM node:20-bookworm-slim/);
  });

  it.each([
    [['--db', 'oracle'], /--db: "oracle" is not one of postgres, mariadb, mysql, sqlite/],
    [['--port', '70000'], /--port: "70000" must be a whole number from 1 to 65535/],
    [['--orm', 'hibernate'], /--orm: "hibernate" is not one of/],
    [['--db-image', 'Not An Image'], /--db-image: "Not An Image" is not an image reference/],
    [['--start', 'node a.js && node b.js'], /--start: .* must be a single command/],
  ])('%s is bad input: exit 2, one line, nothing written', async (flags, message) => {
    const dir = copyFixture(FIXTURE);
    const before = listFiles(dir);
    const result = await runCli([dir, '--yes', ...flags]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr.split('\n')).toHaveLength(1);
    expect(listFiles(dir)).toEqual(before);
  });

  it('--swarm is saved, and --no-swarm takes it back; the files stay until removed by hand (the generator never deletes)', async () => {
    const dir = copyFixture(FIXTURE);
    expect((await runCli([dir, '--yes', '--swarm'])).code).toBe(0);
    expect(JSON.parse(read(dir, ANSWERS_FILE)).answers.swarm).toBe(true);
    const off = await runCli([dir, '--yes', '--no-swarm']);
    expect(off.code).toBe(0);
    expect(JSON.parse(read(dir, ANSWERS_FILE)).answers.swarm).toBe(false);
    expect(existsSync(path.join(dir, 'stack.yaml'))).toBe(true);
  });

  it('an unknown flag is bad input (exit 2)', async () => {
    const result = await runCli(['.', '--frobnicate']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/unknown option '--frobnicate'/);
  });
});

describe('regenerating safely', () => {
  it('a user-edited Dockerfile is a conflict: kept, and nothing else written either (the files only work together), exit 1', async () => {
    const dir = copyFixture(FIXTURE);
    await runCli([dir, '--yes']);
    const edited = `${read(dir, 'Dockerfile')}\n# my change\n`;
    writeFileSync(path.join(dir, 'Dockerfile'), edited);
    const compose = read(dir, 'compose.yaml');
    // A change of answer makes every file differ from what is on disk.
    const result = await runCli([dir, '--yes', '--port', '4000']);
    expect(result.code).toBe(1);
    expect(statusLines(result.stdout)).toMatchObject({ Dockerfile: 'conflict', 'compose.yaml': 'would be updated' });
    expect(result.stdout).toMatch(/conflict Dockerfile: changed by hand since generated: kept/);
    expect(result.stdout).toMatch(/nothing was written, because the generated files only work together: .*merge them by hand .* or pass --force/);
    expect(read(dir, 'Dockerfile')).toBe(edited);
    expect(read(dir, 'compose.yaml')).toBe(compose);
  });

  it('keeps reporting the conflict on later runs until --force overwrites it', async () => {
    const dir = copyFixture(FIXTURE);
    await runCli([dir, '--yes']);
    writeFileSync(path.join(dir, 'Dockerfile'), 'FROM scratch\n');
    expect((await runCli([dir, '--yes'])).code).toBe(1);
    expect(statusLines((await runCli([dir, '--yes'])).stdout).Dockerfile).toBe('conflict');
    const forced = await runCli([dir, '--yes', '--force']);
    expect(forced.code).toBe(0);
    expect(statusLines(forced.stdout).Dockerfile).toBe('overwritten');
    expect(read(dir, 'Dockerfile')).toMatch(/AS runtime/);
    expect(statusLines((await runCli([dir, '--yes'])).stdout).Dockerfile).toBe('identical');
  });

  it('leaves a Dockerfile and .dockerignore it did not write alone: the generated ones go beside them, and later runs keep that', async () => {
    const dir = copyFixture(FIXTURE);
    writeFileSync(path.join(dir, 'Dockerfile'), 'FROM node:22\n');
    writeFileSync(path.join(dir, '.dockerignore'), 'node_modules\n');
    const result = await runCli([dir, '--yes']);
    expect(result.code).toBe(0);
    expect(statusLines(result.stdout)).toMatchObject({
      'Dockerfile.migrating-stack': 'created',
      'Dockerfile.migrating-stack.dockerignore': 'created',
      'compose.yaml': 'created',
    });
    expect(result.stdout).toMatch(
      /note Dockerfile is your own .* the generated one is Dockerfile\.migrating-stack, with Dockerfile\.migrating-stack\.dockerignore, and compose\.yaml builds from it/,
    );
    expect(read(dir, 'Dockerfile')).toBe('FROM node:22\n');
    expect(read(dir, '.dockerignore')).toBe('node_modules\n');
    expect(read(dir, 'compose.yaml')).toMatch(/build:\n\s+context: "\."\n\s+dockerfile: Dockerfile\.migrating-stack\n\s+target: migrate/);
    expect(read(dir, 'Dockerfile.migrating-stack.dockerignore')).toMatch(/^Dockerfile\.migrating-stack$/m);
    expect(JSON.parse(read(dir, ANSWERS_FILE)).answers.dockerfile).toBe('Dockerfile.migrating-stack');
    // Saved: the next run (and --check) keep it, even once the user's own Dockerfile is gone.
    rmSync(path.join(dir, 'Dockerfile'));
    expect((await runCli([dir, '--check'])).code).toBe(0);
  });

  it('a .dockerignore of its own only: the Dockerfile is generated with Dockerfile.dockerignore, which BuildKit reads instead', async () => {
    const dir = copyFixture(FIXTURE);
    writeFileSync(path.join(dir, '.dockerignore'), 'node_modules\n');
    const result = await runCli([dir, '--yes']);
    expect(result.code).toBe(0);
    expect(statusLines(result.stdout)).toMatchObject({ Dockerfile: 'created', 'Dockerfile.dockerignore': 'created' });
    expect(result.stdout).toMatch(/note \.dockerignore is your own and stays as it is: the build of Dockerfile reads Dockerfile\.dockerignore instead/);
    expect(read(dir, 'compose.yaml')).not.toContain('dockerfile:');
    expect((await runCli([dir, '--check'])).code).toBe(0);
  });

  it('a generated Dockerfile edited by hand stays a conflict, and nothing is written', async () => {
    const dir = copyFixture(FIXTURE);
    await runCli([dir, '--yes']);
    writeFileSync(path.join(dir, 'Dockerfile'), `${read(dir, 'Dockerfile')}# mine\n`);
    const result = await runCli([dir, '--yes', '--port', '4000']);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/conflict Dockerfile: changed by hand since generated: kept/);
  });

  it('--dry-run lists statuses and writes nothing', async () => {
    const dir = copyFixture(FIXTURE);
    const before = listFiles(dir);
    const result = await runCli([dir, '--yes', '--dry-run']);
    expect(result.code).toBe(0);
    expect(statusLines(result.stdout)).toMatchObject({ Dockerfile: 'would be created', 'compose.yaml': 'would be created' });
    expect(listFiles(dir)).toEqual(before);
  });

  it('--check exits 0 when identical and 1 with a unified diff on drift', async () => {
    const dir = copyFixture(FIXTURE);
    await runCli([dir, '--yes']);
    const clean = await runCli([dir, '--check']);
    expect(clean.code).toBe(0);
    expect(clean.stdout).toMatch(/every generated file matches/);

    writeFileSync(path.join(dir, 'compose.yaml'), read(dir, 'compose.yaml').replace('restart: unless-stopped', 'restart: always'));
    const drift = await runCli([dir, '--check']);
    expect(drift.code).toBe(1);
    expect(drift.stdout).toContain('--- a/compose.yaml');
    expect(drift.stdout).toContain('+++ b/compose.yaml');
    expect(drift.stdout).toMatch(/^- {4}restart: always$/m);
    expect(drift.stdout).toMatch(/^\+ {4}restart: unless-stopped$/m);
    expect(read(dir, 'compose.yaml')).toMatch(/restart: always/); // --check writes nothing
  });

  it('--check notices project changes that change the output', async () => {
    const dir = copyFixture(FIXTURE);
    await runCli([dir, '--yes']);
    writeFileSync(path.join(dir, 'tsconfig.json'), read(dir, 'tsconfig.json').replace('"outDir": "dist"', '"outDir": "build"'));
    const drift = await runCli([dir, '--check']);
    expect(drift.code).toBe(1);
    expect(drift.stdout).toMatch(/^\+build$/m);
  });

  it('--check without saved answers is bad input', async () => {
    const dir = copyFixture(FIXTURE);
    const result = await runCli([dir, '--check']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/migrating-stack\.json: not found/);
  });

  it('updates files it generated when the generator output changes, and records the new checksums', async () => {
    const dir = copyFixture(FIXTURE);
    await runCli([dir, '--yes']);
    const result = await runCli([dir, '--yes', '--db-image', 'postgres:15-bookworm']);
    expect(result.code).toBe(0);
    expect(statusLines(result.stdout)).toMatchObject({ 'compose.yaml': 'updated', Dockerfile: 'identical', [ANSWERS_FILE]: 'updated' });
    expect((await runCli([dir, '--check'])).code).toBe(0);
  });
});

describe('bad input: one line naming the file and the fix, exit 2, nothing written', () => {
  async function expectBadInput(dir: string, message: RegExp): Promise<CliRun> {
    const before = listFiles(dir);
    const result = await runCli([dir, '--yes']);
    expect(result.code).toBe(2);
    expect(result.stderr.split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(message);
    expect(listFiles(dir)).toEqual(before);
    expect(existsSync(path.join(dir, ANSWERS_FILE))).toBe(false);
    return result;
  }

  it('no package.json', async () => {
    const dir = copyFixture(FIXTURE);
    writeFileSync(path.join(dir, 'package.json.bak'), read(dir, 'package.json'));
    (await import('node:fs')).rmSync(path.join(dir, 'package.json'));
    await expectBadInput(dir, /package\.json: not found: run create-migrating-stack in \(or pass\) the directory of a Node\.js project/);
  });

  it('invalid JSON in package.json', async () => {
    const dir = copyFixture(FIXTURE);
    writeFileSync(path.join(dir, 'package.json'), '{ "name": "x", }');
    await expectBadInput(dir, /package\.json: invalid JSON \(.*\): fix the syntax/);
  });

  it('no way to find a start command', async () => {
    const dir = copyFixture(FIXTURE);
    const pkg = JSON.parse(read(dir, 'package.json'));
    delete pkg.scripts.start;
    delete pkg.scripts.dev;
    delete pkg.main;
    writeFileSync(path.join(dir, 'package.json'), JSON.stringify(pkg, null, 2));
    await expectBadInput(dir, /package\.json: no "start" script and no "main" file: add "start": .* or pass --start <command>/);
  });

  it('no health route: not a dead end; the healthcheck accepts any HTTP answer below 500 on /, with a warning saying how to add one', async () => {
    const dir = copyFixture(FIXTURE);
    writeFileSync(path.join(dir, 'src/server.ts'), read(dir, 'src/server.ts').replace("'/health'", "'/up'"));
    const result = await runCli([dir, '--yes']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(
      /warning no health route found .* the healthcheck only checks that the app answers HTTP on \/ \(any status below 500\); add a \/health route .* pass --health-path \/health/,
    );
    expect(JSON.parse(read(dir, 'migrating-stack.json')).answers.healthPath).toBeNull();
    expect(read(dir, 'compose.yaml')).toContain(
      "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/',{redirect:'manual'}).then(r=>{console.log('HTTP',r.status);process.exit(r.status<500?0:1)}",
    );
    // The saved "none" is kept on the next run, even once a route appears.
    writeFileSync(path.join(dir, 'src/server.ts'), read(dir, 'src/server.ts').replace("'/up'", "'/health'"));
    expect((await runCli([dir, '--check'])).code).toBe(0);
  });

  it('no port anywhere: the documented default 3000, with a warning naming --port', async () => {
    const dir = copyFixture(FIXTURE);
    writeFileSync(path.join(dir, '.env.example'), '');
    writeFileSync(path.join(dir, 'src/server.ts'), read(dir, 'src/server.ts').replace('process.env.PORT ?? 3000', 'process.env.PORT'));
    const result = await runCli([dir, '--yes']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/warning no port found .* the app is expected on 3000; pass --port <n> if it listens elsewhere/);
  });

  it('several gaps: one run names every flag needed, one line each', async () => {
    const dir = copyFixture(FIXTURE);
    const pkg = JSON.parse(read(dir, 'package.json'));
    delete pkg.scripts.start;
    delete pkg.scripts.dev;
    delete pkg.main;
    writeFileSync(path.join(dir, 'package.json'), JSON.stringify(pkg, null, 2));
    writeFileSync(path.join(dir, '.env.example'), '');
    writeFileSync(path.join(dir, '.nvmrc'), '16\n');
    const before = listFiles(dir);
    const result = await runCli([dir, '--yes']);
    expect(result.code).toBe(2);
    const lines = result.stderr.trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/\.nvmrc.*--node/),
        expect.stringMatching(/package\.json: no "start" script .* or pass --start <command>$/),
      ]),
    );
    expect(listFiles(dir)).toEqual(before);
    // Flags answer the gaps: nothing else is asked for.
    expect((await runCli([dir, '--yes', '--start', 'node dist/server.js', '--node', '22'])).code).toBe(0);
  });

  it('a knexfile without its migrations directory', async () => {
    const dir = copyFixture(FIXTURE);
    writeFileSync(path.join(dir, 'knexfile.js'), read(dir, 'knexfile.js').replace("'./migrations'", "'./db/migrations'"));
    await expectBadInput(dir, /db\/migrations: the migrations directory of knexfile\.js does not exist/);
  });

  it('a broken lockfile', async () => {
    const dir = copyFixture('bun-express-knex-postgres');
    writeFileSync(path.join(dir, 'bun.lock'), '{ "lockfileVersion": 1, ');
    const result = await expectBadInput(dir, /bun\.lock: invalid JSON/);
    expect(result.stderr).toContain(path.join(dir, 'bun.lock'));
    expect(() => read(dir, 'Dockerfile')).toThrow();
  });

  it('a malformed saved-answers file', async () => {
    const dir = copyFixture(FIXTURE);
    await runCli([dir, '--yes']);
    const saved = JSON.parse(read(dir, ANSWERS_FILE));
    saved.answers.port = 'eighty';
    writeFileSync(path.join(dir, ANSWERS_FILE), JSON.stringify(saved));
    const before = Object.fromEntries(listFiles(dir).map((f) => [f, readFileSync(path.join(dir, f), 'utf8')]));
    const result = await runCli([dir, '--yes']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/migrating-stack\.json: answers\.port must be integer: fix it/);
    for (const [file, text] of Object.entries(before)) expect(read(dir, file)).toBe(text);
  });

  it('a generated path occupied by a directory', async () => {
    const dir = copyFixture(FIXTURE);
    (await import('node:fs')).mkdirSync(path.join(dir, 'compose.yaml'));
    const result = await runCli([dir, '--yes']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/compose\.yaml: is a directory/);
    expect(existsSync(path.join(dir, 'Dockerfile'))).toBe(false);
  });
});

describe('a monorepo root without --app', () => {
  it.each([
    ['npm/Yarn workspaces', { workspaces: ['apps/*', 'packages/*'] }, undefined],
    ['Yarn workspaces.packages', { workspaces: { packages: ['apps/*', 'packages/*'] } }, undefined],
    ['pnpm-workspace.yaml', {}, "packages:\n  - 'apps/*'\n  - 'packages/*'\n"],
  ])('%s, none of whose workspaces looks deployable: exit 2 listing them, nothing written', async (_, fields, pnpmWorkspace) => {
    const dir = copyFixture(FIXTURE);
    writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'platform', private: true, ...fields }));
    if (pnpmWorkspace) writeFileSync(path.join(dir, 'pnpm-workspace.yaml'), pnpmWorkspace);
    for (const app of ['apps/api', 'apps/web', 'packages/db']) {
      mkdirSync(path.join(dir, app), { recursive: true });
      writeFileSync(path.join(dir, app, 'package.json'), '{}');
    }
    const before = listFiles(dir);
    const result = await runCli([dir, '--yes']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      "package.json: a workspace root; its workspaces: apps/api, apps/web, packages/db: none looks like a deployable app (a server or web framework dependency, or a start script): pass --app <workspace>, or run create-migrating-stack in the app's folder",
    );
    expect(result.stderr.split('\n')).toHaveLength(1);
    expect(listFiles(dir)).toEqual(before);
  });

  it('names the --app of each workspace that looks deployable (a server framework, then a start script), never a mobile app', async () => {
    const dir = copyFixture(FIXTURE);
    writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'platform', private: true, workspaces: ['apps/*'] }));
    const apps = {
      'apps/expo': { scripts: { start: 'expo start' }, dependencies: { expo: '54.0.0', '@trpc/server': '11' } },
      'apps/nextjs': { scripts: { build: 'next build', start: 'next start' }, dependencies: { next: '16.0.7' } },
      'apps/docs': { scripts: { start: 'node server.js' } },
    };
    for (const [app, manifest] of Object.entries(apps)) {
      mkdirSync(path.join(dir, app), { recursive: true });
      writeFileSync(path.join(dir, app, 'package.json'), JSON.stringify(manifest));
    }
    const result = await runCli([dir, '--yes']);
    expect(result.code).toBe(2);
    expect(result.stderr.split('\n').slice(1)).toEqual([
      'create-migrating-stack:   --app apps/nextjs    a web app (next)',
      'create-migrating-stack:   --app apps/docs    a start script',
    ]);
  });
});

describe('a project with its own compose file', () => {
  it('warns that compose.yaml takes precedence over docker-compose.yml', async () => {
    const dir = copyFixture(FIXTURE);
    writeFileSync(path.join(dir, 'docker-compose.yml'), 'services:\n  redis:\n    image: redis:7\n');
    const result = await runCli([dir, '--yes']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(
      /warning docker-compose\.yml exists: docker compose will use the generated compose\.yaml instead; move what you still need from docker-compose\.yml into compose\.override\.yaml and delete it/,
    );
    expect(read(dir, 'docker-compose.yml')).toBe('services:\n  redis:\n    image: redis:7\n');
  });
});

describe('a TypeScript knexfile', () => {
  function withTypeScriptKnexfile(extraDevDependencies: Record<string, string>): string {
    const dir = copyFixture(FIXTURE);
    writeFileSync(path.join(dir, 'knexfile.ts'), read(dir, 'knexfile.js').replace('module.exports =', 'export default'));
    rmSync(path.join(dir, 'knexfile.js'));
    const pkg = JSON.parse(read(dir, 'package.json'));
    pkg.devDependencies = { ...pkg.devDependencies, ...extraDevDependencies };
    writeFileSync(path.join(dir, 'package.json'), JSON.stringify(pkg, null, 2));
    return dir;
  }

  it('runs through ts-node when the project has it', async () => {
    const dir = withTypeScriptKnexfile({ 'ts-node': '^10.9.2' });
    expect((await runCli([dir, '--yes'])).code).toBe(0);
    expect(read(dir, 'Dockerfile')).toContain('"node_modules/.bin/knex", "migrate:latest", "--knexfile", "knexfile.ts"');
  });

  it('without a loader: exit 2 naming the knexfile and the fix', async () => {
    const dir = withTypeScriptKnexfile({});
    const result = await runCli([dir, '--yes']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/knexfile\.ts: the knex CLI reads a TypeScript knexfile only through a loader: add ts-node as a devDependency/);
  });
});

describe('warnings reach the user', () => {
  it("an adapter's: the package manager's default version", async () => {
    const result = await runCli([copyFixture('yarn-classic-express-knex-postgres'), '--yes']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`warning the project pins no Yarn version: the image installs Yarn ${YARN_CLASSIC_DEFAULT}`);
  });
});
