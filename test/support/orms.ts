/**
 * Scratch projects and helpers shared by the migration-tool tests (test/unit/adapters/orms/):
 * each tool's configuration is read as text, never run, and a malformed one is a one-line error
 * naming the file.
 */
import path from 'node:path';
import { expect } from 'vitest';
import type { DetectionContext, OrmAdapter, OrmDetection } from '../../src/adapters/types.js';
import { detectionContext } from '../../src/detect/index.js';
import { detectPackageManager } from '../../src/detect/package-manager.js';
import { Project } from '../../src/project/project.js';
import { userErrorOf } from './errors.js';
import { scratchProject } from './fixtures.js';

/** A scratch project made of `files`, with a package.json depending on `dependencies` unless `files` has its own. */
export function projectWith(files: Record<string, string>, dependencies: Record<string, string> = {}): string {
  return scratchProject({ packageJson: { name: 'scratch', dependencies, scripts: { build: 'tsc', start: 'node dist/server.js' } }, files });
}

/** A scratch project made of `files`, with a package.json from `manifest`. */
export function project(manifest: Record<string, unknown>, files: Record<string, string> = {}): string {
  return scratchProject({ packageJson: { name: 'scratch', version: '1.0.0', ...manifest }, files });
}

/** What detection tells the adapters: the lockfile's versions, and --orm-config when given. */
function contextOf(project: Project, ormConfig?: string): DetectionContext {
  return detectionContext(project, detectPackageManager(project).manager?.value, ormConfig);
}

export function detect(adapter: OrmAdapter, dir: string, ormConfig?: string): OrmDetection | undefined {
  const project = new Project(dir);
  return adapter.detect(project, contextOf(project, ormConfig));
}

/** The UserError detection throws: one line. */
export function errorOf(adapter: OrmAdapter, dir: string, ormConfig?: string): string {
  return userErrorOf(() => detect(adapter, dir, ormConfig));
}

/** The UserError detection throws: one line, naming `file` (relative to `dir`) first. */
export function failure(adapter: OrmAdapter, dir: string, file: string): string {
  const message = errorOf(adapter, dir);
  expect(message.startsWith(`${path.join(dir, file)}:`), message).toBe(true);
  return message;
}

/** A line of code that leaves a mark and throws if anything ever runs it. */
export function trap(marker: string): string {
  return `require('node:fs').writeFileSync(${JSON.stringify(marker)}, 'executed'); throw new Error('detection executed project code');\n`;
}

/** `text` as a literal in a regular expression. */
export function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export const PRISMA_DEPS = { '@prisma/client': '6.19.3', prisma: '6.19.3' };
export const PRISMA_SCHEMA = `generator client {\n  provider = "prisma-client-js"\n}\n\ndatasource db {\n  provider = "postgresql"\n  url      = env("DATABASE_URL")\n}\n`;
export const PRISMA_MIGRATION = {
  'prisma/migrations/20240101000000_init/migration.sql': 'CREATE TABLE a (id int);',
  'prisma/migrations/migration_lock.toml': 'provider = "postgresql"\n',
};

export const TYPEORM_DEPS = { typeorm: '^1.1.1', pg: '^8.13.1' };
export const TYPEORM_TSCONFIG = JSON.stringify({ compilerOptions: { rootDir: 'src', outDir: 'dist' }, include: ['src'] });
export const dataSource = (options: string) =>
  `import { DataSource } from 'typeorm';\nexport const AppDataSource = new DataSource({\n  type: 'postgres',\n  url: process.env.DATABASE_URL,\n${options}\n});\n`;

export const DRIZZLE_DEPS = { 'drizzle-orm': '^0.45.4', 'drizzle-kit': '^0.31.11', pg: '^8' };
export const DRIZZLE_JOURNAL = { 'drizzle/meta/_journal.json': '{"version":"7","dialect":"postgresql","entries":[]}' };
export const drizzleConfig = (body: string) => `import { defineConfig } from 'drizzle-kit';\nexport default defineConfig({\n${body}\n});\n`;

/** tsconfig.json of the TypeScript projects of the Sequelize, MikroORM, node-pg-migrate and Kysely tests. */
export const COMMONJS_TSCONFIG = JSON.stringify({ compilerOptions: { rootDir: 'src', outDir: 'dist', module: 'commonjs' }, include: ['src'] });
