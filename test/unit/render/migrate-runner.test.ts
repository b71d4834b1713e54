/**
 * The generated migrate runner (docker-migrate.mjs), one per lock driver: it parses as a module,
 * and the URL handling it does itself (MySQL/MariaDB options, pg's IPv6 host) keeps every part of
 * the URL. The lock itself, under faults, is proven on the engine: test/e2e/lock-faults-*.test.ts.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runInNewContext } from 'node:vm';
import { afterAll, describe, expect, it } from 'vitest';
import { FIXTURES, removeScratchCopies } from '../../support/fixtures.js';
import { renderedFor } from '../../support/pipeline.js';

afterAll(removeScratchCopies);

const PASSWORD = 'p@ss:w/o?r#d%+= \'"$\\`';

async function runnerOf(fixture: string): Promise<string> {
  return (await renderedFor(path.join(FIXTURES, fixture))).file('docker-migrate.mjs');
}

/** A top-level function of the runner, as a callable (its free names given in `scope`). */
function extract<T>(runner: string, name: string, scope: Record<string, unknown> = {}): T {
  const source = new RegExp(`^function ${name}\\([\\s\\S]*?^}`, 'm').exec(runner)?.[0];
  expect(source, `function ${name} in the runner`).toBeDefined();
  // Its own context, with node's URL (not a JavaScript built-in): objects it returns compare as plain data.
  return runInNewContext(`${source}\n${name};`, { URL, ...scope }) as T;
}

describe.each([
  ['express-knex-postgres', 'pg'],
  ['express-drizzle-postgres', 'postgres'],
  ['express-sequelize-mariadb', 'mariadb'],
  ['pnpm-express-knex-mariadb', 'mysql2'],
  ['express-drizzle-sqlite', 'better-sqlite3'],
])('%s: the runner through %s', (fixture, driver) => {
  it('is a module node accepts, with the exit codes in its header', async () => {
    const runner = await runnerOf(fixture);
    const header = runner.replace(/\n\/\/ /g, ' ');
    expect(header).toContain(`taken through the project's own driver (${driver})`);
    expect(header).toMatch(/74 the lock was lost while the tool ran; 128\+N when the tool was ended by signal N/);
    const dir = mkdtempSync(path.join(tmpdir(), 'cms-runner-'));
    try {
      writeFileSync(path.join(dir, 'docker-migrate.mjs'), runner);
      const checked = spawnSync(process.execPath, ['--check', path.join(dir, 'docker-migrate.mjs')], { encoding: 'utf8' });
      expect(checked.stderr).toBe('');
      expect(checked.status).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('MySQL/MariaDB: the lock connection is opened from the whole URL', () => {
  const connectionOptions = async (fixture: string) => extract<(url: string) => Record<string, unknown>>(await runnerOf(fixture), 'connectionOptions');

  it.each(['express-sequelize-mariadb', 'pnpm-express-knex-mariadb'])(
    '%s: password decoded, IPv6 host without brackets, query options kept',
    async (fixture) => {
      const parse = await connectionOptions(fixture);
      expect(parse(`mariadb://app:${encodeURIComponent(PASSWORD)}@[fd00::2]:3307/my%20db?ssl=true&connectTimeout=5000&charset=utf8mb4`)).toEqual({
        host: 'fd00::2',
        port: 3307,
        user: 'app',
        password: PASSWORD,
        database: 'my db',
        ssl: true,
        connectTimeout: 5000,
        charset: 'utf8mb4',
      });
      expect(parse('mysql://app:pw@db/app?ssl={"rejectUnauthorized":true}')).toMatchObject({ host: 'db', port: 3306, ssl: { rejectUnauthorized: true } });
      // The URL's own parts win over query options of the same name, as in mysql2.
      expect(parse('mysql://app:pw@db:3306/app?host=elsewhere')).toMatchObject({ host: 'db' });
      // Not a URL (the runner then exits 64 and says to percent-encode).
      expect(() => parse('mysql://app:pw@db:99999/app')).toThrow(expect.objectContaining({ code: 'ERR_INVALID_URL' }));
    },
  );

  it("names the lock after the project and the database, within GET_LOCK's 64 characters", async () => {
    const runner = await runnerOf('express-sequelize-mariadb');
    const prefix = /^const LOCK_NAME = '([^']+)';/m.exec(runner)![1]!;
    const lockName = extract<(database: string) => string>(runner, 'lockName', { LOCK_NAME: prefix, createHash });
    expect(lockName('app')).toBe(`${prefix}@app`);
    expect(lockName('app_staging')).not.toBe(lockName('app'));
    const long = lockName('d'.repeat(64));
    expect(long).toHaveLength(64);
    expect(long).not.toBe(lockName(`${'d'.repeat(63)}e`));
  });
});

describe('pg: an IPv6 host reaches pg without its brackets', () => {
  it('names the host in ?host= (which pg-connection-string prefers) and leaves other URLs alone', async () => {
    const bare = extract<(url: string) => string>(await runnerOf('express-knex-postgres'), 'withBareIpv6Host');
    const url = new URL(bare(`postgres://app:${encodeURIComponent(PASSWORD)}@[fd00::2]:5432/app?sslmode=verify-full`));
    expect(url.searchParams.get('host')).toBe('fd00::2');
    expect(url.searchParams.get('sslmode')).toBe('verify-full');
    expect(decodeURIComponent(url.password)).toBe(PASSWORD);
    for (const unchanged of [
      'postgres://app:pw@db:5432/app?sslmode=require',
      'postgres://app:pw@[::1]/app?host=/run/postgresql',
      'postgres://app@/app?host=/socket',
    ])
      expect(bare(unchanged)).toBe(unchanged);
  });
});
