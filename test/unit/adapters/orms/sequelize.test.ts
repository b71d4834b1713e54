/**
 * Sequelize (sequelize-cli): every configuration form the adapter reads, and a one-line error
 * naming the file for each malformed one.
 */
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sequelize } from '../../../../src/adapters/orms/sequelize.js';
import { detectProject } from '../../../../src/detect/index.js';
import { FIXTURES, removeScratchCopies } from '../../../support/fixtures.js';
import { detect, failure, project } from '../../../support/orms.js';

afterAll(removeScratchCopies);

describe('Sequelize', () => {
  it('express-sequelize-mariadb: .sequelizerc → db/config.js (production use_env_variable, dialect mariadb)', () => {
    const facts = detectProject(path.join(FIXTURES, 'express-sequelize-mariadb'));
    expect(facts.orms).toEqual([
      {
        id: 'sequelize',
        detection: {
          configFile: 'db/config.js',
          migrationsDir: 'db/migrations',
          migrateCommand: ['node_modules/.bin/sequelize-cli', 'db:migrate'],
          cliPackage: 'sequelize-cli',
          database: { value: 'mariadb', source: 'db/config.js' },
          urlVariable: { value: 'DATABASE_URL', source: 'db/config.js' },
          urlSchemes: { mariadb: 'mariadb' },
          sqliteUrlPrefix: 'sqlite://',
          warnings: [],
          notes: ["migrate runs the project's own scripts.db:migrate: node_modules/.bin/sequelize-cli db:migrate"],
        },
      },
    ]);
    expect(facts.warnings).toEqual([]);
  });

  const cli = { dependencies: { sequelize: '^6.37.0', pg: '^8.13.0' }, devDependencies: { 'sequelize-cli': '^6.6.0' } };
  const production = { production: { use_env_variable: 'DATABASE_URL', dialect: 'postgres' } };

  it('is not detected without .sequelizerc or sequelize-cli, nor when sequelize-cli was never set up', () => {
    expect(detect(sequelize, project({ dependencies: { sequelize: '^6.37.0' } }, { 'config/config.json': JSON.stringify(production) }))).toBeUndefined();
    expect(detect(sequelize, project(cli))).toBeUndefined();
  });

  it('reads config/config.json and migrations/ by default', () => {
    const dir = project(cli, { 'config/config.json': JSON.stringify({ development: { dialect: 'postgres' }, ...production }), 'migrations/.keep': '' });
    expect(detect(sequelize, dir)).toMatchObject({
      configFile: 'config/config.json',
      migrationsDir: 'migrations',
      migrateCommand: ['node_modules/.bin/sequelize-cli', 'db:migrate'],
      database: { value: 'postgres', source: 'config/config.json' },
      urlVariable: { value: 'DATABASE_URL', source: 'config/config.json' },
    });
    expect(detect(sequelize, dir)?.urlSchemes).toBeUndefined();
  });

  it('prefers config/config.js over config/config.json, as sequelize-cli does', () => {
    const dir = project(cli, {
      'config/config.json': JSON.stringify(production),
      'config/config.js': "module.exports = {\n  production: { url: process.env.PG_URL, dialect: 'postgres' },\n};\n",
      'migrations/.keep': '',
    });
    expect(detect(sequelize, dir)).toMatchObject({ configFile: 'config/config.js', urlVariable: { value: 'PG_URL', source: 'config/config.js' } });
  });

  it('follows .sequelizerc: quoted keys, path.resolve with and without __dirname', () => {
    const dir = project(cli, {
      '.sequelizerc':
        "const path = require('path');\nmodule.exports = {\n  // config: path.resolve('old', 'config.json'),\n  \"config\": path.resolve(__dirname, 'database', 'config.json'),\n  'migrations-path': path.resolve('database', 'migrations'),\n};\n",
      'database/config.json': JSON.stringify(production),
      'database/migrations/.keep': '',
    });
    expect(detect(sequelize, dir)).toMatchObject({ configFile: 'database/config.json', migrationsDir: 'database/migrations' });
  });

  it('accepts a flat configuration without environments, and reads a renamed SequelizeMeta', () => {
    const dir = project(cli, {
      'config/config.json': JSON.stringify({ use_env_variable: 'DB_URL', dialect: 'mysql', migrationStorageTableName: 'sequelize_meta' }),
      'migrations/.keep': '',
    });
    expect(detect(sequelize, dir)).toMatchObject({ urlVariable: { value: 'DB_URL' }, database: { value: 'mysql' }, migrationTable: 'sequelize_meta' });
  });

  it('reads a JavaScript config with the parser: spreads, dotenv, connection parts, a dialect variable, an ES module', () => {
    const parts = project(cli, {
      'config/config.js': [
        "require('dotenv').config();",
        "const base = { dialect: process.env.DB_DIALECT || 'postgres', logging: false };",
        'module.exports = {',
        "  development: { ...base, host: '127.0.0.1', database: 'dev' },",
        '  production: {',
        '    ...base,',
        '    host: process.env.DB_HOST,',
        '    port: Number(process.env.DB_PORT),',
        '    username: process.env.DB_USER,',
        '    password: process.env.DB_PASSWORD,',
        '    database: process.env.DB_NAME,',
        "    migrationStorageTableSchema: 'meta',",
        '  },',
        '};',
      ].join('\n'),
      'migrations/.keep': '',
    });
    expect(detect(sequelize, parts)).toMatchObject({
      configFile: 'config/config.js',
      database: { value: 'postgres', source: 'config/config.js' },
      connectionParts: {
        value: { host: 'DB_HOST', port: 'DB_PORT', user: 'DB_USER', password: 'DB_PASSWORD', database: 'DB_NAME' },
        source: 'config/config.js',
      },
      databaseTypeVariable: { name: 'DB_DIALECT', values: { postgres: 'postgres', mysql: 'mysql', mariadb: 'mariadb', sqlite: 'sqlite' } },
      migrationTable: 'meta.SequelizeMeta',
    });
    expect(detect(sequelize, parts)?.urlVariable).toBeUndefined();
    const esm = project(
      { ...cli, type: 'module' },
      {
        '.sequelizerc':
          "const path = require('path');\nmodule.exports = { config: path.resolve('src', 'db', 'config.js'), 'migrations-path': 'src/db/migrations' };\n",
        'src/db/config.js': "const production = { url: process.env.POSTGRES_URL, dialect: 'postgres' };\nexport default { production };\n",
        'src/db/migrations/.keep': '',
      },
    );
    expect(detect(sequelize, esm)).toMatchObject({
      configFile: 'src/db/config.js',
      migrationsDir: 'src/db/migrations',
      urlVariable: { value: 'POSTGRES_URL', source: 'src/db/config.js' },
    });
  });

  it("runs the project's own migrate script, with the config, migrations and environment it names", () => {
    const dir = project(
      {
        ...cli,
        scripts: { 'db:migrate:prod': 'cross-env NODE_ENV=production sequelize db:migrate --config db/database.json --migrations-path db/up --env live' },
      },
      {
        'db/database.json': JSON.stringify({ development: { dialect: 'postgres' }, live: { use_env_variable: 'DB_URL', dialect: 'postgres' } }),
        'db/up/.keep': '',
      },
    );
    expect(detect(sequelize, dir)).toMatchObject({
      configFile: 'db/database.json',
      migrationsDir: 'db/up',
      urlVariable: { value: 'DB_URL', source: 'db/database.json' },
      migrateCommand: ['node_modules/.bin/sequelize-cli', 'db:migrate', '--config', 'db/database.json', '--migrations-path', 'db/up', '--env', 'live'],
      notes: [expect.stringMatching(/^migrate runs the project's own scripts\.db:migrate:prod: /)],
    });
  });

  it('names the script that runs the tool itself, not one that reaches it through others (as outline has heroku-postbuild first)', () => {
    const dir = project(
      { ...cli, scripts: { build: 'tsc', 'heroku-postbuild': 'yarn build && yarn db:migrate', 'db:migrate': 'sequelize db:migrate' } },
      {
        '.sequelizerc': "module.exports = { config: 'db/config.json' };\n",
        'db/config.json': JSON.stringify({ production: { use_env_variable: 'DATABASE_URL', dialect: 'postgres' } }),
        'migrations/.keep': '',
      },
    );
    expect(detect(sequelize, dir)?.notes).toEqual(["migrate runs the project's own scripts.db:migrate: node_modules/.bin/sequelize-cli db:migrate"]);
  });

  it('url in .sequelizerc replaces the config file', () => {
    const dir = project(cli, { '.sequelizerc': 'module.exports = { url: process.env.DATABASE_URL };\n', 'migrations/.keep': '' });
    expect(detect(sequelize, dir)).toMatchObject({ configFile: '.sequelizerc', urlVariable: { value: 'DATABASE_URL', source: '.sequelizerc' } });
    const fixed = project(cli, { '.sequelizerc': "module.exports = { url: 'postgres://localhost/app' };\n", 'migrations/.keep': '' });
    expect(failure(sequelize, fixed, '.sequelizerc')).toMatch(/url is fixed \('postgres:\/\/localhost\/app'\)/);
  });

  it('asks for mariadb:// when the project talks to MariaDB through the mariadb driver, mysql:// through mysql2', () => {
    const files = { 'config/config.json': JSON.stringify({ production: { use_env_variable: 'DATABASE_URL' } }), 'migrations/.keep': '' };
    const mariadbDriver = project({ ...cli, dependencies: { sequelize: '^6.37.0', mariadb: '^3.4.0' } }, files);
    expect(detect(sequelize, mariadbDriver)?.urlSchemes).toEqual({ mariadb: 'mariadb' });
    const mysql2 = project({ ...cli, dependencies: { sequelize: '^6.37.0', mysql2: '^3.11.0' } }, files);
    expect(detect(sequelize, mysql2)?.urlSchemes).toBeUndefined();
    // The stack's SQLite file as Sequelize reads it.
    expect(detect(sequelize, mysql2)?.sqliteUrlPrefix).toBe('sqlite://');
  });

  it('malformed or incomplete configurations: one line naming the file and the fix', () => {
    expect(failure(sequelize, project(cli, { 'config/config.json': '{ "production": { ', 'migrations/.keep': '' }), 'config/config.json:1')).toMatch(
      /fix the syntax/,
    );
    expect(
      failure(
        sequelize,
        project(cli, { 'config/config.json': JSON.stringify({ development: { dialect: 'postgres' } }), 'migrations/.keep': '' }),
        'config/config.json',
      ),
    ).toMatch(/no "production"/);
    expect(
      failure(
        sequelize,
        project(cli, { 'config/config.js': "module.exports = { development: { dialect: 'postgres' }, test: {} };", 'migrations/.keep': '' }),
        'config/config.js',
      ),
    ).toMatch(/no "production"/);
    expect(
      failure(
        sequelize,
        project(cli, { 'config/config.json': JSON.stringify({ production: { host: 'db', dialect: 'postgres' } }), 'migrations/.keep': '' }),
        'config/config.json',
      ),
    ).toMatch(/use_env_variable/);
    expect(
      failure(
        sequelize,
        project(cli, {
          'config/config.json': JSON.stringify({ production: { use_env_variable: 'DATABASE_URL', migrationStorage: 'json' } }),
          'migrations/.keep': '',
        }),
        'config/config.json',
      ),
    ).toMatch(/migrationStorage "json"/);
    expect(failure(sequelize, project(cli, { 'config/config.js': 'const production = {};\n', 'migrations/.keep': '' }), 'config/config.js')).toMatch(
      /exports no configuration/,
    );
    expect(
      failure(
        sequelize,
        project(cli, { '.sequelizerc': "const path = require('path');\nmodule.exports = { config: path.resolve('db', 'config.js') };" }),
        '.sequelizerc',
      ),
    ).toMatch(/db\/config\.js, which does not exist/);
    expect(
      failure(
        sequelize,
        project(cli, { '.sequelizerc': 'const configPath = process.env.CFG;\nmodule.exports = { config: configPath };', 'config/config.json': '{}' }),
        '.sequelizerc',
      ),
    ).toMatch(/can't read where config points/);
    expect(failure(sequelize, project(cli, { 'config/config.json': JSON.stringify(production) }), 'migrations')).toMatch(/does not exist/);
    expect(
      failure(
        sequelize,
        project(
          { ...cli, scripts: { migrate: 'sequelize db:migrate --config db/nowhere.json' } },
          { 'config/config.json': JSON.stringify(production), 'migrations/.keep': '' },
        ),
        'package.json',
      ),
    ).toMatch(/scripts\.migrate names db\/nowhere\.json, which does not exist/);
  });
});
