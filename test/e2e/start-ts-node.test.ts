/**
 * A TypeScript app whose only runner is `"dev": "ts-node src/index.ts"`, with no build and no
 * start script: the image compiles it with the project's own tsc and runs the compiled entry
 * (tsc's output mirrors the project root here, so dist/src/index.js) with node.
 */
import { expect, it } from 'vitest';
import { standardStackSuite } from './support/standard-suite.js';

standardStackSuite({
  fixture: 'ts-node-express-knex-postgres',
  tables: ['items'],
  migrations: 1,
  extra: (stack) => {
    it('runs node on the compiled entry, built by tsc in the image', async () => {
      expect(stack().plan.app.command).toEqual(['node', 'dist/src/index.js']);
      expect(stack().plan.buildCommands).toEqual(['node_modules/.bin/tsc -p tsconfig.json']);
      const app = await stack().compose.exec('app', [
        'sh',
        '-c',
        'test -f dist/src/index.js && echo built; test -e node_modules/ts-node || echo "no ts-node"; test -e node_modules/typescript || echo "no typescript"',
      ]);
      expect(app.stdout.trim().split('\n')).toEqual(['built', 'no ts-node', 'no typescript']);
    });

    it('the app writes to and reads from the migrated schema', async () => {
      const created = await fetch(stack().url('/items'), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ sku: 'NUT-M8', quantity: 3 }),
      });
      expect(created.status).toBe(201);
      const listed = (await (await fetch(stack().url('/items'))).json()) as { sku: string }[];
      expect(listed.map((item) => item.sku)).toEqual(['NUT-M8']);
    });
  },
});
