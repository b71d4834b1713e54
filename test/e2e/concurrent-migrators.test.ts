/**
 * Ten migrators started at the same instant against one database. With the runner's lock they
 * all exit 0 and every migration is applied once; the same run without the lock (MIGRATE_LOCK=off)
 * must show the failure, proving that the test can fail. One case per lock: PostgreSQL advisory
 * lock, MariaDB GET_LOCK, SQLite exclusive transaction.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { appliedMigrations, queryDatabase, startMigrators, startMigratorsTogether, type MigratorRun } from '../../src/verify/measure.js';
import { tableExists } from '../support/database.js';
import { runCommand } from '../../src/verify/compose.js';
import { removeScratchCopies } from '../support/fixtures.js';
import { engine, TestStack } from './support/stack.js';

const MIGRATORS = 10;

interface Case {
  fixture: string;
  /** A first migration that takes seconds, so that all ten migrators, however staggered their start-up, are inside the race. */
  slowMigration: { file: string; text: string; journal?: { file: string; tag: string } };
  /** Empties the database between the two runs. */
  reset: (stack: TestStack) => Promise<unknown>;
  tables: string[];
  migrations: number;
  /** What ten migrators do without our lock: race (errors or double application), or stay serialised by the tool itself. */
  withoutLock: 'races' | 'serialised';
}

const CASES: Case[] = [
  {
    // TypeORM takes no lock of its own (typeorm#4588).
    fixture: 'express-typeorm-postgres',
    slowMigration: {
      file: 'src/migrations/1600000000000-WarmUp.ts',
      text: [
        "import { MigrationInterface, QueryRunner } from 'typeorm';",
        '',
        'export class WarmUp1600000000000 implements MigrationInterface {',
        "  async up(queryRunner: QueryRunner): Promise<void> { await queryRunner.query('SELECT pg_sleep(5)'); }",
        '  async down(): Promise<void> {}',
        '}',
        '',
      ].join('\n'),
    },
    reset: (stack) => queryDatabase(stack.compose, stack.plan, 'DROP SCHEMA public CASCADE; CREATE SCHEMA public'),
    tables: ['customers', 'orders'],
    migrations: 3,
    withoutLock: 'races',
  },
  {
    // Sequelize takes no lock (SequelizeMeta only records names); the lock is MariaDB's GET_LOCK.
    fixture: 'express-sequelize-mariadb',
    slowMigration: {
      file: 'db/migrations/20240101000000-warm-up.js',
      text: "module.exports = {\n  up: (queryInterface) => queryInterface.sequelize.query('SELECT SLEEP(5)'),\n  down: async () => {},\n};\n",
    },
    reset: (stack) => queryDatabase(stack.compose, stack.plan, 'DROP DATABASE app; CREATE DATABASE app'),
    tables: ['authors', 'books'],
    migrations: 3,
    withoutLock: 'races',
  },
  {
    // Drizzle takes no lock; on SQLite the lock is an exclusive transaction on a lock file.
    fixture: 'express-drizzle-sqlite',
    slowMigration: {
      file: 'drizzle/0000_warm_up.sql',
      // SQLite has no sleep(): count to twenty million (a few seconds) instead.
      text: 'WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < 20000000) SELECT COUNT(*) FROM n;\n',
      journal: { file: 'drizzle/meta/_journal.json', tag: '0000_warm_up' },
    },
    reset: async (stack) => {
      // The volume goes with every container that mounts it (compose created one for its network).
      await stack.compose.run(['--profile', 'migrate', 'rm', '--force', '--stop', 'migrate']);
      const removed = await runCommand('docker', ['volume', 'rm', `${stack.compose.name}_${stack.plan.database.volume}`]);
      expect(removed.code, removed.stderr).toBe(0);
    },
    tables: ['authors', 'notes'],
    migrations: 3,
    withoutLock: 'races',
  },
  {
    // Knex locks itself: with transactional migrations the others wait on knex_migrations_lock.
    fixture: 'express-knex-postgres',
    slowMigration: { file: 'migrations/20240101000000_warm_up.js', text: "exports.up = (knex) => knex.raw('SELECT pg_sleep(5)');\nexports.down = () => {};\n" },
    // Knex's own tables stay (emptied): creating them is not under its lock, and ten migrators
    // creating them at once race on CREATE TABLE (which is not what this case shows).
    reset: (stack) =>
      queryDatabase(
        stack.compose,
        stack.plan,
        'DROP TABLE orders, customers CASCADE; DELETE FROM knex_migrations; UPDATE knex_migrations_lock SET is_locked = 0',
      ),
    tables: ['customers', 'orders'],
    migrations: 3,
    withoutLock: 'serialised',
  },
];

