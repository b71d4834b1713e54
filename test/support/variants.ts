/** Fixture copies changed for one test's purpose (shared by the unit and e2e layers). */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { copyFixture, read } from './fixtures.js';

/** The spine fixture whose code also reads JWT_SECRET, SENTRY_DSN, STRIPE_KEY and a build-time variable. */
export function projectReadingVariables(dir = copyFixture('express-knex-postgres')): string {
  const server = path.join(dir, 'src/server.ts');
  writeFileSync(
    server,
    `${read(dir, 'src/server.ts')}\nconst secret = process.env.JWT_SECRET;\nconst stripe = process.env['STRIPE_KEY'];\nconst sentry = process.env.SENTRY_DSN;\nconst shown = process.env.NEXT_PUBLIC_BANNER;\nvoid [secret, stripe, sentry, shown];\n`,
  );
  mkdirSync(path.join(dir, 'src/__tests__'), { recursive: true });
  writeFileSync(path.join(dir, 'src/__tests__/health.test.ts'), 'export const ci = process.env.CI_ONLY_IN_TESTS;\n');
  writeFileSync(path.join(dir, '.env.example'), `${read(dir, '.env.example')}STRIPE_KEY=sk_test_123\n`);
  return dir;
}
