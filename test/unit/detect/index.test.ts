import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { detectProject } from '../../../src/detect/index.js';
import { detectionOf, FIXTURES } from '../../support/fixtures.js';

describe('detect on fixtures/express-knex-postgres', () => {
  const facts = detectProject(path.join(FIXTURES, 'express-knex-postgres'));

  it('finds npm from package-lock.json', () => {
    expect(facts.packageManager.manager).toEqual({ value: 'npm', source: 'package-lock.json' });
    expect(facts.packageManager.warnings).toEqual([]);
  });

  it('reads the Node major from .nvmrc, not from the host', () => {
    expect(facts.node.major).toEqual({ value: 22, source: '.nvmrc' });
  });

  it('resolves npm start to the node command', () => {
    expect(facts.frameworks.map((f) => f.id)).toEqual(['node']);
    const [plain] = facts.frameworks;
    expect(detectionOf(plain).start).toEqual({ value: ['node', 'dist/server.js'], source: 'package.json#scripts.start' });
    expect(facts.buildScript?.value).toBe('build');
    expect(detectionOf(plain).outputDirs).toEqual(['dist']);
    expect(facts.nativeModules).toEqual([]);
  });

  it('finds the port and the health route', () => {
    expect(facts.port).toEqual({ value: 3000, source: '.env.example' });
    expect(facts.healthPath).toEqual({ value: '/health', source: 'src/server.ts' });
  });

  it('finds Knex, its migrations, the database and the URL variable from the knexfile', () => {
    expect(facts.orms).toEqual([
      {
        id: 'knex',
        detection: {
          configFile: 'knexfile.js',
          migrationsDir: 'migrations',
          migrateCommand: ['node_modules/.bin/knex', 'migrate:latest', '--knexfile', 'knexfile.js'],
          cliPackage: 'knex',
          database: { value: 'postgres', source: 'knexfile.js' },
          urlVariable: { value: 'DATABASE_URL', source: 'knexfile.js' },
          warnings: [],
          notes: ["migrate runs the project's own scripts.migrate: node_modules/.bin/knex migrate:latest --knexfile knexfile.js"],
        },
      },
    ]);
    expect(facts.database?.value).toBe('postgres');
    expect(facts.urlVariable).toEqual({ value: 'DATABASE_URL', source: '.env.example' });
  });

  it('lists the environment variables the sources read', () => {
    expect(facts.environmentVariables).toEqual(['DATABASE_URL', 'PORT']);
  });
});
