/**
 * The checks every generated stack must pass on the engine, as one describe block: generate
 * with --yes (plus flags), `up --wait`, migrations applied once and before the app, /health 200,
 * a second `up` applies nothing, cleanup. One call per fixture in test/e2e/*.test.ts.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { appliedMigrations, httpGet, tableExists, timeline } from '../../../src/verify/checks.js';
import type { CommandResult } from '../../../src/verify/compose.js';
import { removeScratchCopies } from '../../support/fixtures.js';
import { engine, TestStack } from './stack.js';

export interface StandardSuite {
  fixture: string;
  flags?: string[];
  /** Tables the fixture's migrations create. */
  tables: string[];
  /** How many migrations the tool records (one row each in its table). */
  migrations: number;
  /** Extra checks on the running stack. */
  extra?: (stack: () => TestStack) => void;
}

export function standardStackSuite({ fixture, flags = [], tables, migrations, extra }: StandardSuite): void {
  describe.skipIf(!inject('dockerLab'))(`${fixture} on the engine`, () => {
    let stack: TestStack;
    let up: CommandResult;

    beforeAll(async () => {
      stack = await TestStack.generate(fixture, flags);
      up = await stack.compose.up();
    });
    afterAll(async () => {
      await stack?.destroy();
      removeScratchCopies();
    });

    it('`docker compose up --wait` succeeds', () => {
      expect(up.stderr.split('\n').filter((line) => /error|didn't complete/i.test(line))).toEqual([]);
      expect(up.code).toBe(0);
    });

    it('migrate exited 0 before app started', async () => {
      const { migrate, app } = await timeline(engine, stack.compose);
      expect(migrate[0]!.exitCode).toBe(0);
      expect(app[0]!.health).toBe('healthy');
      expect(migrate[0]!.finishedAt!.getTime()).toBeLessThanOrEqual(app[0]!.startedAt!.getTime());
    });

    it(`the migrations' tables exist (${tables.join(', ')}) and each migration is recorded once`, async () => {
      for (const table of tables) expect(await tableExists(stack.compose, stack.plan, table), table).toBe(true);
      const applied = await appliedMigrations(stack.compose, stack.plan);
      expect(applied).toHaveLength(migrations);
      expect(new Set(applied).size).toBe(migrations);
    });

    it(`${'/health'} answers 200`, async () => {
      expect((await httpGet(stack.url(stack.plan.app.healthPath))).status).toBe(200);
    });

    it('a second `up` applies nothing again', async () => {
      const before = await appliedMigrations(stack.compose, stack.plan);
      expect((await stack.compose.up()).code).toBe(0);
      expect(await appliedMigrations(stack.compose, stack.plan)).toEqual(before);
    });

    extra?.(() => stack);
  });
}
