/**
 * The migration lock under faults, on PostgreSQL through postgres.js (Drizzle's usual driver):
 * Drizzle takes no lock of its own. postgres.js recycles its connections (max_lifetime,
 * idle_timeout) and reconnects on the next query, without the session that held the lock: the
 * runner reserves a connection of its own with recycling off, and treats its closing as a lost
 * lock. A migration that sleeps 8 s gives each fault its window.
 *
 * Cases: two migrators where postgres.js is told to recycle connections after 2 s (PGMAX_LIFETIME,
 * PGIDLE_TIMEOUT, which postgres.js reads from the environment); the lock's session terminated
 * (pg_terminate_backend); then the whole stack comes up.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { appliedMigrations, queryDatabase, startMigrators, timeline } from '../../src/verify/measure.js';
import { tableExists } from '../support/database.js';
import { removeScratchCopies } from '../support/fixtures.js';
import { runnerLines, until } from './support/faults.js';
import { engine, TestStack } from './support/stack.js';

const TABLES = ['projects', 'tasks'];
const MIGRATIONS = 3;
/** postgres.js reads PG<OPTION> for any option it isn't given: every connection recycled within 2 s. */
const SHORT_LIVED = { PGMAX_LIFETIME: '2', PGIDLE_TIMEOUT: '1' };
/** The runners' lock sessions (application_name docker-migrate): the holder's and the waiter's. */
const RUNNERS = "SELECT COUNT(*) FROM pg_stat_activity WHERE application_name = 'docker-migrate'";

