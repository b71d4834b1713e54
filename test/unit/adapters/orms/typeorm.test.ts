/**
 * TypeORM: detection of the data source (read as text, never run), the compiled file the CLI
 * runs, and the errors for malformed or incomplete setups, each naming the file.
 */
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { typeorm } from '../../../../src/adapters/orms/typeorm.js';
import { detectProject } from '../../../../src/detect/index.js';
import { detectionOf, FIXTURES, removeScratchCopies } from '../../../support/fixtures.js';
import { dataSource, detect, errorOf, escape, projectWith, TYPEORM_DEPS, TYPEORM_TSCONFIG } from '../../../support/orms.js';

afterAll(removeScratchCopies);

describe('TypeORM', () => {
  it('reads fixtures/express-typeorm-postgres: the compiled data source, its migrations and table', () => {
    const facts = detectProject(path.join(FIXTURES, 'express-typeorm-postgres'));
    expect(facts.orms.map((orm) => orm.id)).toEqual(['typeorm']);
    expect(detectionOf(facts.orms[0])).toEqual({
      configFile: 'src/data-source.ts',
      migrationsDir: 'src/migrations',
      migrateCommand: ['node_modules/.bin/typeorm', 'migration:run', '-d', 'dist/data-source.js'],
      cliPackage: 'typeorm',
      database: { value: 'postgres', source: 'src/data-source.ts' },
      urlVariable: { value: 'DATABASE_URL', source: 'src/data-source.ts' },
      migrationTable: 'typeorm_migrations',
      warnings: [],
      // The project's own migrate script runs (here the same command).
      notes: ["migrate runs the project's own scripts.migration:run: node_modules/.bin/typeorm migration:run -d dist/data-source.js"],
    });
  });

  it('maps a working-directory glob in the build output back to the sources, and keeps the default table', () => {
    const dir = projectWith(
      {
        'tsconfig.json': TYPEORM_TSCONFIG,
        'src/db/data-source.ts': dataSource(`  migrations: ['dist/db/migrations/*.js'],`),
        'src/db/migrations/1-Init.ts': '',
      },
      TYPEORM_DEPS,
    );
    const found = detect(typeorm, dir);
    expect(found).toMatchObject({
      migrationsDir: 'src/db/migrations',
      migrateCommand: ['node_modules/.bin/typeorm', 'migration:run', '-d', 'dist/db/data-source.js'],
    });
    expect(found?.migrationTable).toBeUndefined();
  });

  it('finds the folder of migration classes from their imports, and infers rootDir from include', () => {
    const dir = projectWith(
      {
        'tsconfig.json': JSON.stringify({ compilerOptions: { outDir: './build/' }, include: ['src/**/*.ts'] }),
        'src/data-source.ts': `import { Init1700000000000 } from './db/migrations/1700000000000-Init';\n${dataSource('  migrations: [Init1700000000000],')}`,
        'src/db/migrations/1700000000000-Init.ts': '',
      },
      TYPEORM_DEPS,
    );
    expect(detect(typeorm, dir)).toMatchObject({
      migrationsDir: 'src/db/migrations',
      migrateCommand: ['node_modules/.bin/typeorm', 'migration:run', '-d', 'build/data-source.js'],
    });
  });

  it('runs a JavaScript data source as it is, with path.join(__dirname, …) migrations', () => {
    const dir = projectWith(
      {
        'db.js': `const { DataSource } = require('typeorm');\nconst path = require('path');\nmodule.exports = new DataSource({ type: 'mysql', url: process.env.MYSQL_URL, migrations: [path.join(__dirname, 'migrations', '*.js')] });\n`,
        'migrations/1-Init.js': '',
      },
      { typeorm: '^1.1.1', mysql2: '^3' },
    );
    expect(detect(typeorm, dir)).toMatchObject({
      configFile: 'db.js',
      migrationsDir: 'migrations',
      migrateCommand: ['node_modules/.bin/typeorm', 'migration:run', '-d', 'db.js'],
      database: { value: 'mysql', source: 'db.js' },
      urlVariable: { value: 'MYSQL_URL', source: 'db.js' },
    });
  });

  it('picks the data source a package.json script passes to the CLI when there are several', () => {
    const dir = projectWith({
      'package.json': JSON.stringify({
        dependencies: TYPEORM_DEPS,
        scripts: { build: 'tsc', 'migration:run': 'typeorm migration:run -d dist/data-source.js' },
      }),
      'tsconfig.json': TYPEORM_TSCONFIG,
      'src/data-source.ts': dataSource(`  migrations: [__dirname + '/migrations/*.js'],`),
      'src/reporting-source.ts': dataSource(`  migrations: [],`),
      'src/migrations/1-Init.ts': '',
      'test/data-source.spec.ts': dataSource(''),
    });
    expect(detect(typeorm, dir)?.configFile).toBe('src/data-source.ts');
  });

  it('warns about synchronize and migrationsRun', () => {
    const dir = projectWith(
      {
        'tsconfig.json': TYPEORM_TSCONFIG,
        'src/data-source.ts': dataSource(`  synchronize: true,\n  migrationsRun: true,\n  migrations: [\`\${__dirname}/migrations/*.{js,ts}\`],`),
        'src/migrations/1-Init.ts': '',
      },
      TYPEORM_DEPS,
    );
    expect(detect(typeorm, dir)?.warnings).toEqual([expect.stringMatching(/synchronize: true/), expect.stringMatching(/migrationsRun: true/)]);
  });

  it('is not detected without the typeorm dependency or without a DataSource', () => {
    expect(detect(typeorm, projectWith({ 'src/data-source.ts': dataSource('  migrations: [],') }))).toBeUndefined();
    expect(detect(typeorm, projectWith({ 'src/server.ts': '// new DataSource( in a comment' }, TYPEORM_DEPS))).toBeUndefined();
  });

  describe('errors name the file and the fix', () => {
    it('no migrations option', () => {
      const dir = projectWith({ 'tsconfig.json': TYPEORM_TSCONFIG, 'src/data-source.ts': dataSource('  migrationsTableName: "m",') }, TYPEORM_DEPS);
      expect(errorOf(typeorm, dir)).toMatch(new RegExp(`^${escape(path.join(dir, 'src/data-source.ts'))}: the DataSource has no migrations option`));
    });

    it('several DataSources and no script naming one', () => {
      const dir = projectWith(
        { 'tsconfig.json': TYPEORM_TSCONFIG, 'src/a.ts': dataSource('  migrations: [],'), 'src/b.ts': dataSource('  migrations: [],') },
        TYPEORM_DEPS,
      );
      expect(errorOf(typeorm, dir)).toMatch(/package\.json: several files create a TypeORM DataSource \(src\/a\.ts, src\/b\.ts\): name the one/);
    });

    it('migrations that match TypeScript only, which the compiled data source cannot load', () => {
      const dir = projectWith(
        { 'tsconfig.json': TYPEORM_TSCONFIG, 'src/data-source.ts': dataSource(`  migrations: ['src/migrations/*.ts'],`), 'src/migrations/1-Init.ts': '' },
        TYPEORM_DEPS,
      );
      expect(errorOf(typeorm, dir)).toMatch(/data-source\.ts: migrations "src\/migrations\/\*\.ts" matches TypeScript files only/);
    });

    it('a TypeScript data source without outDir', () => {
      const dir = projectWith(
        { 'tsconfig.json': '{ "compilerOptions": {} }', 'src/data-source.ts': dataSource(`  migrations: [__dirname + '/migrations/*.js'],`) },
        TYPEORM_DEPS,
      );
      expect(errorOf(typeorm, dir)).toMatch(new RegExp(`^${escape(path.join(dir, 'tsconfig.json'))}: no compilerOptions.outDir.*never ts-node`));
    });

    it('a malformed tsconfig.json', () => {
      const dir = projectWith(
        { 'tsconfig.json': '{ "compilerOptions": { "outDir": "dist", } ', 'src/data-source.ts': dataSource(`  migrations: [__dirname + '/migrations/*.js'],`) },
        TYPEORM_DEPS,
      );
      expect(errorOf(typeorm, dir)).toMatch(/tsconfig\.json: invalid JSON/);
    });

    it('a DataSource that is not exported', () => {
      const dir = projectWith(
        {
          'tsconfig.json': TYPEORM_TSCONFIG,
          'src/data-source.ts': `import { DataSource } from 'typeorm';\nconst source = new DataSource({ type: 'postgres', migrations: [] });\n`,
        },
        TYPEORM_DEPS,
      );
      expect(errorOf(typeorm, dir)).toMatch(/data-source\.ts: creates a DataSource but does not export it/);
    });

    it('a migrations folder that does not exist', () => {
      const dir = projectWith(
        { 'tsconfig.json': TYPEORM_TSCONFIG, 'src/data-source.ts': dataSource(`  migrations: [__dirname + '/migrations/*.js'],`) },
        TYPEORM_DEPS,
      );
      expect(errorOf(typeorm, dir)).toMatch(
        new RegExp(`^${escape(path.join(dir, 'src/migrations'))}: the migrations directory of src/data-source.ts does not exist`),
      );
    });

    it('a TypeORM 0.2 ormconfig', () => {
      const dir = projectWith({ 'ormconfig.json': '{}' }, TYPEORM_DEPS);
      expect(errorOf(typeorm, dir)).toMatch(/ormconfig\.json: ormconfig files are not read by the TypeORM 0\.3\+ CLI/);
    });
  });
});
