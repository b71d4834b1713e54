/**
 * A project whose configuration is validated (zod) and documented in .env.sample, listening on
 * API_PORT and reading its database in parts (DB_HOST, …) — in migrate too, whose knexfile
 * imports the same validated configuration: the stack comes up as the project is.
 */
import { appendFileSync } from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { httpGet } from '../../src/verify/measure.js';
import { runCommand } from '../../src/verify/compose.js';
import { read } from '../support/fixtures.js';
import { standardStackSuite } from './support/standard-suite.js';

standardStackSuite({
  fixture: 'express-knex-env-schema',
  tables: ['notes'],
  migrations: 1,
  extra: (stack) => {
    it("the app got the schema's required values and .env.sample's, and listens on API_PORT", async () => {
      const health = await httpGet(stack().url('/healthz'));
      expect(health.status).toBe(200);
      expect(JSON.parse(health.body)).toEqual({ ok: true, greeting: 'hello from the sample', level: 'debug' });
      expect(stack().plan.app.port).toBe(5000);
    });

    it('the connection parts the project reads come from the URL, not from its localhost template', async () => {
      // The entrypoint exports them to the node process it execs: read that process's environment.
      const script = `for p in /proc/[0-9]*; do case "$(tr '\\0' ' ' < $p/cmdline)" in node\\ *) tr '\\0' '\\n' < $p/environ | grep '^DB_' | sort; break;; esac; done`;
      const probe = await stack().compose.exec('app', ['sh', '-c', script]);
      expect(probe.stdout).toMatch(/^DB_HOST=db$/m);
      expect(probe.stdout).toMatch(/^DB_USER=app$/m);
      expect(probe.stdout).toMatch(/^DB_PORT=5432$/m);
      expect(probe.stdout).not.toMatch(/localhost/);
    });

    it('a required variable missing from .env: `up` refuses to start, naming it', async () => {
      const dir = stack().dir;
      const env = read(dir, '.env').replace(/^LOG_LEVEL=.*\n/m, '');
      const broken = path.join(dir, '.env.broken');
      appendFileSync(broken, env);
      const result = await runCommand('docker', ['compose', '--env-file', broken, 'config', '--quiet'], { cwd: dir });
      expect(result.code).not.toBe(0);
      expect(result.stderr).toMatch(/LOG_LEVEL.*set LOG_LEVEL in \.env \(see \.env\.example\)/);
    });
  },
});
