/**
 * npm workspaces, generated at the root with --app apps/api: a NestJS app with Knex and its
 * migrations in the app itself, using packages/shared. The stack comes up healthy with the
 * migrations applied once, and a change in a workspace the app doesn't depend on (apps/admin,
 * packages/charts) reuses the install layer.
 */
import { expect, it } from 'vitest';
import { read } from '../support/fixtures.js';
import { flagsFor } from '../support/golden-flags.js';
import { standardStackSuite } from './support/standard-suite.js';
import { workspaceStackChecks } from './support/workspace.js';

const fixture = 'npm-workspaces-nest-knex';

standardStackSuite({
  fixture,
  flags: flagsFor(fixture),
  tables: ['products', 'stock_levels'],
  migrations: 2,
  extra: (stack) => {
    it('installs the app and packages/shared only, with npm ci --workspace', async () => {
      const dockerfile = read(stack().dir, 'Dockerfile');
      expect(dockerfile).toContain('npm ci --workspace apps/api --omit=dev');
      expect(dockerfile).not.toMatch(/apps\/admin|packages\/charts/);
      // The workspace dependency is linked and its code is there.
      const health = await fetch(stack().url('/health'));
      expect(await health.json()).toEqual({ status: 'ok', service: 'inventory-api' });
    });

    workspaceStackChecks(stack, {
      migrationsFolder: '/app/apps/api',
      unrelated: ['apps/admin/src/server.js', 'packages/charts/src/index.js'],
      appSource: 'apps/api/src/main.ts',
      install: /npm ci --workspace apps\/api/,
    });
  },
});
