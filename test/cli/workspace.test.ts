/**
 * Monorepos through the CLI: at a workspace root (--app, the saved answer, exit 2 listing the
 * apps), inside a workspace's folder, the migration tool found in a workspace the app depends on,
 * and --check where the files were written.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { selectWorkspaceApp } from '../../src/plan/workspace-app.js';
import { ANSWERS_FILE } from '../../src/plan/saved-answers.js';
import { runCli } from '../support/cli.js';
import { PRISMA_SCHEMA } from '../support/orms.js';
import { copyFixture, read, removeScratchCopies } from '../support/fixtures.js';

afterAll(removeScratchCopies);

const PNPM = 'pnpm-turbo-monorepo';

describe('at a workspace root', () => {
  it('--yes with several apps exits 2 and names the exact --app of each, servers first', async () => {
    const dir = copyFixture(PNPM);
    const result = await runCli([dir, '--yes']);
    expect(result.code).toBe(2);
    const lines = result.stderr.split('\n');
    expect(lines[0]).toContain('a workspace root with 2 apps: choose the one to build with --app');
    expect(lines.slice(1)).toEqual([
      'create-migrating-stack:   --app apps/api    @ws/api: a server (@hono/node-server)',
      'create-migrating-stack:   --app apps/web    @ws/web: a server (express)',
    ]);
  });

  it('--app builds the app from the root: the answers record it, the next run and --check use it', async () => {
    const dir = copyFixture(PNPM);
    const first = await runCli([dir, '--yes', '--app', '@ws/api']);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(JSON.parse(read(dir, ANSWERS_FILE)).answers.app).toBe('apps/api');
    const compose = parseYaml(read(dir, 'compose.yaml')) as { services: Record<string, { build?: Record<string, unknown> }> };
    expect(compose.services.app!.build).toEqual({ context: '.', target: 'runtime' });
    const dockerfile = read(dir, 'Dockerfile');
    // Turborepo (at the root's locked version) prunes the workspace to the app and packages/db,
    // lockfile included: the installs copy its output.
    expect(dockerfile).toContain('RUN turbo prune @ws/api --docker --out-dir /prune\n');
    expect(dockerfile).toContain('FROM package-manager AS deps\nCOPY --from=prune /prune/json/ ./\nCOPY --from=prune /prune/pnpm-lock.yaml ./\nRUN');
    expect(dockerfile).toContain('pnpm install --filter @ws/api... --frozen-lockfile');
    expect(dockerfile).toContain('WORKDIR /app/packages/db');
    expect(dockerfile).toContain('CMD ["node", "docker-migrate.mjs", "drizzle-kit", "migrate", "--config", "drizzle.config.ts"]');
    expect(read(dir, '.dockerignore')).toContain('apps/*\npackages/*\n!packages/db\n!apps/api\n');

    const again = await runCli([dir, '--yes']);
    expect(again.code).toBe(0);
    expect(again.stdout).not.toMatch(/\b(created|updated)\b/);
    expect((await runCli([dir, '--check'])).code).toBe(0);
  });

  it('without Turborepo, the installs copy the root files and the manifests of the app and its workspace dependencies only', async () => {
    const dir = copyFixture(PNPM);
    rmSync(path.join(dir, 'turbo.json'));
    expect((await runCli([dir, '--yes', '--app', 'apps/api'])).code).toBe(0);
    expect(read(dir, 'Dockerfile')).toContain(
      'FROM package-manager AS deps\nCOPY package.json pnpm-lock.yaml pnpm-workspace.yaml ./\nCOPY apps/api/package.json ./apps/api/\nCOPY packages/db/package.json ./packages/db/\nRUN',
    );
    expect(read(dir, 'Dockerfile')).not.toContain('turbo prune');
  });

  it('picks the only app that looks deployable by itself', async () => {
    const dir = copyFixture('yarn-workspaces-express-knex');
    const result = await runCli([dir, '--yes']);
    expect(result.stderr).toBe('');
    expect(JSON.parse(read(dir, ANSWERS_FILE)).answers.app).toBe('apps/api');
    expect(read(dir, 'Dockerfile')).toContain('yarn workspaces focus @wyarn/api --production');
  });

  it('an --app that is no workspace names the workspaces', async () => {
    const dir = copyFixture(PNPM);
    const result = await runCli([dir, '--yes', '--app', 'apps/nope']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--app apps/nope: not a workspace of');
    expect(result.stderr).toContain('apps/api, apps/web, packages/db, packages/ui');
  });

  it('the prompt offers the deployable apps, servers first, and the answer is saved', async () => {
    const dir = copyFixture(PNPM);
    const offered: string[] = [];
    const selection = await selectWorkspaceApp(dir, {
      prompter: {
        note: () => {},
        input: () => Promise.reject(new Error('no input expected')),
        select: ({ choices }) => {
          offered.push(...choices.map((choice) => choice.value));
          return Promise.resolve('apps/web');
        },
      },
    });
    expect(offered).toEqual(['apps/api', 'apps/web']);
    expect(selection).toMatchObject({ app: 'apps/web', source: 'the prompt' });
  });
});

describe('inside a workspace folder', () => {
  it('finds the root: the files go into the folder, compose builds from the root, --check works there', async () => {
    const root = copyFixture(PNPM);
    const dir = path.join(root, 'apps', 'api');
    const result = await runCli([dir, '--yes']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const compose = parseYaml(read(dir, 'compose.yaml')) as { services: Record<string, { build?: Record<string, unknown> }> };
    expect(compose.services.migrate!.build).toEqual({ context: '../..', dockerfile: 'apps/api/Dockerfile', target: 'migrate' });
    // BuildKit reads <Dockerfile>.dockerignore beside it: the root's .dockerignore is not this stack's.
    expect(read(dir, 'Dockerfile.dockerignore')).toContain('apps/api/compose.yaml\n');
    expect(read(dir, 'Dockerfile')).toContain('COPY apps/api/docker-migrate.mjs /app/packages/db/\n');
    expect(JSON.parse(read(dir, ANSWERS_FILE)).answers.app).toBe('apps/api');
    expect((await runCli([dir, '--check'])).code).toBe(0);
  });

  it('--app naming another workspace is refused', async () => {
    const root = copyFixture(PNPM);
    const result = await runCli([path.join(root, 'apps', 'api'), '--yes', '--app', 'apps/web']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('drop --app, or run create-migrating-stack at the root with --app');
  });
});

describe('the migration tool in a workspace the app depends on', () => {
  it("is reported in that package's folder when it can't be used yet", async () => {
    const dir = copyFixture(PNPM);
    rmSync(path.join(dir, 'packages', 'db', 'drizzle'), { recursive: true });
    const result = await runCli([dir, '--yes', '--app', 'apps/api']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`${path.join(dir, 'packages', 'db', 'drizzle')}: no drizzle migrations`);
  });

  it.each([
    ['packages: ["**"] matching no package', 'packages:\n  - "**"\nonlyBuiltDependencies:\n  - esbuild\n'],
    ['pnpm settings only', 'onlyBuiltDependencies:\n  - esbuild\n'],
  ])('a pnpm-workspace.yaml with %s (pnpm 10 keeps its settings there) is no workspace: the project generates as it is', async (_, yaml) => {
    const dir = copyFixture('pnpm-express-knex-mariadb');
    writeFileSync(path.join(dir, 'pnpm-workspace.yaml'), yaml);
    expect(await selectWorkspaceApp(dir)).toBeUndefined();
    const result = await runCli([dir, '--yes']);
    expect(result.stderr).not.toContain('workspace');
    expect(result.code).toBe(0);
  });

  it('Prisma in packages/db with a prepare hook: its generate runs in that folder and the hook is left out, in commands the safety check takes; the tsconfig chain it reads comes along', async () => {
    const dir = copyFixture(PNPM);
    const db = path.join(dir, 'packages', 'db');
    for (const entry of ['drizzle', 'drizzle.config.ts', 'src']) rmSync(path.join(db, entry), { recursive: true, force: true });
    writeFileSync(
      path.join(db, 'package.json'),
      JSON.stringify({
        name: '@ws/db',
        version: '0.0.0',
        private: true,
        main: 'index.js',
        scripts: { prepare: 'node -e "console.log(1)"', 'db:migrate': 'prisma migrate deploy' },
        dependencies: { '@prisma/client': '6.19.3' },
        devDependencies: { prisma: '6.19.3', '@ws/tsconfig': 'workspace:*' },
      }),
    );
    // The prisma-client generator reads tsconfig.json, which extends the root's, which extends a shared config package.
    mkdirSync(path.join(dir, 'packages', 'tsconfig'));
    writeFileSync(path.join(dir, 'packages', 'tsconfig', 'package.json'), JSON.stringify({ name: '@ws/tsconfig', version: '0.0.0', private: true }));
    writeFileSync(path.join(dir, 'packages', 'tsconfig', 'base.json'), JSON.stringify({ compilerOptions: { strict: true } }));
    writeFileSync(path.join(dir, 'tsconfig.base.json'), JSON.stringify({ extends: '@ws/tsconfig/base.json', compilerOptions: { module: 'NodeNext' } }));
    mkdirSync(path.join(db, 'prisma', 'migrations', '20240101000000_init'), { recursive: true });
    writeFileSync(
      path.join(db, 'prisma', 'schema.prisma'),
      PRISMA_SCHEMA.replace('provider = "prisma-client-js"', 'provider = "prisma-client"\n  output   = "../src/generated/prisma"'),
    );
    writeFileSync(path.join(db, 'prisma', 'migrations', 'migration_lock.toml'), 'provider = "postgresql"\n');
    writeFileSync(path.join(db, 'prisma', 'migrations', '20240101000000_init', 'migration.sql'), 'CREATE TABLE "Project" ("id" SERIAL PRIMARY KEY);\n');
    const result = await runCli([dir, '--yes', '--app', 'apps/api']);
    expect(result.stderr).not.toMatch(/syntax|error/);
    expect(result.code).toBe(0);
    const dockerfile = read(dir, 'Dockerfile');
    expect(dockerfile).toContain('&& cd /app/packages/db && npm pkg delete scripts.prepare && cd /app');
    expect(dockerfile).toContain('&& cd /app/packages/db && PATH=/app/packages/db/node_modules/.bin:$PATH prisma generate');
    expect(dockerfile).toMatch(/WORKDIR \/app\/packages\/db\n/);
    const copied = [...dockerfile.matchAll(/^COPY (?!--)(.*) \.\/\S*$/gm)].flatMap((match) => match[1]!.split(' '));
    expect(copied).toEqual(expect.arrayContaining(['packages/db/tsconfig.json', 'tsconfig.base.json', 'packages/tsconfig/base.json']));
  });

  it('--app on a project that is no workspace is refused', async () => {
    const dir = copyFixture('express-knex-postgres');
    writeFileSync(path.join(dir, '.nvmrc'), '22\n');
    const result = await runCli([dir, '--yes', '--app', 'apps/api']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('is no workspace root');
  });
});
