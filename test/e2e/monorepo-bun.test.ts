/**
 * Bun workspaces, generated at the root (one deployable app, picked by itself): apps/api uses
 * packages/db, where Knex and the migrations live; packages/mailer is unrelated. Bun installs the
 * app's part of the workspace only, the stack comes up healthy with the migrations applied once from
 * packages/db, and a change in packages/mailer reuses the install layer.
 */
import { expect, it } from 'vitest';
import { read } from '../support/fixtures.js';
import { standardStackSuite } from './support/standard-suite.js';
import { workspaceStackChecks } from './support/workspace.js';

standardStackSuite({
  fixture: 'bun-workspaces-express-knex',
  tables: ['customers', 'orders'],
  migrations: 2,
  extra: (stack) => {
    it("installs the app's part with bun install --filter; the runtime image has neither packages/mailer nor bun", async () => {
      expect(read(stack().dir, 'Dockerfile')).toContain('bun install --filter @wbun/api --production --frozen-lockfile');
      const app = await stack().compose.exec('app', ['sh', '-c', 'test -e /app/packages/mailer || echo "no mailer"; command -v bun || echo "no bun"']);
      expect(app.stdout.trim().split('\n')).toEqual(['no mailer', 'no bun']);
    });

    workspaceStackChecks(stack, {
      migrationsFolder: '/app/packages/db',
      unrelated: ['packages/mailer/index.js'],
      appSource: 'apps/api/src/server.js',
      install: /bun install --filter/,
    });
  },
});
