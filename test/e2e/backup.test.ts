/**
 * --backup: a dump of the database is taken before every migration run, old ones are pruned, and
 * `docker compose run --rm backup restore` brings the data back.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { queryDatabase, timeline } from '../../src/verify/measure.js';
import { tableExists } from '../support/database.js';
import type { ComposeProject } from '../../src/verify/compose.js';
import { removeScratchCopies } from '../support/fixtures.js';
import { engine, TestStack } from './support/stack.js';

describe.skipIf(!inject('dockerLab'))('--backup', () => {
  let stack: TestStack;
  let keepTwo: ComposeProject;

  const list = async () => (await keepTwo.run(['run', '--rm', '-T', 'backup', 'list'])).stdout.trim().split('\n').filter(Boolean);

  beforeAll(async () => {
    stack = await TestStack.generate('express-knex-postgres', ['--backup']);
    keepTwo = stack.withOverride('compose.keep-two.yaml', { services: { backup: { environment: { BACKUP_KEEP: '2' } } } });
    expect((await keepTwo.up()).code).toBe(0);
  });
  afterAll(async () => {
    await stack?.destroy();
    removeScratchCopies();
  });

  it('the backup finished before migrate started, which finished before the app started', async () => {
    const [backup] = await engine.serviceContainers(keepTwo.name, 'backup');
    const { migrate, app } = await timeline(engine, keepTwo);
    expect(backup!.exitCode).toBe(0);
    expect(backup!.finishedAt!.getTime()).toBeLessThanOrEqual(migrate[0]!.startedAt!.getTime());
    expect(migrate[0]!.finishedAt!.getTime()).toBeLessThanOrEqual(app[0]!.startedAt!.getTime());
    expect(await list()).toHaveLength(1);
  });

  it('every up backs up again, keeping the newest BACKUP_KEEP', async () => {
    await queryDatabase(keepTwo, stack.plan, "INSERT INTO customers (email, name) VALUES ('ann@example.com', 'Ann')");
    for (let run = 0; run < 2; run++) {
      await new Promise((resolve) => setTimeout(resolve, 1100)); // backups are named by the second
      expect((await keepTwo.up()).code).toBe(0);
    }
    const backups = await list();
    expect(backups).toHaveLength(2);
    // Named by time, then by the migration state they precede.
    expect(backups.every((file) => /^\/backups\/\d{8}T\d{6}Z-2-migrations\.dump$/.test(file))).toBe(true);
  });

  it('restore brings back what a disaster removed', async () => {
    await queryDatabase(keepTwo, stack.plan, 'DROP TABLE orders; DELETE FROM customers');
    expect(await tableExists(keepTwo, stack.plan, 'orders')).toBe(false);
    const restore = await keepTwo.run(['run', '--rm', '-T', 'backup', 'restore']);
    expect(restore.code, restore.stderr).toBe(0);
    expect(restore.stdout).toMatch(/docker-backup: restored \/backups\/\d{8}T\d{6}Z-2-migrations\.dump \(2 migrations applied\)/);
    expect(await tableExists(keepTwo, stack.plan, 'orders')).toBe(true);
    expect(await queryDatabase(keepTwo, stack.plan, 'SELECT email FROM customers')).toEqual([['ann@example.com']]);
  });

  it('after a failed migration, restore returns the exact pre-migration schema and rows (even what the failure created is gone)', async () => {
    const schema = async () =>
      (await keepTwo.exec('db', ['sh', '-c', 'pg_dump -U "$POSTGRES_USER" -d "$POSTGRES_DB" --schema-only'])).stdout
        .split('\n')
        .filter((line) => !/^\\(un)?restrict /.test(line))
        .join('\n');
    const rows = () => queryDatabase(keepTwo, stack.plan, 'SELECT email FROM customers ORDER BY email');
    await queryDatabase(keepTwo, stack.plan, "INSERT INTO customers (email, name) VALUES ('bob@example.com', 'Bob')");
    const [schemaBefore, rowsBefore] = [await schema(), await rows()];
    // Not in a transaction: the failure leaves a table behind, as real non-transactional migrations do.
    writeFileSync(
      path.join(stack.dir, 'migrations/20240301000000_half_done.js'),
      "exports.config = { transaction: false };\nexports.up = async (knex) => { await knex.schema.createTable('half_done', (t) => t.increments()); throw new Error('boom'); };\nexports.down = async () => {};\n",
    );
    await new Promise((resolve) => setTimeout(resolve, 1100)); // backups are named by the second
    // --build: the migrate image must carry the new migration.
    const failed = await keepTwo.run(['up', '--detach', '--wait', '--build']);
    expect(failed.code).not.toBe(0);
    expect(failed.stderr).toMatch(/service "migrate" didn't complete successfully/);
    expect(await tableExists(keepTwo, stack.plan, 'half_done')).toBe(true);

    expect((await keepTwo.run(['stop', 'app'])).code).toBe(0);
    const restore = await keepTwo.run(['run', '--rm', '-T', 'backup', 'restore']);
    expect(restore.code, restore.stderr).toBe(0);
    expect(await tableExists(keepTwo, stack.plan, 'half_done')).toBe(false);
    expect(await schema()).toBe(schemaBefore);
    expect(await rows()).toEqual(rowsBefore);
  });

  it('restoring a backup that does not exist says how to list them', async () => {
    const restore = await keepTwo.run(['run', '--rm', '-T', 'backup', 'restore', 'nope.dump']);
    expect(restore.code).toBe(66);
    expect(restore.stderr).toMatch(/docker-backup: no backup '\/backups\/nope\.dump': see docker compose run --rm backup list/);
  });
});
