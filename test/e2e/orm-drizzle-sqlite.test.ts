/**
 * Express + Drizzle + SQLite (better-sqlite3) on the engine: no database service; migrate and
 * app share the database file on a named volume. better-sqlite3 12 can't download its prebuilt
 * binary here (no GitHub), so the install stages compile it from source; the runtime image must
 * carry the compiled module and none of the compilers.
 */
import { expect, it } from 'vitest';
import { runCommand } from '../../src/verify/compose.js';
import { timeline } from '../../src/verify/measure.js';
import { standardStackSuite } from './support/standard-suite.js';
import { engine } from './support/stack.js';

standardStackSuite({
  fixture: 'express-drizzle-sqlite',
  tables: ['authors', 'notes'],
  migrations: 2,
  extra: (stack) => {
    async function inRuntimeImage(script: string) {
      const { app } = await timeline(engine, stack().compose);
      return runCommand('docker', ['run', '--rm', '--entrypoint', 'sh', app[0]!.image, '-c', script], { timeoutMs: 60_000 });
    }

    it('better-sqlite3 was compiled from source (node-gyp objects beside the module)', async () => {
      const built = await inRuntimeImage('ls node_modules/better-sqlite3/build/Release');
      expect(built.code).toBe(0);
      expect(built.stdout).toMatch(/^better_sqlite3\.node$/m);
      expect(built.stdout).toMatch(/^obj\.target$/m); // prebuild-install would only unpack the .node file
    });

    it('the runtime image has no compiler or build tool', async () => {
      const tools = await inRuntimeImage('command -v g++ make cc gcc python3');
      expect(tools.stdout.trim()).toBe('');
      expect(tools.code).not.toBe(0);
    });

    it('the app reads the database file migrate wrote, on the shared volume', async () => {
      const file = await stack().compose.exec('app', [
        'node',
        '-e',
        "const fs = require('fs'); console.log(fs.statSync(process.env.DB_FILE_NAME).size > 0, process.env.DB_FILE_NAME)",
      ]);
      expect(file.stdout.trim()).toBe('true /data/app.db');
      const user = await stack().compose.exec('app', ['id', '-un']);
      expect(user.stdout.trim()).toBe('node');
    });
  },
});
