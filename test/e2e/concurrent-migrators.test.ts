/**
 * Ten migrators started at the same instant against one database. With the runner's lock they
 * all exit 0 and every migration is applied once; the same run without the lock (MIGRATE_LOCK=off)
 * must show the failure, proving that the test can fail.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { appliedMigrations, queryDatabase, startMigratorsTogether, tableExists, type MigratorRun } from '../../src/verify/checks.js';
import { removeScratchCopies } from '../support/fixtures.js';
import { engine, TestStack } from './support/stack.js';

const MIGRATORS = 10;

interface Case {
  fixture: string;
  /** A first migration that takes a second, so that every migrator is inside the race. */
  slowMigration: { file: string; text: string };
  tables: string[];
  migrations: number;
  /** False for tools that serialise themselves: then the run without our lock must succeed too. */
  racesWithoutLock: boolean;
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
        "  async up(queryRunner: QueryRunner): Promise<void> { await queryRunner.query('SELECT pg_sleep(1)'); }",
        '  async down(): Promise<void> {}',
        '}',
        '',
      ].join('\n'),
    },
    tables: ['customers', 'orders'],
    migrations: 3,
    racesWithoutLock: true,
  },
  {
    // Knex locks itself: with transactional migrations the others wait on knex_migrations_lock.
    fixture: 'express-knex-postgres',
    slowMigration: { file: 'migrations/20240101000000_warm_up.js', text: "exports.up = (knex) => knex.raw('SELECT pg_sleep(1)');\nexports.down = () => {};\n" },
    tables: ['customers', 'orders'],
    migrations: 3,
    racesWithoutLock: false,
  },
];

const summary = (runs: MigratorRun[]) => runs.map((run) => run.exitCode);

describe.skipIf(!inject('dockerLab')).each(CASES)('$fixture: $migrations migrations, 10 migrators at once', ({ fixture, slowMigration, tables, migrations, racesWithoutLock }) => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await TestStack.generate(fixture);
    mkdirSync(path.dirname(path.join(stack.dir, slowMigration.file)), { recursive: true });
    writeFileSync(path.join(stack.dir, slowMigration.file), slowMigration.text);
    expect((await stack.compose.up(['db'])).code).toBe(0);
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

  it(`without the lock (MIGRATE_LOCK=off), the same run ${racesWithoutLock ? 'fails' : 'is serialised by the tool itself'}`, async () => {
    await queryDatabase(stack.compose, stack.plan, 'DROP SCHEMA public CASCADE; CREATE SCHEMA public');
    const runs = await startMigratorsTogether(engine, stack.compose, MIGRATORS, { MIGRATE_LOCK: 'off' });
    const failed = runs.filter((run) => run.exitCode !== 0);
    const applied = await appliedMigrations(stack.compose, stack.plan).catch(() => []);
    const duplicates = applied.length - new Set(applied).size;
    if (racesWithoutLock) {
      // Errors, or migrations applied more than once: either shows the race the lock prevents.
      expect(failed.length + duplicates).toBeGreaterThan(0);
    } else {
      expect(summary(runs)).toEqual(Array(MIGRATORS).fill(0));
      expect(duplicates).toBe(0);
      expect(applied).toHaveLength(migrations);
    }
  });
});
