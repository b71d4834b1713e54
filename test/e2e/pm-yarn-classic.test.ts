/**
 * Yarn 1 with no version pinned: the image installs the default Yarn 1 (no yarn is bundled in
 * the base image) and installs from yarn.lock with --frozen-lockfile.
 */
import { expect, it } from 'vitest';
import { YARN_CLASSIC_DEFAULT } from '../../src/adapters/package-managers/yarn.js';
import { read } from '../support/fixtures.js';
import { standardStackSuite } from './support/standard-suite.js';

standardStackSuite({
  fixture: 'yarn-classic-express-knex-postgres',
  tables: ['customers', 'orders'],
  migrations: 2,
  extra: (stack) => {
    it('Yarn 1 installed the dependencies, and the runtime image carries neither yarn nor devDependencies', async () => {
      expect(read(stack().dir, 'Dockerfile')).toContain(`npm install --global --force yarn@${YARN_CLASSIC_DEFAULT}`);
      const app = await stack().compose.exec('app', [
        'sh',
        '-c',
        'command -v yarn || echo "no yarn"; test -e node_modules/typescript || echo "no typescript"; test -f node_modules/.yarn-integrity && echo "yarn 1 layout"',
      ]);
      expect(app.stdout.trim().split('\n')).toEqual(['no yarn', 'no typescript', 'yarn 1 layout']);
    });
  },
});
