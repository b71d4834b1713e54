/**
 * Prisma stacks on the lab engine, whose Prisma engines are placeholders served on the host's
 * loopback (../shared/docker-lab): the images build through that mirror, and the test applies the
 * migrations' SQL itself where `prisma migrate deploy` would have run the schema engine.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { ComposeProject } from '../../../src/verify/compose.js';
import { queryDatabase } from '../../../src/verify/measure.js';
import type { Plan } from '../../../src/plan/index.js';
import type { TestStack } from './stack.js';

export const PRISMA_ENGINES_MIRROR = 'http://127.0.0.1:5599';

/**
 * The stack with a test-only compose.lab.yaml: builds on the host network (the mirror is on its
 * loopback) with the mirror as build argument, and migrate given `migrateEnvironment` (the
 * installed engines' paths: the CLI checks a placeholder's version by running it and would try
 * to download it again; naming it skips the check).
 */
export function withPrismaMirror(stack: TestStack, migrateEnvironment: Record<string, string>): ComposeProject {
  const build = { network: 'host', args: { PRISMA_ENGINES_MIRROR } };
  return stack.withOverride('compose.lab.yaml', { services: { app: { build }, migrate: { build, environment: migrateEnvironment } } });
}

/** What `prisma migrate deploy` would apply: each migration folder's migration.sql, in order, with psql. */
export async function applyMigrationsWithPsql(lab: ComposeProject, plan: Plan, migrationsDir: string): Promise<void> {
  const migrations = readdirSync(migrationsDir)
    .filter((name) => /^\d+_/.test(name))
    .sort();
  for (const migration of migrations) await queryDatabase(lab, plan, readFileSync(path.join(migrationsDir, migration, 'migration.sql'), 'utf8'));
}
