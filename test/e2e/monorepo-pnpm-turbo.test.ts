/**
 * A pnpm + Turborepo workspace, generated at its root with --app apps/api: the Hono app uses
 * packages/db, where Drizzle and its migrations live (catalog: ranges). The stack comes up healthy
 * with the migrations applied once from packages/db, and a change in a workspace the app doesn't
 * depend on (apps/web, packages/ui) reuses the install layer. Generated inside apps/api instead,
 * the stack builds from the workspace root and `verify` proves it from the app's folder.
 */
import path from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { copyFixture, read, removeScratchCopies } from '../support/fixtures.js';
import { flagsFor } from '../support/golden-flags.js';
import { standardStackSuite } from './support/standard-suite.js';
import { workspaceStackChecks } from './support/workspace.js';

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
