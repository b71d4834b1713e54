/**
 * Bun installs the dependencies (default version: the project pins none); the app and the
 * migrations still run on Node, and the runtime image has no Bun.
 */
import { expect, it } from 'vitest';
import { DEFAULT_BUN_VERSION } from '../../src/adapters/package-managers/bun.js';
import { read } from '../support/fixtures.js';
import { standardStackSuite } from './support/standard-suite.js';

standardStackSuite({
  fixture: 'bun-express-knex-postgres',
  tables: ['customers', 'orders'],
  migrations: 2,
  extra: (stack) => {
    it('Bun installed the dependencies, and the runtime image carries neither bun nor devDependencies', async () => {
      expect(read(stack().dir, 'Dockerfile')).toContain(`npm install --global bun@${DEFAULT_BUN_VERSION}`);
      const app = await stack().compose.exec('app', [
        'sh',
        '-c',
        'command -v bun || echo "no bun"; test -e node_modules/typescript || echo "no typescript"; test -d node_modules/pg && echo pg',
      ]);
      expect(app.stdout.trim().split('\n')).toEqual(['no bun', 'no typescript', 'pg']);
    });
  },
});
