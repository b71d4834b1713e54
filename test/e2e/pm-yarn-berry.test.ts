/**
 * Yarn 4 with nodeLinker: node-modules and its release committed (yarnPath): the image runs that
 * release with node (nothing to install), --immutable, and `workspaces focus --production` for
 * the runtime's dependencies.
 */
import { expect, it } from 'vitest';
import { read } from '../support/fixtures.js';
import { standardStackSuite } from './support/standard-suite.js';

standardStackSuite({
  fixture: 'yarn-berry-express-knex-postgres',
  tables: ['customers', 'orders'],
  migrations: 2,
  extra: (stack) => {
    it('the committed Yarn 4 release installed the dependencies; the runtime has production ones only', async () => {
      expect(read(stack().dir, 'Dockerfile')).toContain('node .yarn/releases/yarn-4.18.1.cjs install --immutable');
      const app = await stack().compose.exec('app', [
        'sh',
        '-c',
        'test -e node_modules/typescript || echo "no typescript"; test -f node_modules/.yarn-state.yml && echo "yarn 4 layout"; test -d node_modules/knex && echo knex',
      ]);
      expect(app.stdout.trim().split('\n')).toEqual(['no typescript', 'yarn 4 layout', 'knex']);
    });
  },
});