describe.skipIf(!inject('dockerLab'))('the migration lock under faults: PostgreSQL (postgres.js), Drizzle', () => {
  let stack: TestStack;
  const sql = (text: string) => queryDatabase(stack.compose, stack.plan, text);
  const applied = () => appliedMigrations(stack.compose, stack.plan).catch(() => [] as string[]);

  async function expectAllAppliedOnce(): Promise<void> {
    const hashes = await applied();
    expect(hashes).toHaveLength(MIGRATIONS);
    expect(new Set(hashes).size).toBe(MIGRATIONS);
    for (const table of TABLES) expect(await tableExists(stack.compose, stack.plan, table), table).toBe(true);
  }

  async function reset(): Promise<void> {
    await sql('DROP SCHEMA public CASCADE; CREATE SCHEMA public; DROP SCHEMA IF EXISTS drizzle CASCADE');
  }

  beforeAll(async () => {
    stack = await TestStack.generate('express-drizzle-postgres', [], ['compose.yaml'], (dir) => {
      // A slow third migration: Drizzle applies what its journal lists, all in one transaction.
      writeFileSync(path.join(dir, 'drizzle/0002_slow_backfill.sql'), 'SELECT pg_sleep(8);\n');
      const journalFile = path.join(dir, 'drizzle/meta/_journal.json');
      const journal = JSON.parse(readFileSync(journalFile, 'utf8')) as { entries: { idx: number; when: number; tag: string }[] };
      const last = journal.entries.at(-1)!;
      journal.entries.push({ ...last, idx: last.idx + 1, when: last.when + 1000, tag: '0002_slow_backfill' });
      writeFileSync(journalFile, JSON.stringify(journal, null, 2));
    });
    expect((await stack.compose.up(['db'])).code).toBe(0);
    const built = await stack.compose.run(['build', 'migrate']);
    expect(built.code, built.stderr).toBe(0);
  });
  afterAll(async () => {
    await stack?.destroy();
    removeScratchCopies();
  });

  it('the fault is real: a postgres.js client told to recycle after 2 s is on another session, without its lock, 4 s later', async () => {
    const [control] = await startMigrators(engine, stack.compose, [
      {
        env: SHORT_LIVED,
        command: [
          'node',
          '-e',
          "const sql = require('postgres')(process.env.DATABASE_URL, { max: 1 });" +
            ' (async () => { const [before] = await sql`SELECT pg_backend_pid() AS pid, pg_try_advisory_lock(42) AS locked`;' +
            ' await new Promise((r) => setTimeout(r, 4000));' +
            " const [after] = await sql`SELECT pg_backend_pid() AS pid, EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid()) AS held`;" +
            ' console.log(JSON.stringify({ before, after })); await sql.end(); })();',
        ],
      },
    ]);
    const { before, after } = JSON.parse(control!.output.trim().split('\n').at(-1)!) as {
      before: { pid: number; locked: boolean };
      after: { pid: number; held: boolean };
    };
    expect(before.locked).toBe(true);
    expect(after.pid).not.toBe(before.pid);
    expect(after.held).toBe(false);
  });

  it('two migrators with postgres.js recycling after 2 s: the lock holds for the whole 8 s migration, the second waits, each migration is applied once', async () => {
    await reset();
    const migrating = async () => Number((await sql("SELECT COUNT(*) FROM pg_stat_activity WHERE query LIKE 'SELECT pg_sleep(8)%'"))[0]![0]) > 0;
    // The second starts once the first is in the slow migration, which it runs holding the lock.
    const [first, second] = await startMigrators(engine, stack.compose, [{ env: SHORT_LIVED }, { env: SHORT_LIVED, startWhen: migrating }]);
    expect(first!.exitCode, first!.output).toBe(0);
    expect(runnerLines(first!)).toEqual([]);
    expect(second!.exitCode, second!.output).toBe(0);
    expect(runnerLines(second!)[0]).toMatch(/another migrator holds the migration lock on db:5432 \(held by PostgreSQL backend \d+\): waiting for it/);
    expect(runnerLines(second!)[1]).toMatch(/took the migration lock after waiting [\d.]+s/);
    await expectAllAppliedOnce();
  });

  it('the lock session is terminated mid-migration: postgres.js reports the close, the holder stops its tool and exits 74, the waiting migrator applies everything once', async () => {
    await reset();
    const runs = startMigrators(engine, stack.compose, [{}, { delayMs: 1500 }]);
    await until(
      'the slow migration runs',
      async () => Number((await sql("SELECT COUNT(*) FROM pg_stat_activity WHERE query LIKE '%pg_sleep(8)%' AND pid <> pg_backend_pid()"))[0]![0]) > 0,
    );
    await until('the second migrator waits for the lock', async () => Number((await sql(RUNNERS))[0]![0]) === 2);
    const [[pid]] = (await sql("SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted")) as [[string]];
    await sql(`SELECT pg_terminate_backend(${pid})`);
    const done = await runs;
    const holder = done.find((run) => /lost the migration lock/.test(run.output));
    const waiter = done.find((run) => run !== holder);
    expect(holder, done.map((run) => run.output).join('\n---\n')).toBeDefined();
    expect(holder!.exitCode).toBe(74);
    expect(holder!.output).toMatch(/docker-migrate: lost the migration lock after [\d.]+s \(.+\): stopping the migration tool/);
    expect(holder!.output).toMatch(/docker-migrate: exit 74: the migration lock was lost while the migration tool ran/);
    expect(waiter!.exitCode, waiter!.output).toBe(0);
    expect(waiter!.output).toMatch(/took the migration lock after waiting/);
    await expectAllAppliedOnce();
    console.log(`postgres.js, pg_terminate_backend → exit 74 (${runnerLines(holder!).join(' | ')})`);
  });

  it('the whole stack then comes up: migrate applies nothing new and exits 0, the app is healthy', async () => {
    const up = await stack.compose.up([], { timeoutMs: 300_000 });
    expect(up.code, up.stderr).toBe(0);
    const { migrate, app } = await timeline(engine, stack.compose);
    expect(migrate[0]!.exitCode).toBe(0);
    expect(app[0]!.health).toBe('healthy');
    await expectAllAppliedOnce();
  });
});