const summary = (runs: MigratorRun[]) => runs.map((run) => run.exitCode);

describe.skipIf(!inject('dockerLab')).each(CASES)(
  '$fixture: $migrations migrations, 10 migrators at once',
  ({ fixture, slowMigration, reset, tables, migrations, withoutLock }) => {
    let stack: TestStack;

    beforeAll(async () => {
      stack = await TestStack.generate(fixture);
      mkdirSync(path.dirname(path.join(stack.dir, slowMigration.file)), { recursive: true });
      writeFileSync(path.join(stack.dir, slowMigration.file), slowMigration.text);
      if (slowMigration.journal) {
        // Drizzle applies what its journal lists: put the warm-up first.
        const journalFile = path.join(stack.dir, slowMigration.journal.file);
        const journal = JSON.parse(readFileSync(journalFile, 'utf8')) as { entries: { idx: number; when: number; tag: string }[] };
        journal.entries = [
          { ...journal.entries[0]!, idx: 0, when: journal.entries[0]!.when - 1000, tag: slowMigration.journal.tag },
          ...journal.entries.map((entry) => ({ ...entry, idx: entry.idx + 1 })),
        ];
        writeFileSync(journalFile, JSON.stringify(journal, null, 2));
      }
      if (stack.plan.database.kind === 'server') expect((await stack.compose.up(['db'])).code).toBe(0);
      expect((await stack.compose.run(['build', 'migrate'])).code).toBe(0);
    });
    afterAll(async () => {
      await stack?.destroy();
      removeScratchCopies();
    });

    it('with the lock: all exit 0, each migration applied exactly once, schema complete', async () => {
      const runs = await startMigratorsTogether(engine, stack.compose, MIGRATORS);
      expect(summary(runs), runs.map((r) => r.output).join('\n---\n')).toEqual(Array(MIGRATORS).fill(0));
      const applied = await appliedMigrations(stack.compose, stack.plan);
      expect(applied).toHaveLength(migrations);
      expect(new Set(applied).size).toBe(migrations);
      for (const table of tables) expect(await tableExists(stack.compose, stack.plan, table)).toBe(true);
      // The others waited their turn.
      expect(runs.filter((run) => /another migrator holds the migration lock/.test(run.output)).length).toBeGreaterThan(0);
    });

    it('a migrator gives up after MIGRATE_LOCK_TIMEOUT while another holds the lock, naming the timeout', async () => {
      const holding = async () => (await engine.containerOutput(`${stack.compose.name}-migrator-1`)).includes('holding the lock');
      const [holder, waiter] = await startMigrators(engine, stack.compose, [
        // The runner holding the lock around a command that takes a while.
        { command: ['node', 'docker-migrate.mjs', 'sh', '-c', 'echo holding the lock && sleep 8'] },
        { env: { MIGRATE_LOCK_TIMEOUT: '2' }, startWhen: holding },
      ]);
      expect(holder!.exitCode).toBe(0);
      expect(waiter!.output).toMatch(/another migrator holds the migration lock on .*: waiting for it \(up to 2s\)/);
      expect(waiter!.output).toMatch(/another migrator still holds the migration lock on .* after 2s \(MIGRATE_LOCK_TIMEOUT\): giving up/);
      expect(waiter!.exitCode).toBe(75);
    });

    it(`without the lock (MIGRATE_LOCK=off), the same run ${withoutLock === 'races' ? 'fails' : 'is serialised by the tool itself'}`, async () => {
      await reset(stack);
      const runs = await startMigratorsTogether(engine, stack.compose, MIGRATORS, { MIGRATE_LOCK: 'off' });
      const failed = runs.filter((run) => run.exitCode !== 0);
      const applied = await appliedMigrations(stack.compose, stack.plan).catch(() => []);
      const duplicates = applied.length - new Set(applied).size;
      if (withoutLock === 'races') {
        // Errors, or migrations applied more than once: either shows the race the lock prevents.
        expect(failed.length + duplicates).toBeGreaterThan(0);
      } else {
        expect(summary(runs)).toEqual(Array(MIGRATORS).fill(0));
        expect(duplicates).toBe(0);
        expect(applied).toHaveLength(migrations);
      }
    });
  },
);
