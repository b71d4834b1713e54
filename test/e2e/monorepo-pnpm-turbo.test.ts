/**
 * A pnpm + Turborepo workspace, generated at its root with --app apps/api: the Hono app uses
 * packages/db, where Drizzle and its migrations live (catalog: ranges). The stack comes up healthy
 * with the migrations applied once from packages/db, and a change in a workspace the app doesn't
 * depend on (apps/web, packages/ui) reuses the install layer.
 */
import { expect, it } from 'vitest';
import { read } from '../support/fixtures.js';
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
