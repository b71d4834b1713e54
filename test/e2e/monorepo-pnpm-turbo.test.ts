/**
 * A pnpm + Turborepo workspace, generated at its root with --app apps/api: the Hono app uses
 * packages/db, where Drizzle and its migrations live (catalog: ranges). The stack comes up healthy
 * with the migrations applied once from packages/db, and a change in a workspace the app doesn't
 * depend on (apps/web, packages/ui) reuses the install layer. Generated inside apps/api instead,
 * the stack builds from the workspace root and `verify` proves it from the app's folder.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { copyFixture, read, removeScratchCopies } from '../support/fixtures.js';
import { flagsFor } from '../support/golden-flags.js';
import { standardStackSuite } from './support/standard-suite.js';
import { buildSteps, change, workspaceStackChecks } from './support/workspace.js';

const fixture = 'pnpm-turbo-monorepo';

standardStackSuite({
  fixture,
  flags: flagsFor(fixture),
  tables: ['projects', 'tasks'],
  migrations: 2,
  extra: (stack) => {
    it('installs the app and packages/db only, from their manifests, with pnpm --filter', () => {
      const dockerfile = read(stack().dir, 'Dockerfile');
      expect(dockerfile).toContain('pnpm install --filter @ws/api... --frozen-lockfile');
      expect(dockerfile).not.toMatch(/apps\/web|packages\/ui/);
      // Turborepo at the root's locked version prunes the workspace, lockfile included, for the installs.
      expect(dockerfile).toContain('npm install --global turbo@2.11.11\nCOPY . .\nRUN turbo prune @ws/api --docker --out-dir /prune\n');
      expect(dockerfile).toContain('COPY --from=prune /prune/json/ ./\nCOPY --from=prune /prune/pnpm-lock.yaml ./\n');
    });

    it('a dependency added to a workspace the app does not depend on changes the root lockfile: turbo prune keeps the installs cached', async () => {
      const dir = stack().dir;
      const ui = JSON.parse(read(dir, 'packages/ui/package.json')) as { dependencies: Record<string, string> };
      ui.dependencies.pg = 'catalog:';
      writeFileSync(path.join(dir, 'packages/ui/package.json'), `${JSON.stringify(ui, null, 2)}\n`);
      const lock = read(dir, 'pnpm-lock.yaml');
      // What pnpm install writes for it: the importer's new entry (pg is in the lockfile already).
      const updated = lock.replace(
        '  packages/ui:\n    dependencies:\n',
        "  packages/ui:\n    dependencies:\n      pg:\n        specifier: 'catalog:'\n        version: 8.23.1\n",
      );
      expect(updated).not.toBe(lock);
      // A comment never written before, so that this lockfile is new to BuildKit's cache whatever ran before.
      writeFileSync(path.join(dir, 'pnpm-lock.yaml'), `${updated}${change('#')}`);
      const build = await stack().compose.run(['--profile', '*', 'build', '--progress', 'plain'], { timeoutMs: 10 * 60_000 });
      expect(build.code, build.stderr).toBe(0);
      const steps = buildSteps(`${build.stdout}\n${build.stderr}`);
      // turbo prune ran again on the new lockfile, and its output was the same.
      expect(steps.some(({ step, cached }) => /RUN turbo prune @ws\/api/.test(step) && !cached)).toBe(true);
      const installs = steps.filter(({ step }) => /pnpm install --filter @ws\/api\.\.\./.test(step));
      expect(installs.length).toBeGreaterThan(0);
      expect(installs.every(({ cached }) => cached)).toBe(true);
      console.log(
        `root lockfile changed for packages/ui: rebuild took ${(build.durationMs / 1000).toFixed(1)} s, turbo prune re-ran, ${installs.length} install step(s) CACHED`,
      );
    });

    workspaceStackChecks(stack, {
      migrationsFolder: '/app/packages/db',
      unrelated: ['apps/web/src/server.js', 'packages/ui/src/index.js'],
      appSource: 'apps/api/src/server.ts',
      install: /pnpm install --filter @ws\/api\.\.\./,
    });
  },
});

describe.skipIf(!inject('dockerLab'))('pnpm-turbo-monorepo generated inside apps/api', () => {
  afterAll(removeScratchCopies);

  it('builds from the workspace root (context ../..), and verify proves it from the app folder', async () => {
    const dir = path.join(copyFixture(fixture), 'apps', 'api');
    const generated = await runCli([dir, '--yes']);
    expect(generated.stderr).toBe('');
    expect(generated.code).toBe(0);
    const result = await runCli(['verify', dir]);
    expect(result.stderr).toBe('');
    expect(result.stdout).toMatch(/^verified: \d+ checks passed$/m);
    expect(result.code).toBe(0);
  });
});
