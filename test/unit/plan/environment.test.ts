/**
 * The project's environment reaches app and migrate: what its env templates document, its env
 * schema validates and its code reads; required ones fail loudly; what the stack sets is never
 * taken from .env.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { detectProject } from '../../../src/detect/index.js';
import { connectionPartOf, hostPortVariable, planEnvironment } from '../../../src/plan/environment.js';
import { FIXTURES, removeScratchCopies, scratchProject } from '../../support/fixtures.js';
import { renderedFor } from '../../support/pipeline.js';

afterAll(removeScratchCopies);

const FIXTURE = path.join(FIXTURES, 'express-knex-env-schema');

describe('fixtures/express-knex-env-schema (zod schema, .env.sample, API_PORT, DB_* parts)', () => {
  it('the port comes from the variable the schema declares, with the value .env.sample gives it', () => {
    expect(detectProject(FIXTURE).port).toEqual({ value: 5000, source: '.env.sample (API_PORT)', variable: 'API_PORT' });
  });

  it('app and migrate get the same variables; the schema-required ones are ${X:?…}', async () => {
    const { file } = await renderedFor(FIXTURE);
    const compose = parseYaml(file('compose.yaml'));
    const expected = {
      // The URL's parts: the entrypoint builds DATABASE_URL from them, percent-encoded.
      POSTGRES_USER: '${POSTGRES_USER}',
      POSTGRES_PASSWORD: '${POSTGRES_PASSWORD}',
      POSTGRES_DB: '${POSTGRES_DB}',
      GREETING: null,
      JWT_SECRET: '${JWT_SECRET:?set JWT_SECRET in .env (see .env.example)}',
      LOG_LEVEL: '${LOG_LEVEL:?set LOG_LEVEL in .env (see .env.example)}',
    };
    expect(compose.services.app.environment).toEqual(expected);
    expect(compose.services.migrate.environment).toEqual(expected);
  });

  it("never passes what the stack sets: NODE_ENV, the port variables, the connection's parts", async () => {
    const { file, plan } = await renderedFor(FIXTURE);
    const names = plan.app.passed.map((variable) => variable.name);
    for (const name of ['NODE_ENV', 'API_PORT', 'PORT', 'DB_HOST', 'DB_PORT', 'DB_USER', 'DB_PASSWORD', 'DB_NAME']) expect(names).not.toContain(name);
    expect(file('Dockerfile')).toContain('ENV NODE_ENV=production PORT=5000 API_PORT=5000');
    expect(plan.database.connectionParts).toEqual([
      { part: 'host', variable: 'DB_HOST' },
      { part: 'database', variable: 'DB_NAME' },
      { part: 'password', variable: 'DB_PASSWORD' },
      { part: 'port', variable: 'DB_PORT' },
      { part: 'user', variable: 'DB_USER' },
    ]);
    expect(file('docker-entrypoint.sh')).toContain(': "${DB_HOST:=$db_host}"');
    expect(plan.answers.databaseUrlVariable).toBe('DATABASE_URL');
  });

  it(".env.example lists what the project's own template doesn't: required first, values from .env.sample, never a secret's", async () => {
    const { file } = await renderedFor(FIXTURE);
    const block = file('.env.example');
    expect(block).toContain("# Required by your project's env schema: compose won't start without them.\nJWT_SECRET=\nLOG_LEVEL=debug\n");
    expect(block).toContain('# Read by your project (.env.sample): set the ones you need.\nGREETING=hello from the sample\n');
    expect(block).not.toMatch(/replace-me|DB_HOST|NODE_ENV|API_PORT=/);
  });
});

describe('names', () => {
  it.each([
    ['DB_HOST', 'host'],
    ['DATABASE_HOSTNAME', 'host'],
    ['PGHOST', 'host'],
    ['POSTGRES_PORT', 'port'],
    ['MYSQL_USER', 'user'],
    ['DB_USERNAME', 'user'],
    ['DB_PASS', 'password'],
    ['PGDATABASE', 'database'],
    ['DB_NAME', 'database'],
    ['REDIS_HOST', undefined],
    ['DATABASE_URL', undefined],
  ])('%s holds the part %s of the connection', (name, part) => {
    expect(connectionPartOf(name)).toBe(part);
  });

  it('the host-port variable steps aside when the project uses APP_PORT itself', () => {
    expect(hostPortVariable(new Set(['PORT']))).toBe('APP_PORT');
    expect(hostPortVariable(new Set(['APP_PORT']))).toBe('HOST_PORT');
    expect(hostPortVariable(new Set(['APP_PORT', 'HOST_PORT']))).toBe('PUBLISHED_PORT');
  });
});

describe('what is never passed through', () => {
  it('shell variables, build-time ones and the stack settings; reads split across lines and destructured ones are found', () => {
    const dir = scratchProject({
      packageJson: { name: 'scan' },
      files: {
        'src/server.js': [
          'process.env.PWD; process.env.HOME; process.env.HOSTNAME; process.env.USER; process.env.PATH; process.env.CI;',
          'process.env.NEXT_PUBLIC_SITE; process.env.VITE_API; process.env.npm_package_version; process.env.WAIT_FOR_DB_TIMEOUT;',
          'process.env\n  .SPLIT_ACROSS_LINES; const { FROM_DESTRUCTURING, OTHER: renamed } = process.env; process.env.SENTRY_DSN;',
        ].join('\n'),
      },
    });
    const planned = planEnvironment(detectProject(dir), {
      urlVariable: 'DATABASE_URL',
      configParts: undefined,
      server: true,
      setInImage: ['NODE_ENV', 'PORT'],
      database: 'postgres',
    });
    expect(planned.passed.map((variable) => variable.name)).toEqual(['FROM_DESTRUCTURING', 'OTHER', 'SENTRY_DSN', 'SPLIT_ACROSS_LINES']);
  });
});

describe('an app that listens on APP_PORT (nestjs-boilerplate does)', () => {
  it('the image sets APP_PORT, and compose publishes the port with HOST_PORT instead', async () => {
    const dir = path.join(FIXTURES, 'express-knex-postgres');
    const copy = scratchProject({
      packageJson: JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')),
      files: Object.fromEntries(
        ['package-lock.json', 'knexfile.js', '.nvmrc', 'migrations/20240105090000_create_customers.js', 'tsconfig.json'].map((file) => [
          file,
          readFileSync(path.join(dir, file), 'utf8'),
        ]),
      ),
    });
    mkdirSync(path.join(copy, 'src'), { recursive: true });
    writeFileSync(path.join(copy, 'src/server.ts'), "app.listen(process.env.APP_PORT || process.env.PORT || 3001); app.get('/health', h);", { flag: 'w' });
    const { file, plan } = await renderedFor(copy);
    expect(plan.app.hostPortVariable).toBe('HOST_PORT');
    expect(file('Dockerfile')).toContain('ENV NODE_ENV=production PORT=3001 APP_PORT=3001');
    expect(parseYaml(file('compose.yaml')).services.app.ports).toEqual(['${HOST_PORT:-3001}:3001']);
    expect(file('.env.example')).toContain('# Host port the app is published on.\nHOST_PORT=3001\n');
    expect(plan.app.passed.map((variable) => variable.name)).not.toContain('APP_PORT');
  });
});
