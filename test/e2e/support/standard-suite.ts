/**
 * The checks every generated stack must pass on the engine, as one describe block: generate
 * with --yes (plus flags), `up --wait`, the migrations' tables, then every guarantee `verify`
 * checks (src/verify/guarantees.ts) that applies to the plan, the disruptive ones last, and
 * cleanup. One call per fixture in test/e2e/*.test.ts.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { RUNNING_STACK_CHECKS } from '../../../src/verify/guarantees.js';
import { appliedMigrations, timeline } from '../../../src/verify/measure.js';
import type { CommandResult } from '../../../src/verify/compose.js';
import { tableExists } from '../../support/database.js';
import { removeScratchCopies } from '../../support/fixtures.js';
import { engine, TestStack } from './stack.js';

export interface StandardSuite {
  fixture: string;
  flags?: string[];
  /** Tables the fixture's migrations create. */
  tables: string[];
  /** How many migrations the tool records (one row each in its table). */
  migrations: number;
  /** Extra checks on the running stack (before the disruptive guarantees). */
  extra?: (stack: () => TestStack) => void;
}

export function standardStackSuite({ fixture, flags = [], tables, migrations, extra }: StandardSuite): void {
  describe.skipIf(!inject('dockerLab'))(`${fixture} on the engine`, async () => {
    // Generated while the tests are collected (a fraction of a second): the plan decides which guarantees apply.
    const stack = await TestStack.generate(fixture, flags);
    const checks = RUNNING_STACK_CHECKS.filter((check) => check.appliesTo(stack.plan));
    let up: CommandResult;

    beforeAll(async () => {
      up = await stack.compose.up();
    });
    afterAll(async () => {
      await stack.destroy();
      removeScratchCopies();
    });

    it('`docker compose up --wait` succeeds', () => {
      expect(up.stderr.split('\n').filter((line) => /error|didn't complete/i.test(line))).toEqual([]);
      expect(up.code).toBe(0);
    });

    it('the app is healthy and migrate exited 0', async () => {
      const { migrate, app } = await timeline(engine, stack.compose);
      if (stack.plan.strategy === 'compose') expect(migrate[0]!.exitCode).toBe(0);
      expect(app[0]!.health).toBe('healthy');
    });

    it(`the migrations' tables exist (${tables.join(', ')}) and each migration is recorded once`, async () => {
      for (const table of tables) expect(await tableExists(stack.compose, stack.plan, table), table).toBe(true);
      const applied = await appliedMigrations(stack.compose, stack.plan);
      expect(applied).toHaveLength(migrations);
      expect(new Set(applied).size).toBe(migrations);
    });

    for (const check of checks.filter((candidate) => !candidate.disruptive)) {
      it(check.guarantee(stack.plan), async () => {
        expect(await check.run({ plan: stack.plan, project: stack.compose, engine })).toMatchObject({ ok: true });
      });
    }

    extra?.(() => stack);

    for (const check of checks.filter((candidate) => candidate.disruptive)) {
      it(check.guarantee(stack.plan), async () => {
        expect(await check.run({ plan: stack.plan, project: stack.compose, engine })).toMatchObject({ ok: true });
      });
    }
  });
}
