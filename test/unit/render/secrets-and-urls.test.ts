/**
 * Secrets and the connection URL in the generated files: .npmrc is a BuildKit secret (mounted by
 * the installs, never copied, out of the context), the image has its own init, and a server's URL
 * is built by the entrypoint from its parts, percent-encoded, then read with node's URL parser.
 * The entrypoint is run here with sh and node (no Docker): any password, IPv6, sockets.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { composeSchemaErrors } from '../../../src/render/compose-schema.js';
import { copyFixture, FIXTURES, removeScratchCopies } from '../../support/fixtures.js';
import { renderedFor } from '../../support/pipeline.js';

afterAll(removeScratchCopies);

const PASSWORD = `@:/?#%+= '"$\\\``;

describe('.npmrc', () => {
  it('is mounted as a secret by every install, never copied, and kept out of the context', async () => {
    const dir = copyFixture('express-prisma-postgres');
    writeFileSync(path.join(dir, '.npmrc'), '//registry.npmjs.org/:_authToken=npm_TOKEN\n');
    const { plan, file } = await renderedFor(dir);
    expect(plan.buildSecrets).toEqual([{ id: 'npmrc', file: '.npmrc', target: '/root/.npmrc' }]);
    const dockerfile = file('Dockerfile');
    expect(dockerfile).not.toMatch(/^COPY .*\.npmrc/m);
    expect(dockerfile.match(/--mount=type=secret,id=npmrc,target=\/root\/\.npmrc/g)).toHaveLength(2);
    expect(file('.dockerignore')).toMatch(/^\*\*\/\.npmrc$/m);
    const compose = parseYaml(file('compose.yaml'));
    expect(compose.secrets).toEqual({ npmrc: { file: './.npmrc' } });
    expect(compose.services.app.build.secrets).toEqual(['npmrc']);
    expect(compose.services.migrate.build.secrets).toEqual(['npmrc']);
    expect(composeSchemaErrors(compose)).toEqual([]);
  });

  it('without one, nothing about it but the ignore line', async () => {
    const { plan, file } = await renderedFor(path.join(FIXTURES, 'express-knex-postgres'));
    expect(plan.buildSecrets).toEqual([]);
    expect(file('Dockerfile')).not.toMatch(/type=secret/);
    expect(parseYaml(file('compose.yaml')).secrets).toBeUndefined();
  });
});

describe('the images', () => {
  it('have their own init: tini, as PID 1 or as a subreaper under --init', async () => {
    const { file } = await renderedFor(path.join(FIXTURES, 'express-knex-postgres'));
    expect(file('Dockerfile').match(/^ENTRYPOINT \["tini", "-s", "--", "docker-entrypoint.sh"\]$/gm)).toHaveLength(2);
    expect(file('Dockerfile')).toMatch(/apt-get install --yes --no-install-recommends tini/);
    expect(parseYaml(file('compose.yaml')).services.app.init).toBeUndefined();
  });

  it('Prisma: only the schema before the full install, nothing of it before the production install', async () => {
    const { file } = await renderedFor(path.join(FIXTURES, 'express-prisma-postgres'));
    const dockerfile = file('Dockerfile');
    expect(dockerfile).toMatch(/^COPY prisma\/schema\.prisma \.\/prisma\/$/m);
    expect(dockerfile).not.toMatch(/^COPY prisma \.\/prisma$/m);
    const prodDeps = dockerfile.slice(dockerfile.indexOf('AS prod-deps'), dockerfile.indexOf('AS migrate'));
    expect(prodDeps).not.toMatch(/prisma\//);
  });

  it('entrypoint strategy: the migration bundle as a dependency layer and a source layer, sources last', async () => {
    const { file } = await renderedFor(path.join(FIXTURES, 'express-prisma-postgres'), { strategy: 'entrypoint' });
    const runtime = file('Dockerfile').slice(file('Dockerfile').indexOf('AS runtime'));
    const copies = runtime.split('\n').filter((line) => line.startsWith('COPY --from'));
    expect(copies[0]).toBe('COPY --from=deps /app/node_modules /opt/migrate/node_modules');
    expect(copies.at(-1)).toBe('COPY --from=build /app /opt/migrate/');
    expect(runtime).not.toMatch(/--from=migrate/);
  });
});

describe('the connection URL', () => {
  it('compose passes the parts, never a URL it would have to encode', async () => {
    const { file } = await renderedFor(path.join(FIXTURES, 'express-knex-postgres'));
    const { app, migrate } = parseYaml(file('compose.yaml')).services;
    for (const service of [app, migrate]) {
      expect(service.environment).toMatchObject({
        POSTGRES_USER: '${POSTGRES_USER}',
        POSTGRES_PASSWORD: '${POSTGRES_PASSWORD}',
        POSTGRES_DB: '${POSTGRES_DB}',
      });
      expect(service.environment.DATABASE_URL).toBeUndefined();
    }
    expect(file('.env.example')).not.toMatch(/letters and digits/);
  });

  /** Runs the generated entrypoint with `env`, printing what its command sees. */
  async function entrypoint(env: Record<string, string>, fixture = 'express-knex-postgres'): Promise<Record<string, string>> {
    const dir = copyFixture(fixture);
    const { file } = await renderedFor(dir);
    const script = path.join(dir, 'docker-entrypoint.sh');
    writeFileSync(script, file('docker-entrypoint.sh'));
    const printed = execFileSync('sh', [script, 'node', '-p', 'JSON.stringify(process.env)'], {
      env: { PATH: process.env.PATH!, WAIT_FOR_DB_TIMEOUT: '0', ...env },
      encoding: 'utf8',
    });
    return JSON.parse(printed) as Record<string, string>;
  }

  it('is built from the parts with any password, which a driver reads back intact', async () => {
    const seen = await entrypoint({ POSTGRES_USER: 'app', POSTGRES_PASSWORD: PASSWORD, POSTGRES_DB: 'app' });
    const url = new URL(seen.DATABASE_URL!);
    expect(url.hostname).toBe('db');
    expect(url.port).toBe('5432');
    expect(decodeURIComponent(url.password)).toBe(PASSWORD);
    expect(url.pathname).toBe('/app');
  });

  it('Prisma: an IPv6 URL is left as it is (Prisma reads ?host= as a socket folder)', async () => {
    const seen = await entrypoint({ DATABASE_URL: 'postgresql://app:pw@[fd00::10]/app' }, 'express-prisma-postgres');
    expect(seen.DATABASE_URL).toBe('postgresql://app:pw@[fd00::10]/app');
  });

  it('a URL given wins over the parts', async () => {
    const seen = await entrypoint({ DATABASE_URL: 'postgres://u:p@elsewhere/x', POSTGRES_USER: 'app', POSTGRES_PASSWORD: 'pw', POSTGRES_DB: 'app' });
    expect(seen.DATABASE_URL).toBe('postgres://u:p@elsewhere/x');
  });

  it('sets connection parts percent-decoded, from an IPv6 URL without a port and from a socket URL', async () => {
    // express-knex-env-schema reads DB_HOST, DB_PORT, DB_USER, DB_PASSWORD, DB_NAME.
    const ipv6 = await entrypoint({ DATABASE_URL: 'postgres://us%40r:p%2Fw%3Ad@[fd00::10]/orders%20db' }, 'express-knex-env-schema');
    expect(ipv6).toMatchObject({ DB_HOST: 'fd00::10', DB_PORT: '5432', DB_USER: 'us@r', DB_PASSWORD: 'p/w:d', DB_NAME: 'orders db' });
    // Knex's pg-connection-string (2.6) would keep the brackets: ?host= names the address without them.
    expect(ipv6.DATABASE_URL).toBe('postgres://us%40r:p%2Fw%3Ad@[fd00::10]/orders%20db?host=fd00%3A%3A10');
    const socket = await entrypoint({ DATABASE_URL: 'postgres://app:pw@/orders?host=/run/postgresql' }, 'express-knex-env-schema');
    expect(socket).toMatchObject({ DB_HOST: '/run/postgresql', DB_PORT: '5432', DB_USER: 'app', DB_NAME: 'orders' });
  });
});
