/**
 * A project without a lockfile (npm): not a dead end. The image installs with `npm install`, and
 * the runtime's production dependencies are pruned from that same install, so the app and the
 * migrate image run the same versions.
 */
import { expect, it } from 'vitest';
import { standardStackSuite } from './support/standard-suite.js';

standardStackSuite({
  fixture: 'express-knex-postgres-no-lockfile',
  tables: ['notes'],
  migrations: 1,
  extra: (stack) => {
    it('installs without a lockfile, and prunes the production dependencies from that install', () => {
      expect(stack().plan.install).toMatchObject({ installAll: 'npm install', files: ['package.json'], pruneToProduction: 'npm prune --omit=dev' });
    });

    it('the app writes to and reads from the migrated schema', async () => {
      const created = await fetch(stack().url('/notes'), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ body: 'commit a lockfile' }),
      });
      expect(created.status).toBe(201);
      const listed = (await (await fetch(stack().url('/notes'))).json()) as { body: string }[];
      expect(listed.map((note) => note.body)).toEqual(['commit a lockfile']);
    });
  },
});
