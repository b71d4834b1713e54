/**
 * Variables the app's code reads reach the app from .env when set there, and stay unset (not
 * empty) when not.
 */
import { appendFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { removeScratchCopies } from '../support/fixtures.js';
import { projectReadingVariables } from '../support/variants.js';
import { TestStack } from './support/stack.js';

describe.skipIf(!inject('dockerLab'))("the app's own variables", () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await TestStack.generate('express-knex-postgres', [], ['compose.yaml'], (dir) => projectReadingVariables(dir));
    // What a user does after `cp .env.example .env`: set one of them, leave the other out.
    appendFileSync(path.join(stack.dir, '.env'), 'JWT_SECRET=s3cret-from-env\n');
    expect((await stack.compose.up()).code).toBe(0);
  });
  afterAll(async () => {
    await stack?.destroy();
    removeScratchCopies();
  });

  it('a variable set in .env reaches the app; one left out stays unset', async () => {
    const probe = await stack.compose.exec('app', [
      'node',
      '-e',
      'console.log(JSON.stringify({ jwt: process.env.JWT_SECRET, stripe: process.env.STRIPE_KEY, sentry: process.env.SENTRY_DSN ?? "unset", banner: process.env.NEXT_PUBLIC_BANNER ?? "unset" }))',
    ]);
    // Set in .env; documented by the project's own .env.example; left commented out; build-time only.
    expect(JSON.parse(probe.stdout)).toEqual({ jwt: 's3cret-from-env', stripe: 'sk_test_123', sentry: 'unset', banner: 'unset' });
  });
});
