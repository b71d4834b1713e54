/**
 * A project with its own Dockerfile and .dockerignore, a shell-script start (bin/start.sh) and an
 * uploads folder it creates at startup: the generated Dockerfile.migrating-stack (with its own
 * ignore file) goes beside the project's, compose builds from it, the container runs the
 * script's production command (node) directly, and the app can write its uploads.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { FIXTURES } from '../support/fixtures.js';
import { standardStackSuite } from './support/standard-suite.js';

standardStackSuite({
  fixture: 'express-knex-own-dockerfile',
  tables: ['photos'],
  migrations: 1,
  extra: (stack) => {
    it("leaves the project's Dockerfile and .dockerignore as they were, and builds the generated one", async () => {
      for (const file of ['Dockerfile', '.dockerignore']) {
        expect(readFileSync(path.join(stack().dir, file), 'utf8')).toBe(readFileSync(path.join(FIXTURES, 'express-knex-own-dockerfile', file), 'utf8'));
      }
      const config = await stack().compose.run(['config', '--format', 'json']);
      const services = (JSON.parse(config.stdout) as { services: Record<string, { build: { dockerfile: string } }> }).services;
      expect(services.app!.build.dockerfile).toBe('Dockerfile.migrating-stack');
      expect(services.migrate!.build.dockerfile).toBe('Dockerfile.migrating-stack');
    });

    it("the build context is filtered by Dockerfile.migrating-stack.dockerignore, not the project's .dockerignore", async () => {
      // The project's .dockerignore keeps .env in the context; the generated one leaves it out.
      const app = await stack().compose.exec('app', [
        'sh',
        '-c',
        'test -e .env && echo ".env in image" || echo "no .env"; test -e compose.yaml || echo "no compose"',
      ]);
      expect(app.stdout.trim().split('\n')).toEqual(['no .env', 'no compose']);
    });

    it("runs bin/start.sh's production command, node, directly (no bash in between)", async () => {
      expect(stack().plan.app.command).toEqual(['node', 'src/server.js']);
      const app = await stack().compose.exec('app', [
        'sh',
        '-c',
        'cat /proc/1/cmdline | tr "\\0" " "; echo; for p in /proc/[0-9]*; do cat $p/cmdline 2>/dev/null | tr "\\0" " "; echo; done',
      ]);
      expect(app.stdout).toContain('node src/server.js');
      expect(app.stdout).not.toMatch(/bash|start\.sh/);
    });

    it('the app, running as node, writes its uploads into the folder the image made its own', async () => {
      const uploaded = await fetch(stack().url('/photos/cat.jpg'), { method: 'POST', headers: { 'content-type': 'image/jpeg' }, body: 'not really a jpeg' });
      expect(uploaded.status).toBe(201);
      const app = await stack().compose.exec('app', ['sh', '-c', 'stat -c "%U %n" uploads uploads/cat.jpg']);
      expect(app.stdout.trim().split('\n')).toEqual(['node uploads', 'node uploads/cat.jpg']);
    });
  },
});
