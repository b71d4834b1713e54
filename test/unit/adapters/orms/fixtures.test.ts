/**
 * The fixtures of real-world migration setups (each also has an e2e test and golden files): what
 * detection reads from them, read with the parser and never run.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { detectProject } from '../../../../src/detect/index.js';
import { FIXTURES } from '../../../support/fixtures.js';

const ormOf = (fixture: string) => detectProject(path.join(FIXTURES, fixture));

describe('fixtures of real-world migration setups', () => {
  it("express-knex-convict-postgres: config/knexfile.js exports a convict config's db section, connection in parts", () => {
    const facts = ormOf('express-knex-convict-postgres');
    expect(facts.orms).toEqual([
      {
        id: 'knex',
        detection: {
          configFile: 'config/knexfile.js',
          migrationsDir: 'db/migrations',
          migrateCommand: ['node_modules/.bin/knex', '--knexfile', 'config/knexfile.js', 'migrate:latest'],
          cliPackage: 'knex',
          database: { value: 'postgres', source: 'config/knexfile.js' },
          connectionParts: {
            value: { host: 'DB_HOST', port: 'DB_PORT', user: 'DB_USER', password: 'DB_PASSWORD', database: 'DB_NAME' },
            source: 'config/knexfile.js',
          },
          warnings: [],
          notes: ["migrate runs the project's own scripts.migrate: node_modules/.bin/knex --knexfile config/knexfile.js migrate:latest"],
        },
      },
    ]);
    expect(facts.warnings).toEqual([]);
  });

  it("nestjs-typeorm-postgres: type from DATABASE_TYPE, tsconfig.build.json without test/, the project's ts-node migration:run run compiled", () => {
    const facts = ormOf('nestjs-typeorm-postgres');
    expect(facts.orms).toEqual([
      {
        id: 'typeorm',
        detection: {
          configFile: 'src/database/data-source.ts',
          migrationsDir: 'src/database/migrations',
          // The project's script, not the default `typeorm migration:run -d dist/database/data-source.js`.
          migrateCommand: ['node_modules/.bin/typeorm', '--dataSource=dist/database/data-source.js', 'migration:run'],
          cliPackage: 'typeorm',
          urlVariable: { value: 'DATABASE_URL', source: 'src/database/data-source.ts' },
          databaseTypeVariable: {
            name: 'DATABASE_TYPE',
            values: { postgres: 'postgres', mysql: 'mysql', mariadb: 'mariadb', sqlite: 'better-sqlite3' },
            source: 'src/database/data-source.ts',
          },
          warnings: [],
          notes: [
            "migrate runs the project's own scripts.migration:run: node_modules/.bin/typeorm --dataSource=dist/database/data-source.js migration:run",
            'scripts.migration:run ("ts-node -r tsconfig-paths/register ./node_modules/typeorm/cli.js") runs typeorm through ts-node: the image runs the compiled equivalent, typeorm --dataSource=dist/database/data-source.js migration:run',
          ],
        },
      },
    ]);
    // The database is the driver's: the configuration leaves it to DATABASE_TYPE.
    expect(facts.database).toEqual({ value: 'postgres', source: 'dependency pg' });
  });

  it('express-prisma7-postgres: prisma.config.ts, the prisma-client generator into src/generated, a driver adapter', () => {
    const facts = ormOf('express-prisma7-postgres');
    expect(facts.orms).toEqual([
      {
        id: 'prisma',
        detection: {
          configFile: 'prisma.config.ts',
          migrationsDir: 'prisma/migrations',
          migrateCommand: ['node_modules/.bin/prisma', 'migrate', 'deploy'],
          cliPackage: 'prisma',
          database: { value: 'postgres', source: 'prisma/schema.prisma' },
          urlVariable: { value: 'DATABASE_URL', source: 'prisma.config.ts' },
          // tsconfig.json too: the prisma-client generator infers its import extensions from it.
          installFiles: ['prisma.config.ts', 'prisma/schema.prisma', 'tsconfig.json'],
          // env('DATABASE_URL') throws while the image builds: a placeholder for generate, which never connects.
          installCommands: ['DATABASE_URL=postgresql://build:build@localhost:5432/build node_modules/.bin/prisma generate'],
          systemPackages: ['openssl'],
          buildArgs: ['PRISMA_ENGINES_MIRROR'],
          // The client is generated into the sources and compiled with them: nothing of node_modules/.prisma.
          runtimeCopies: [],
          sqliteUrlPrefix: 'file:',
          warnings: [],
          notes: ["migrate runs the project's own scripts.migrate: node_modules/.bin/prisma migrate deploy"],
        },
      },
    ]);
  });
});
