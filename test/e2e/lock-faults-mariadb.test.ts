/**
 * The migration lock under faults, on MariaDB through the mariadb connector: Sequelize takes no
 * lock of its own, so the runner's GET_LOCK is all that keeps two migrators apart. A migration
 * that sleeps 8 s gives each fault its window. MySQL/MariaDB DDL is not transactional: a lost lock
 * must say that a migration may be partly applied.
 *
 * Cases: the lock's connection killed (KILL); wait_timeout = 3 on the server; a password with
 * every URL-special character; an IPv6 address in the URL; a TLS-only server
 * (require_secure_transport) reached with the URL's ?ssl=true; the lock's name carries the database.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { appliedMigrations, startMigrators, type MigratorRun } from '../../src/verify/measure.js';
import { ComposeProject } from '../../src/verify/compose.js';
import { tableExists } from '../support/database.js';
import { removeScratchCopies } from '../support/fixtures.js';
import { envValue, ipv6Address, ipv6Override, makeCertificates, NASTY_PASSWORD, runnerLines, sleep, trusting, until, writeInto } from './support/faults.js';
import { engine, TestStack } from './support/stack.js';

const MIGRATIONS = ['20240301100000-create-authors.js', '20240315120000-create-books.js', '20990101000000-slow-backfill.js'];
const TABLES = ['authors', 'books'];
// The server listens on IPv6 too (the image's configuration says 0.0.0.0).
const DB_COMMAND = ['mariadbd', '--bind-address=*'];

describe.skipIf(!inject('dockerLab'))('the migration lock under faults: MariaDB (mariadb connector), Sequelize', () => {
  let stack: TestStack;
  let project: ComposeProject;
  const files = ['compose.yaml', 'compose.faults.yaml'];
  /** As root, in the database service: the checks also work while the app user's password is changed. */
  async function root(sql: string): Promise<string[][]> {
    const result = await project.exec('db', ['sh', '-c', 'mariadb -uroot -p"$MARIADB_ROOT_PASSWORD" -D "$MARIADB_DATABASE" -N -B -e "$1"', 'sh', sql], {
      timeoutMs: 30_000,
    });
    if (result.code !== 0) throw new Error(`query failed: ${result.stderr}`);
    return result.stdout
      .split('\n')
      .filter(Boolean)
      .map((line) => line.split('\t'));
  }
  const applied = () => appliedMigrations(project, stack.plan).catch(() => [] as string[]);
  const password = () => envValue(stack.dir, 'MARIADB_PASSWORD');
  const lockName = () => `${stack.plan.migration.runner!.name}@app`;

  async function expectAllAppliedOnce(): Promise<void> {
    expect(await applied()).toEqual([...MIGRATIONS].sort());
    for (const table of TABLES) expect(await tableExists(project, stack.plan, table), table).toBe(true);
  }

  async function reset(): Promise<void> {
    await root('DROP TABLE IF EXISTS books, authors, SequelizeMeta');
  }

  const sleeping = async () => Number((await root("SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE INFO LIKE 'SELECT SLEEP(8)%'"))[0]![0]) > 0;

  beforeAll(async () => {
    stack = await TestStack.generate('express-sequelize-mariadb', [], ['compose.yaml'], (dir) => {
      writeInto(
        dir,
        'db/migrations/20990101000000-slow-backfill.js',
        "module.exports = {\n  up: (queryInterface) => queryInterface.sequelize.query('SELECT SLEEP(8)'),\n  down: async () => {},\n};\n",
      );
      // sequelize-cli keeps only ?ssl=true of the URL, which Sequelize's mariadb dialect ignores: the project turns TLS on in its config.
      const text = readFileSync(path.join(dir, 'db/config.js'), 'utf8');
      writeInto(
        dir,
        'db/config.js',
        text.replace(
          "use_env_variable: 'DATABASE_URL',",
          "use_env_variable: 'DATABASE_URL',\n    dialectOptions: process.env.DATABASE_SSL === 'true' ? { ssl: true } : {},",
        ),
      );
    });
    writeInto(stack.dir, 'compose.faults.yaml', JSON.stringify({ ...ipv6Override(), services: { db: { command: DB_COMMAND } } }));
    project = new ComposeProject({ dir: stack.dir, name: stack.compose.name, files, env: { [stack.plan.app.hostPortVariable]: String(stack.appPort) } });
    expect((await project.up(['db'])).code).toBe(0);
    const built = await project.run(['build', 'migrate']);
    expect(built.code, built.stderr).toBe(0);
  });
  afterAll(async () => {
    await stack?.destroy();
    removeScratchCopies();
  });

  it("the lock's connection is killed mid-migration: the holder stops its tool and exits 74, saying a migration may be partly applied; the waiting migrator then applies the rest once", async () => {
    await reset();
    const runs = startMigrators(engine, project, [{}, { delayMs: 1500 }]);
    await until('the slow migration runs', sleeping);
    await sleep(2000); // the second migrator (started 1.5 s after the first) is waiting for the lock by now
    const [[id]] = (await root(`SELECT IS_USED_LOCK('${lockName()}')`)) as [[string]];
    expect(id).toMatch(/^\d+$/);
    await root(`KILL ${id}`);
    const done: MigratorRun[] = await runs;
    const holder = done.find((run) => /lost the migration lock/.test(run.output));
    const waiter = done.find((run) => run !== holder);
    expect(holder, done.map((run) => run.output).join('\n---\n')).toBeDefined();
    expect(holder!.exitCode).toBe(74);
    expect(holder!.output).toMatch(
      /docker-migrate: lost the migration lock after [\d.]+s \(.+\): stopping the migration tool, so that it never runs alongside the next migrator/,
    );
    expect(holder!.output).toMatch(
      /docker-migrate: exit 74: the migration lock was lost while the migration tool ran .* a migration it was in the middle of is rolled back only if it ran in a transaction \(MySQL\/MariaDB DDL never does\): check, then run migrate again/,
    );
    expect(waiter!.exitCode, waiter!.output).toBe(0);
    expect(waiter!.output).toMatch(new RegExp(`another migrator holds the migration lock on db:3306 \\(held by connection ${id}\\): waiting for it`));
    // The first two migrations, committed one by one, were applied by the holder; the slow one by the waiter.
    await expectAllAppliedOnce();
    console.log(`KILL → exit 74 (${runnerLines(holder!).join(' | ')})`);
  });

  it('wait_timeout = 3 on the server: the lock connection outlives an 8 s migration and both migrators succeed', async () => {
    await reset();
    await root('SET GLOBAL wait_timeout = 3');
    try {
      // The fault is real: an ordinary connection idle for 5 s is closed by the server.
      const [control] = await startMigrators(engine, project, [
        {
          command: [
            'node',
            '-e',
            "require('mariadb').createConnection(process.env.DATABASE_URL).then(async (c) => { c.on('error', (e) => console.log('ended: ' + e.message));" +
              " await new Promise((r) => setTimeout(r, 5000)); await c.query('SELECT 1').then(() => console.log('alive'), (e) => console.log('ended: ' + e.message)); process.exit(0); });",
          ],
        },
      ]);
      expect(control!.output).toMatch(/ended: /);
      expect(control!.output).not.toMatch(/alive/);

      const runs = await startMigrators(engine, project, [{}, { delayMs: 1500 }]);
      for (const run of runs) {
        expect(run.exitCode, run.output).toBe(0);
        expect(run.output).not.toMatch(/lost the migration lock/);
      }
      expect(runs[1]!.output).toMatch(/another migrator holds the migration lock/);
      await expectAllAppliedOnce();
    } finally {
      await root('SET GLOBAL wait_timeout = 28800');
    }
  });

  it('a password with @:/?#%+= \'"$\\` and a backtick, percent-encoded in the URL: the runner and the tool connect', async () => {
    await reset();
    const quoted = NASTY_PASSWORD.replace(/\\/g, '\\\\').replace(/'/g, "''");
    await root(`ALTER USER 'app'@'%' IDENTIFIED BY '${quoted}'`);
    try {
      const [run] = await startMigrators(engine, project, [{ env: { DATABASE_URL: `mariadb://app:${encodeURIComponent(NASTY_PASSWORD)}@db:3306/app` } }]);
      expect(run!.exitCode, run!.output).toBe(0);
      expect(runnerLines(run!)).toEqual([]);
    } finally {
      await root(`ALTER USER 'app'@'%' IDENTIFIED BY '${password()}'`);
    }
    await expectAllAppliedOnce();
  });

  it('an IPv6 address in the URL (mariadb://…@[fd00:…]:3306/app): the runner and the tool connect', async () => {
    await reset();
    const address = await ipv6Address(project, 'db');
    const [run] = await startMigrators(engine, project, [{ env: { DATABASE_URL: `mariadb://app:${password()}@[${address}]:3306/app` } }]);
    expect(run!.exitCode, run!.output).toBe(0);
    expect(runnerLines(run!)).toEqual([]);
    await expectAllAppliedOnce();
  });

  it("GET_LOCK names are server-wide: the lock's name carries the database, so the project's other database on the same server is not held up", async () => {
    await root("CREATE DATABASE IF NOT EXISTS app_staging; GRANT ALL ON app_staging.* TO 'app'@'%'");
    const url = (database: string) => `mariadb://app:${password()}@db:3306/${database}`;
    const holding = async () => (await root(`SELECT IS_USED_LOCK('${lockName()}') IS NOT NULL`))[0]![0] === '1';
    const [holder, sameDatabase, otherDatabase] = await startMigrators(engine, project, [
      { command: ['node', 'docker-migrate.mjs', 'sleep', '15'] },
      // Started once the holder holds the lock: the same database waits (and gives up after 1 s), the other one doesn't.
      { command: ['node', 'docker-migrate.mjs', 'true'], env: { DATABASE_URL: url('app'), MIGRATE_LOCK_TIMEOUT: '1' }, startWhen: holding },
      { command: ['node', 'docker-migrate.mjs', 'true'], env: { DATABASE_URL: url('app_staging'), MIGRATE_LOCK_TIMEOUT: '1' }, startWhen: holding },
    ]);
    expect(holder!.exitCode, holder!.output).toBe(0);
    expect(sameDatabase!.exitCode, sameDatabase!.output).toBe(75);
    expect(sameDatabase!.output).toMatch(/another migrator holds the migration lock on db:3306 \(held by connection \d+\)/);
    expect(otherDatabase!.exitCode, otherDatabase!.output).toBe(0);
    expect(runnerLines(otherDatabase!)).toEqual([]);
  });

  it('a TLS-only server (require_secure_transport): without ?ssl the runner names the refusal and exits 69; with ?ssl=true it connects over TLS and the tool migrates', async () => {
    const tls = await makeCertificates(stack.dir);
    writeInto(
      stack.dir,
      'compose.tls.yaml',
      JSON.stringify({
        services: {
          db: {
            volumes: [`./${path.relative(stack.dir, tls.dir)}:/tls-src:ro`],
            entrypoint: [
              'sh',
              '-c',
              'mkdir -p /tls && cp /tls-src/* /tls/ && chown -R mysql:mysql /tls && chmod 600 /tls/server.key && exec docker-entrypoint.sh "$$@"',
              'sh',
            ],
            command: [...DB_COMMAND, '--ssl-ca=/tls/ca.crt', '--ssl-cert=/tls/server.crt', '--ssl-key=/tls/server.key', '--require-secure-transport=ON'],
          },
        },
      }),
    );
    project = new ComposeProject({
      dir: stack.dir,
      name: project.name,
      files: [...files, 'compose.tls.yaml'],
      env: { [stack.plan.app.hostPortVariable]: String(stack.appPort) },
    });
    const up = await project.up(['db']);
    expect(up.code, up.stderr).toBe(0);
    await reset();
    expect((await root("SHOW VARIABLES LIKE 'require_secure_transport'"))[0]![1]).toBe('ON');

    const [plain] = await startMigrators(engine, project, [{ env: { WAIT_FOR_DB_TIMEOUT: '3' } }]);
    expect(plain!.exitCode, plain!.output).toBe(69);
    expect(plain!.output).toMatch(/docker-migrate: cannot connect to the database yet \(.*Access denied for user 'app'.*\)/);
    expect(plain!.output).toMatch(/docker-migrate: gave up waiting for the database after 3s \(WAIT_FOR_DB_TIMEOUT\): .*Access denied/);

    const secure = trusting(tls.ca, stack.plan.migration.containerCommand);
    const [run] = await startMigrators(engine, project, [
      { command: secure.command, env: { ...secure.env, DATABASE_SSL: 'true', DATABASE_URL: `mariadb://app:${password()}@db:3306/app?ssl=true` } },
    ]);
    expect(run!.exitCode, run!.output).toBe(0);
    expect(runnerLines(run!)).toEqual([]);
    await expectAllAppliedOnce();
  });
});
