/**
 * The migration-tool registry: its order, what each tool declares about its lock and its table,
 * and proof that detection reads every tool's configuration files without running them.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { drizzle } from '../../../../src/adapters/orms/drizzle.js';
import { orms } from '../../../../src/adapters/orms/index.js';
import { kysely } from '../../../../src/adapters/orms/kysely.js';
import { mikroOrm } from '../../../../src/adapters/orms/mikro-orm.js';
import { nodePgMigrate } from '../../../../src/adapters/orms/node-pg-migrate.js';
import { prisma } from '../../../../src/adapters/orms/prisma.js';
import { sequelize } from '../../../../src/adapters/orms/sequelize.js';
import { typeorm } from '../../../../src/adapters/orms/typeorm.js';
import { detectProject } from '../../../../src/detect/index.js';
import { removeScratchCopies, scratchDir } from '../../../support/fixtures.js';
import {
  dataSource,
  detect,
  DRIZZLE_DEPS,
  DRIZZLE_JOURNAL,
  drizzleConfig,
  PRISMA_DEPS,
  PRISMA_MIGRATION,
  PRISMA_SCHEMA,
  project,
  projectWith,
  trap,
  TYPEORM_DEPS,
  TYPEORM_TSCONFIG,
} from '../../../support/orms.js';

afterAll(removeScratchCopies);

describe('registry', () => {
  it('lists prisma, typeorm and drizzle before knex', () => {
    expect(orms.map((orm) => orm.id).slice(0, 4)).toEqual(['prisma', 'typeorm', 'drizzle', 'knex']);
  });

  it('declares each tool’s lock and migration table', () => {
    expect([prisma.takesOwnLock, typeorm.takesOwnLock, drizzle.takesOwnLock]).toEqual([true, false, false]);
    expect([prisma.migrationTable, prisma.migrationNameColumn]).toEqual(['_prisma_migrations', 'migration_name']);
    expect([typeorm.migrationTable, typeorm.migrationNameColumn]).toEqual(['migrations', 'name']);
    expect([drizzle.migrationTable, drizzle.migrationNameColumn]).toEqual(['__drizzle_migrations', 'hash']);
    expect(prisma.lockNote).toMatch(/pg_advisory_lock/);
    expect(typeorm.lockNote).toMatch(/no lock/);
    expect(drizzle.lockNote).toMatch(/no lock/);
  });
});

describe('detection reads configuration files and never runs them', () => {
  it('config files that would throw or write when run are only read', () => {
    const marker = path.join(scratchDir('marker'), 'ran');
    const payload = `require('node:fs').writeFileSync(${JSON.stringify(marker)}, 'ran'); throw new Error('executed');\n`;
    const dir = projectWith(
      {
        'prisma.config.ts': `${payload}export default { schema: 'prisma/schema.prisma' };\n`,
        'prisma/schema.prisma': PRISMA_SCHEMA,
        ...PRISMA_MIGRATION,
        'drizzle.config.ts': `${payload}${drizzleConfig(`  dialect: 'postgresql',\n  dbCredentials: { url: process.env.DATABASE_URL! },`)}`,
        ...DRIZZLE_JOURNAL,
        'tsconfig.json': TYPEORM_TSCONFIG,
        'src/data-source.ts': `${payload}${dataSource(`  migrations: [__dirname + '/migrations/*.js'],`)}`,
        'src/migrations/1-Init.ts': '',
      },
      { ...PRISMA_DEPS, ...TYPEORM_DEPS, ...DRIZZLE_DEPS },
    );
    const facts = detectProject(dir);
    expect(facts.orms.map((orm) => orm.id)).toEqual(['prisma', 'typeorm', 'drizzle']);
    expect(existsSync(marker)).toBe(false);
  });

  it.each([
    [
      'Sequelize',
      sequelize,
      { devDependencies: { 'sequelize-cli': '^6.6.0' } },
      { '.sequelizerc': 'TRAP', 'config/config.js': "TRAP\nmodule.exports = { production: { use_env_variable: 'DATABASE_URL' } };", 'migrations/1.js': 'TRAP' },
    ],
    [
      'MikroORM',
      mikroOrm,
      { dependencies: { '@mikro-orm/core': '6.6.16', '@mikro-orm/migrations': '6.6.16' } },
      { 'mikro-orm.config.js': 'TRAP\nmodule.exports = {};', 'migrations/Migration1.js': 'TRAP' },
    ],
    [
      'node-pg-migrate',
      nodePgMigrate,
      { dependencies: { 'node-pg-migrate': '^9.0.0' }, scripts: { migrate: 'node-pg-migrate up -f migrate.js' } },
      { 'migrate.js': "TRAP\nmodule.exports = { 'migrations-dir': 'migrations' };", 'migrations/1.js': 'TRAP' },
    ],
    [
      'Kysely',
      kysely,
      { dependencies: { kysely: '^0.28.0' } },
      {
        'migrate.cjs':
          "TRAP\nconst { FileMigrationProvider, Migrator } = require('kysely');\nconst { error } = await new Migrator({ provider: new FileMigrationProvider({ migrationFolder: 'migrations' }) }).migrateToLatest();\nif (error) process.exit(1);",
        'migrations/1.js': 'TRAP',
      },
    ],
  ])('%s', (_name, adapter, manifest, files) => {
    const dir = scratchDir('trap');
    const marker = path.join(dir, 'EXECUTED');
    const trapped = Object.fromEntries(Object.entries(files).map(([file, text]) => [file, text.replace('TRAP', trap(marker))]));
    const root = project(manifest, trapped);
    expect(detect(adapter, root)).toBeDefined();
    expect(existsSync(marker)).toBe(false);
  });
});
