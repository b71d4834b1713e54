/**
 * MikroORM: every configuration form the adapter reads, the compiled config the CLI runs, and a
 * one-line error naming the file for each malformed one.
 */
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { mikroOrm } from '../../../../src/adapters/orms/mikro-orm.js';
import { detectProject } from '../../../../src/detect/index.js';
import { buildPlan } from '../../../../src/plan/index.js';
import { resolveAnswers } from '../../../../src/plan/resolve.js';
import { detectionOf, FIXTURES, removeScratchCopies } from '../../../support/fixtures.js';
import { COMMONJS_TSCONFIG, detect, errorOf, failure, project } from '../../../support/orms.js';

afterAll(removeScratchCopies);

describe('MikroORM', () => {
  it('fastify-mikroorm-postgres: package.json#mikro-orm.configPaths → the compiled config, without ts-node', () => {
    const facts = detectProject(path.join(FIXTURES, 'fastify-mikroorm-postgres'));
    expect(facts.orms).toEqual([
      {
        id: 'mikro-orm',
        detection: {
          configFile: 'src/mikro-orm.config.ts',
          migrationsDir: 'src/migrations',
          migrateCommand: ['env', 'MIKRO_ORM_CLI_USE_TS_NODE=false', 'node_modules/.bin/mikro-orm', 'migration:up', '--config', 'dist/mikro-orm.config.js'],
          cliPackage: '@mikro-orm/cli',
          database: { value: 'postgres', source: 'src/mikro-orm.config.ts' },
          urlVariable: { value: 'DATABASE_URL', source: 'src/mikro-orm.config.ts' },
          warnings: [],
          notes: [
            "migrate runs the project's own scripts.migration:up: env MIKRO_ORM_CLI_USE_TS_NODE=false node_modules/.bin/mikro-orm migration:up --config dist/mikro-orm.config.js",
          ],
        },
      },
    ]);
  });

  it('a config committed only as a template (src/mikro-orm.config.ts.example) names the copy to make', () => {
    const dir = project(
      { ...v6Deps(), ...{ scripts: { build: 'tsc' } } },
      { 'src/mikro-orm.config.ts.example': "import { defineConfig } from '@mikro-orm/mysql';\nexport default defineConfig({ dbName: 'app' });\n" },
    );
    expect(errorOf(mikroOrm, dir)).toMatch(
      /src\/mikro-orm\.config\.ts\.example: the MikroORM config is committed only as this template: copy it to src\/mikro-orm\.config\.ts/,
    );
  });

  function v6Deps() {
    return {
      dependencies: { '@mikro-orm/core': '6.6.16', '@mikro-orm/postgresql': '6.6.16', '@mikro-orm/migrations': '6.6.16' },
      devDependencies: { '@mikro-orm/cli': '6.6.16' },
    };
  }

  const v6 = {
    dependencies: { '@mikro-orm/core': '6.6.16', '@mikro-orm/postgresql': '6.6.16', '@mikro-orm/migrations': '6.6.16' },
    devDependencies: { '@mikro-orm/cli': '6.6.16' },
  };
  const build = { scripts: { build: 'tsc' } };

  it('is not detected without @mikro-orm packages, nor for the ORM without its CLI and config', () => {
    expect(detect(mikroOrm, project({}, { 'mikro-orm.config.js': 'module.exports = {};' }))).toBeUndefined();
    expect(detect(mikroOrm, project({ dependencies: { '@mikro-orm/core': '6.6.16' } }))).toBeUndefined();
  });

  it('a JavaScript config at the root runs as it is, with migrations/ by default', () => {
    const dir = project(v6, { 'mikro-orm.config.js': 'module.exports = { clientUrl: process.env.PG_URL, entities: [] };\n', 'migrations/.keep': '' });
    expect(detect(mikroOrm, dir)).toMatchObject({
      configFile: 'mikro-orm.config.js',
      migrationsDir: 'migrations',
      migrateCommand: ['node_modules/.bin/mikro-orm', 'migration:up', '--config', 'mikro-orm.config.js'],
      database: { value: 'postgres', source: 'dependency @mikro-orm/postgresql' },
      urlVariable: { value: 'PG_URL' },
    });
  });

  it('src/mikro-orm.config.ts by default; __dirname-relative migrations; MikroORM 7 turns its TypeScript preference off', () => {
    const v7 = {
      ...build,
      dependencies: { '@mikro-orm/core': '^7.2.0', '@mikro-orm/mariadb': '^7.2.0', '@mikro-orm/migrations': '^7.2.0' },
      devDependencies: { '@mikro-orm/cli': '^7.2.0' },
    };
    const dir = project(v7, {
      'tsconfig.json': COMMONJS_TSCONFIG,
      'src/mikro-orm.config.ts':
        "import { defineConfig } from '@mikro-orm/mariadb';\nimport path from 'node:path';\nexport default defineConfig({\n  migrations: { path: path.join(__dirname, 'migrations'), tableName: 'schema_history' },\n});\n",
      'src/migrations/Migration1.ts': '',
    });
    expect(detect(mikroOrm, dir)).toMatchObject({
      configFile: 'src/mikro-orm.config.ts',
      migrationsDir: 'src/migrations',
      migrateCommand: ['env', 'MIKRO_ORM_CLI_PREFER_TS=false', 'node_modules/.bin/mikro-orm', 'migration:up', '--config', 'dist/mikro-orm.config.js'],
      database: { value: 'mariadb', source: 'src/mikro-orm.config.ts' },
      // No clientUrl: MikroORM reads its own variable.
      urlVariable: { value: 'MIKRO_ORM_CLIENT_URL' },
      migrationTable: 'schema_history',
      warnings: [],
    });
  });

  it('MikroORM 7 needs Node 22.17, and the plan warns when the image gets an older Node', async () => {
    const v7 = {
      dependencies: { '@mikro-orm/core': '^7.2.0', '@mikro-orm/sqlite': '^7.2.0', '@mikro-orm/migrations': '^7.2.0' },
      devDependencies: { '@mikro-orm/cli': '^7.2.0' },
    };
    const dir = project(v7, { '.nvmrc': '20\n', 'mikro-orm.config.js': 'module.exports = {};', 'migrations/.keep': '' });
    const minimumNode = { value: '22.17', source: 'MikroORM 7' };
    expect(detect(mikroOrm, dir)?.minimumNode).toEqual(minimumNode);

    // The plan is a function of data: the fixture's facts with the v7 requirement.
    const facts = detectProject(path.join(FIXTURES, 'fastify-mikroorm-postgres'));
    const orm = detectionOf(facts.orms[0]);
    orm.minimumNode = minimumNode;
    const { answers } = await resolveAnswers(facts, { flags: { node: '20' } });
    expect(buildPlan(facts, answers).warnings).toContainEqual(
      expect.stringMatching(/MikroORM 7 needs Node\.js 22\.17 or newer, but the image gets Node\.js 20: pass --node 22/),
    );
    const { answers: newer } = await resolveAnswers(facts, { flags: { node: '22' } });
    expect(buildPlan(facts, newer).warnings.join('\n')).not.toMatch(/needs Node/);
  });

  it('never picks a compiled config from a local build as the configuration', () => {
    const dir = project(
      { ...v6, ...build, 'mikro-orm': { configPaths: ['./dist/mikro-orm.config.js', './src/mikro-orm.config.ts'] } },
      {
        'tsconfig.json': COMMONJS_TSCONFIG,
        'dist/mikro-orm.config.js': 'exports.default = {};',
        'src/mikro-orm.config.ts': "export default { migrations: { path: 'dist/db/migrations', pathTs: 'src/db/migrations' } };",
        'src/db/migrations/Migration1.ts': '',
      },
    );
    expect(detect(mikroOrm, dir)).toMatchObject({ configFile: 'src/mikro-orm.config.ts', migrationsDir: 'src/db/migrations' });
  });

  it('malformed or incomplete configurations: one line naming the file and the fix', () => {
    const config = {
      'tsconfig.json': COMMONJS_TSCONFIG,
      'src/mikro-orm.config.ts': "export default { migrations: { path: 'dist/migrations', pathTs: 'src/migrations' } };",
      'src/migrations/Migration1.ts': '',
    };
    expect(failure(mikroOrm, project({ ...v6, ...build, 'mikro-orm': ['src/mikro-orm.config.ts'] }, config), 'package.json')).toMatch(
      /"mikro-orm" must be an object/,
    );
    expect(failure(mikroOrm, project({ ...v6, ...build, 'mikro-orm': { configPaths: 'src/mikro-orm.config.ts' } }, config), 'package.json')).toMatch(
      /configPaths must be an array/,
    );
    expect(failure(mikroOrm, project(v6), 'package.json')).toMatch(/no MikroORM config/);
    expect(
      failure(
        mikroOrm,
        project({ ...v6, dependencies: { '@mikro-orm/core': '6.6.16', '@mikro-orm/postgresql': '6.6.16' } }, { 'mikro-orm.config.js': 'module.exports = {};' }),
        'package.json',
      ),
    ).toMatch(/@mikro-orm\/migrations is not a dependency/);
    expect(failure(mikroOrm, project(v6, { 'mikro-orm.config.js': 'const config = {};\n' }), 'mikro-orm.config.js')).toMatch(/exports no configuration/);
    expect(
      failure(
        mikroOrm,
        project({ ...v6, ...build }, { ...config, 'src/mikro-orm.config.ts': "export default { migrations: { path: 'src/migrations' } };" }),
        'src/mikro-orm.config.ts',
      ),
    ).toMatch(/holds TypeScript.*path: 'dist\/migrations' and pathTs: 'src\/migrations'/);
    expect(
      failure(
        mikroOrm,
        project(
          { ...v6, ...build },
          { ...config, 'src/mikro-orm.config.ts': "export default { migrations: { path: 'dist/other', pathTs: 'src/migrations' } };" },
        ),
        'src/mikro-orm.config.ts',
      ),
    ).toMatch(/make them match/);
    expect(
      failure(
        mikroOrm,
        project({ ...v6, ...build }, { ...config, 'src/mikro-orm.config.ts': 'export default { migrations: { path: migrationsFolder } };' }),
        'src/mikro-orm.config.ts',
      ),
    ).toMatch(/can't read migrations\.path/);
    expect(
      failure(mikroOrm, project({ ...v6, ...build }, { ...config, 'tsconfig.json': '{ "compilerOptions": { "outDir": "dist", } ' }), 'tsconfig.json'),
    ).toMatch(/invalid JSON/);
    expect(failure(mikroOrm, project({ ...v6, ...build }, { ...config, 'tsconfig.json': '{ "compilerOptions": {} }' }), 'tsconfig.json')).toMatch(
      /no compilerOptions\.outDir/,
    );
    expect(failure(mikroOrm, project(v6, config), 'package.json')).toMatch(/no "build" script/);
  });
});
