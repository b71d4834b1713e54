/**
 * Any password, and an IPv6 URL, on the engine (express-knex-postgres).
 *
 * The password has every character a URL or a shell reads specially: @ : / ? # % + = space ' " $ \ `.
 * It is written into .env the way .env.example says (single quotes, a quote inside as \'); compose
 * passes it to the database and, as one of the URL's parts, to migrate and app, whose entrypoint
 * builds DATABASE_URL with each part percent-encoded. Then the same stack is started with a
 * DATABASE_URL of the user's own: the database's IPv6 address without a port, and the password
 * percent-encoded, which the entrypoint reads with node's URL parser (its wait included).
 */
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { CommandResult, ComposeProject } from '../../src/verify/compose.js';
import { appliedMigrations, httpGet, queryDatabase, timeline } from '../../src/verify/measure.js';
import { removeScratchCopies } from '../support/fixtures.js';
import { engine, TestStack } from './support/stack.js';

const PASSWORD = `@:/?#%+= '"$\\\``;
const MIGRATIONS = ['20240105090000_create_customers.js', '20240212143000_create_orders.js'];
/** A unique local IPv6 prefix for this run's backend network. */
const PREFIX = `fd00:${randomBytes(2).toString('hex')}:${randomBytes(2).toString('hex')}`;
const DB_ADDRESS = `${PREFIX}::10`;

/** Every byte but letters, digits and -._~ as %XX: what a user writes into a URL by hand. */
const encode = (value: string) => encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

describe.skipIf(!inject('dockerLab'))('a password with @:/?#%+= \'"$\\` and an IPv6 DATABASE_URL', () => {
  let stack: TestStack;
  let up: CommandResult;

  beforeAll(async () => {
    stack = await TestStack.generate('express-knex-postgres');
    // As .env.example says: in single quotes, a ' inside as \'.
    const env = path.join(stack.dir, '.env');
    const quoted = `'${PASSWORD.replaceAll("'", "\\'")}'`;
    writeFileSync(env, readFileSync(env, 'utf8').replace(/^POSTGRES_PASSWORD=.*$/m, `POSTGRES_PASSWORD=${quoted}`));
    up = await stack.compose.up();
  });
  afterAll(async () => {
    await stack?.destroy();
    removeScratchCopies();
  });

  it('compose hands the database the password exactly as written', async () => {
    const seen = await stack.compose.exec('db', ['printenv', 'POSTGRES_PASSWORD']);
    expect(seen.stdout).toBe(`${PASSWORD}\n`);
  });

  it('up --wait: migrations applied, the app connects (its /health queries the database)', async () => {
    expect(up.stderr).not.toMatch(/didn't complete successfully|unhealthy/);
    expect(up.code).toBe(0);
    const { migrate, app } = await timeline(engine, stack.compose);
    expect(migrate[0]!.exitCode).toBe(0);
    expect(app[0]!.health).toBe('healthy');
    expect(await appliedMigrations(stack.compose, stack.plan)).toEqual(MIGRATIONS);
    expect((await httpGet(stack.url('/health'))).status).toBe(200);
  });

  it('migrate and app connected with that password (as the user of the URL built from the parts)', async () => {
    const sessions = await queryDatabase(stack.compose, stack.plan, "SELECT count(*) FROM pg_stat_activity WHERE usename = 'app' AND pid <> pg_backend_pid()");
    expect(Number(sessions[0]?.[0])).toBeGreaterThan(0);
  });

  describe('an IPv6 DATABASE_URL without a port', () => {
    let ipv6: ComposeProject;
    let again: CommandResult;
    const url = `postgres://app:${encode(PASSWORD)}@[${DB_ADDRESS}]/app`;

    beforeAll(async () => {
      // The same data, on a backend network with IPv6; the database at a fixed address.
      await stack.compose.run(['down', '--timeout', '2']);
      ipv6 = stack.withOverride('compose.ipv6.yaml', {
        networks: { backend: { enable_ipv6: true, ipam: { config: [{ subnet: `${PREFIX}::/64` }] } } },
        services: {
          db: { networks: { backend: { ipv6_address: DB_ADDRESS } } },
          migrate: { environment: { DATABASE_URL: url } },
          app: { environment: { DATABASE_URL: url } },
        },
      });
      again = await ipv6.up();
    });

    it('up --wait: migrate exits 0 (nothing pending), the app is healthy and answers', async () => {
      expect(again.stderr).not.toMatch(/didn't complete successfully|unhealthy/);
      expect(again.code).toBe(0);
      const { migrate, app } = await timeline(engine, ipv6);
      expect(migrate.at(-1)!.exitCode).toBe(0);
      expect(app.at(-1)!.health).toBe('healthy');
      expect(await appliedMigrations(ipv6, stack.plan)).toEqual(MIGRATIONS);
      expect((await httpGet(stack.url('/health'))).status).toBe(200);
    });

    it('the app is connected over IPv6', async () => {
      const families = await queryDatabase(
        ipv6,
        stack.plan,
        "SELECT DISTINCT family(client_addr) FROM pg_stat_activity WHERE usename = 'app' AND client_addr IS NOT NULL AND pid <> pg_backend_pid()",
      );
      expect(families.map((row) => row[0])).toEqual(['6']);
    });

    it('the entrypoint waited on the IPv6 address (a stopped database: it names the host, then gives up)', async () => {
      await ipv6.stop('db');
      const run = await ipv6.run(['run', '--rm', '--no-deps', '-T', '-e', 'WAIT_FOR_DB_TIMEOUT=3', 'migrate', 'true'], { timeoutMs: 60_000 });
      expect(run.code).toBe(69);
      expect(run.stderr).toContain(`gave up waiting for the database at ${DB_ADDRESS}:5432`);
    });
  });
});
