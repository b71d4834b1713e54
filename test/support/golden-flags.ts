/** Flags a fixture needs to generate with --yes (what a user would answer at the prompts). */
export const GOLDEN_FLAGS: Record<string, string[]> = {
  // mysql2 is detected as MySQL; the fixture runs on MariaDB (mysql2 speaks to both).
  'pnpm-express-knex-mariadb': ['--db', 'mariadb', '--db-image', 'mariadb:10.11'],
  // Workspace roots with several deployable apps: the one to build (yarn-/bun-workspaces have one, picked by itself).
  'pnpm-turbo-monorepo': ['--app', 'apps/api'],
  'npm-workspaces-nest-knex': ['--app', 'apps/api'],
};

export function flagsFor(fixture: string): string[] {
  return GOLDEN_FLAGS[fixture] ?? [];
}

/** Generated setups with golden files besides each fixture's default: one per other choice. */
export interface GoldenCase {
  /** Directory name under test/golden/__golden__. */
  name: string;
  fixture: string;
  flags: string[];
}

export const GOLDEN_VARIANTS: GoldenCase[] = [
  { name: 'express-knex-postgres--strategy-entrypoint', fixture: 'express-knex-postgres', flags: ['--strategy', 'entrypoint'] },
  { name: 'express-knex-postgres--strategy-ci', fixture: 'express-knex-postgres', flags: ['--strategy', 'ci'] },
  { name: 'express-knex-postgres--swarm', fixture: 'express-knex-postgres', flags: ['--swarm'] },
  { name: 'express-knex-postgres--backup', fixture: 'express-knex-postgres', flags: ['--backup'] },
  { name: 'express-knex-postgres--ci-github--strategy-compose', fixture: 'express-knex-postgres', flags: ['--ci', 'github', '--strategy', 'compose'] },
  { name: 'express-knex-postgres--ci-github--strategy-entrypoint', fixture: 'express-knex-postgres', flags: ['--ci', 'github', '--strategy', 'entrypoint'] },
  { name: 'express-knex-postgres--ci-github--strategy-ci', fixture: 'express-knex-postgres', flags: ['--ci', 'github', '--strategy', 'ci'] },
  { name: 'express-knex-postgres--ci-gitlab--strategy-compose', fixture: 'express-knex-postgres', flags: ['--ci', 'gitlab', '--strategy', 'compose'] },
  { name: 'express-knex-postgres--ci-gitlab--strategy-entrypoint', fixture: 'express-knex-postgres', flags: ['--ci', 'gitlab', '--strategy', 'entrypoint'] },
  { name: 'express-knex-postgres--ci-gitlab--strategy-ci', fixture: 'express-knex-postgres', flags: ['--ci', 'gitlab', '--strategy', 'ci'] },
];

/** Every fixture with its own flags, then the variants. */
export function goldenCases(fixtures: string[]): GoldenCase[] {
  return [...fixtures.map((fixture) => ({ name: fixture, fixture, flags: flagsFor(fixture) })), ...GOLDEN_VARIANTS];
}
