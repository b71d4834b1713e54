/**
 * Kysely through the project's own migration script (Hono, TypeScript ES modules): the migrate
 * target runs the compiled `node dist/migrate.js`. migrateToLatest() never throws, so the proof
 * that a failed migration stops the rollout is the script's own exit code.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { appliedMigrations, timeline } from '../../src/verify/measure.js';
import { tableExists } from '../support/database.js';
import { engine } from './support/stack.js';
import { standardStackSuite } from './support/standard-suite.js';

standardStackSuite({
  fixture: 'hono-kysely-postgres',
  tables: ['users', 'notes'],
  migrations: 2,
  extra: (stack) => {
    it('applied the compiled migrations, recorded without extension in kysely_migration', async () => {
      expect(await appliedMigrations(stack().compose, stack().plan)).toEqual(['20240501100000_create_users', '20240520083000_create_notes']);
    });

    it('a failing migration makes migrate exit 1 and `up` fail; the migrations before it stay applied', async () => {
      const { dir, compose, plan } = stack();
      writeFileSync(
        path.join(dir, 'src/migrations/20240601120000_add_tags.ts'),
        [
          "import { sql, type Kysely } from 'kysely';",
          '',
          'export async function up(db: Kysely<unknown>): Promise<void> {',
          "  await sql`ALTER TABLE notes ADD COLUMN tags text[] NOT NULL DEFAULT '{}'`.execute(db);",
          '  await sql`CREATE INDEX notes_tags ON notes USING gin (tag)`.execute(db); // no such column',
          '}',
          '',
        ].join('\n'),
      );
      expect((await compose.run(['build', 'migrate'], { timeoutMs: 5 * 60_000 })).code).toBe(0);
      const up = await compose.up();
      expect(up.code).not.toBe(0);
      expect(up.stderr).toMatch(/service "migrate" didn't complete successfully: exit 1/);
      const { migrate } = await timeline(engine, compose);
      expect(migrate[0]!.exitCode).toBe(1);
      expect((await compose.logs('migrate')).stderr + (await compose.logs('migrate')).stdout).toMatch(/migration failed:.*column "tag" does not exist/s);
      // The failed migration ran in its own transaction: nothing of it was kept.
      expect(await appliedMigrations(compose, plan)).toEqual(['20240501100000_create_users', '20240520083000_create_notes']);
      expect(await tableExists(compose, plan, 'notes')).toBe(true);
    });
  },
});
