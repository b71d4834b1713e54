/**
 * The migration lock under faults, on PostgreSQL through node-postgres (pg): TypeORM takes no lock
 * of its own, so the runner's advisory lock is all that keeps two migrators apart. A migration
 * that sleeps 8 s gives each fault its window. Every case checks: nothing applied twice, no
 * half-applied run left unreported (TypeORM applies every pending migration in one transaction:
 * all or nothing), the app never started on a partial schema, and the documented exit code and
 * message (README: Exit codes, The lock).
 *
 * Cases: the lock's session terminated (pg_terminate_backend); idle_session_timeout on the
 * database; a password with every URL-special character; an IPv6 address in the URL; the database
 * restarted; the migrate container SIGKILLed and run again; a TLS-only server (hostssl).
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { appliedMigrations, queryDatabase, startMigrators, timeline, type MigratorRun } from '../../src/verify/measure.js';
import { ComposeProject, runCommand } from '../../src/verify/compose.js';
import { tableExists } from '../support/database.js';
import { removeScratchCopies } from '../support/fixtures.js';
import {
  containerOf,
  envValue,
  ipv6Address,
  ipv6Override,
  makeCertificates,
  NASTY_PASSWORD,
  runnerLines,
  trusting,
  until,
  writeInto,
} from './support/faults.js';
import { engine, TestStack } from './support/stack.js';

const MIGRATIONS = ['CreateCustomers1704445200000', 'CreateOrders1707748200000', 'SlowBackfill1900000000000'];
const TABLES = ['customers', 'orders'];
const SLEEPING = "SELECT COUNT(*) FROM pg_stat_activity WHERE query LIKE '%pg_sleep(8)%' AND pid <> pg_backend_pid()";
const RUNNERS = "SELECT COUNT(*) FROM pg_stat_activity WHERE application_name = 'docker-migrate'";
const LOCK_HOLDER = "SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted";
const LOST = /docker-migrate: lost the migration lock after [\d.]+s \((.+)\): stopping the migration tool, so that it never runs alongside the next migrator/;
const LOST_EXIT =
  /docker-migrate: exit 74: the migration lock was lost while the migration tool ran \(.+\); the tool (was stopped \(SIGTERM\)|exited with \d+)\. What it applied is recorded in its migrations table; a migration it was in the middle of is rolled back only if it ran in a transaction/;

describe.skipIf(!inject('dockerLab'))('the migration lock under faults: PostgreSQL (pg), TypeORM', () => {
  let stack: TestStack;
  let project: ComposeProject;
  const sql = (text: string) => queryDatabase(project, stack.plan, text);
  const applied = () => appliedMigrations(project, stack.plan).catch(() => [] as string[]);
  const password = () => envValue(stack.dir, 'POSTGRES_PASSWORD');

  /** Nothing applied twice, and either every migration or none (with its tables). */
  async function expectWholeOrNothing(): Promise<string[]> {
    const names = await applied();
    expect(new Set(names).size).toBe(names.length);
    expect([0, MIGRATIONS.length]).toContain(names.length);
    for (const table of TABLES) expect(await tableExists(project, stack.plan, table), table).toBe(names.length > 0);
    return names;
  }

  async function expectAllAppliedOnce(): Promise<void> {
    expect(await applied()).toEqual([...MIGRATIONS].sort());
    for (const table of TABLES) expect(await tableExists(project, stack.plan, table), table).toBe(true);
  }

  /** An empty database, and no migrate or app container left from the case before. */
  async function reset(): Promise<void> {
    await project.run(['rm', '--force', '--stop', 'migrate', 'app']);
    await sql('DROP SCHEMA public CASCADE; CREATE SCHEMA public');
  }

  const sleeping = async () => Number((await sql(SLEEPING))[0]![0]) > 0;

  /** Two migrators, the second 1.5 s later (it waits for the lock); `fault` runs once the slow migration runs. */
  async function twoMigrators(fault?: () => Promise<void>, env: Record<string, string> = {}): Promise<MigratorRun[]> {
    const runs = startMigrators(engine, project, [{ env }, { env, delayMs: 1500 }]);
    if (fault) {
      await until('the slow migration runs', sleeping);
      // Both runners' lock sessions (application_name docker-migrate): the second one waits.
      await until('the second migrator waits for the lock', async () => Number((await sql(RUNNERS))[0]![0]) === 2);
      await fault();
    }
    return runs;
  }

  beforeAll(async () => {
    stack = await TestStack.generate('express-typeorm-postgres', [], ['compose.yaml'], (dir) =>
      // A slow last migration: the window for every fault. TypeORM runs all pending migrations in one transaction.
      writeInto(
        dir,
        'src/migrations/1900000000000-SlowBackfill.ts',
        [
          "import { MigrationInterface, QueryRunner } from 'typeorm';",
          '',
          'export class SlowBackfill1900000000000 implements MigrationInterface {',
          "  async up(queryRunner: QueryRunner): Promise<void> { await queryRunner.query('SELECT pg_sleep(8)'); }",
          '  async down(): Promise<void> {}',
          '}',
          '',
        ].join('\n'),
      ),
    );
    // The backend network gets IPv6 from the start (for the IPv6 case).
    project = stack.withOverride('compose.ipv6.yaml', ipv6Override());
    expect((await project.up(['db'])).code).toBe(0);
    const built = await project.run(['build', 'migrate', 'app']);
    expect(built.code, built.stderr).toBe(0);
  });
  afterAll(async () => {
    await stack?.destroy();
    removeScratchCopies();
  });

  it('the lock session is terminated mid-migration: the holder stops its tool and exits 74, the waiting migrator then applies everything once', async () => {
    await reset();
    let faultAt = 0;
    const runs = await twoMigrators(async () => {
      const [[pid]] = (await sql(LOCK_HOLDER)) as [[string]];
      faultAt = Date.now();
      await sql(`SELECT pg_terminate_backend(${pid})`);
    });
    const holder = runs.find((run) => LOST.test(run.output));
    const waiter = runs.find((run) => run !== holder);
    expect(holder, runs.map((run) => run.output).join('\n---\n')).toBeDefined();
    expect(holder!.exitCode).toBe(74);
    expect(holder!.output).toMatch(LOST);
    expect(LOST.exec(holder!.output)![1]).toBe('terminating connection due to administrator command');
    expect(holder!.output).toMatch(LOST_EXIT);
    expect(waiter!.exitCode, waiter!.output).toBe(0);
    expect(waiter!.output).toMatch(/another migrator holds the migration lock on db:5432 \(held by PostgreSQL backend \d+\): waiting for it/);
    expect(waiter!.output).toMatch(/took the migration lock after waiting [\d.]+s/);
    await expectAllAppliedOnce();
    console.log(
      `pg_terminate_backend → exit 74 (${runnerLines(holder!).join(' | ')}); both done ${((Date.now() - faultAt) / 1000).toFixed(1)}s after the fault`,
    );
  });

  it("idle_session_timeout = '3s' on the database: the lock's session outlives an 8 s migration and both migrators succeed", async () => {
    await reset();
    await sql("ALTER DATABASE app SET idle_session_timeout = '3s'");
    try {
      // The fault is real: an ordinary session idle for 5 s is ended by the server.
      const [control] = await startMigrators(engine, project, [
        {
          command: [
            'node',
            '-e',
            "const c = new (require('pg').Client)({ connectionString: process.env.DATABASE_URL }); c.on('error', (e) => console.log('ended: ' + e.message));" +
              " c.connect().then(() => new Promise((r) => setTimeout(r, 5000))).then(() => c.query('SELECT 1')).then(() => console.log('alive'), () => {}).finally(() => process.exit(0));",
          ],
        },
      ]);
      expect(control!.output).toMatch(/ended: terminating connection due to idle-session timeout/);

      const runs = await twoMigrators();
      for (const run of runs) {
        expect(run.exitCode, run.output).toBe(0);
        expect(run.output).not.toMatch(/lost the migration lock/);
      }
      expect(runs[1]!.output).toMatch(/another migrator holds the migration lock/);
      await expectAllAppliedOnce();
    } finally {
      await sql('ALTER DATABASE app RESET idle_session_timeout');
    }
  });

  it('a password with @:/?#%+= \'"$\\` and a backtick, percent-encoded in the URL: the runner and the tool connect', async () => {
    await reset();
    await sql(`ALTER ROLE app PASSWORD '${NASTY_PASSWORD.replace(/'/g, "''")}'`);
    try {
      const url = `postgres://app:${encodeURIComponent(NASTY_PASSWORD)}@db:5432/app`;
      expect(decodeURIComponent(new URL(url).password)).toBe(NASTY_PASSWORD);
      const [run] = await startMigrators(engine, project, [{ env: { DATABASE_URL: url } }]);
      expect(run!.exitCode, run!.output).toBe(0);
      expect(runnerLines(run!)).toEqual([]);
      await expectAllAppliedOnce();
    } finally {
      await sql(`ALTER ROLE app PASSWORD '${password()}'`);
    }
  });

  it('an IPv6 address in the URL (postgres://…@[fd00:…]:5432/app): the runner and the tool connect', async () => {
    await reset();
    const address = await ipv6Address(project, 'db');
    const [run] = await startMigrators(engine, project, [{ env: { DATABASE_URL: `postgres://app:${password()}@[${address}]:5432/app` } }]);
    expect(run!.exitCode, run!.output).toBe(0);
    expect(runnerLines(run!)).toEqual([]);
    await expectAllAppliedOnce();
  });

  it("the lock's connection is dropped silently (the holder's network goes away, as when a NAT forgets it): the heartbeat notices, the holder exits 74, and the server frees the lock (TCP keepalives) for the next migrator", async () => {
    const started = Date.now();
    const runs = startMigrators(engine, project, [
      // The runner around a command that outlasts the test: only the heartbeat can end it.
      { command: ['node', 'docker-migrate.mjs', 'sleep', '120'] },
      { command: ['node', 'docker-migrate.mjs', 'true'], env: { MIGRATE_LOCK_TIMEOUT: '120' }, delayMs: 3000 },
    ]);
    await until('both runners are connected', async () => Number((await sql(RUNNERS))[0]![0]) === 2);
    const holderContainer = `${project.name}-migrator-1`;
    const network = `${project.name}_backend`;
    const cut = await runCommand('docker', ['network', 'disconnect', '--force', network, holderContainer]);
    expect(cut.code, cut.stderr).toBe(0);
    const cutAt = Date.now();
    const [holder, next] = await runs;
    expect(holder!.exitCode, holder!.output).toBe(74);
    expect(holder!.output).toMatch(
      /docker-migrate: lost the migration lock after [\d.]+s \(the database has not answered for 15s: the connection was dropped on the way\): stopping the migration tool/,
    );
    expect(holder!.output).toMatch(/docker-migrate: exit 74: the migration lock was lost while the migration tool ran .*the tool was stopped \(SIGTERM\)/);
    expect(next!.exitCode, next!.output).toBe(0);
    expect(next!.output).toMatch(/took the migration lock after waiting [\d.]+s/);
    console.log(
      `silent drop → exit 74 (${runnerLines(holder!)[0]}); the next migrator took the lock after ${/took the migration lock after waiting ([\d.]+)s/.exec(next!.output)![1]}s of waiting; ${((Date.now() - cutAt) / 1000).toFixed(1)}s from the cut to both done (${((Date.now() - started) / 1000).toFixed(1)}s in all)`,
    );
  });

  /** `up` in the background; `fault` once the slow migration runs; then what `up`, migrate and app did. */
  async function faultDuringUp(fault: () => Promise<void>) {
    await reset();
    const up = project.up([], { timeoutMs: 180_000 });
    await until('the slow migration runs', sleeping);
    const faultAt = Date.now();
    await fault();
    const result = await up;
    const { migrate, app } = await timeline(engine, project);
    return { result, migrate: migrate[0]!, app: app[0]!, faultAt, logs: (await project.logs('migrate')).stdout };
  }

  /** The next `up` completes: every migration applied once, the app healthy. */
  async function expectNextUpCompletes(): Promise<void> {
    const again = await project.up([], { timeoutMs: 180_000 });
    expect(again.code, again.stderr).toBe(0);
    await expectAllAppliedOnce();
    const { migrate, app } = await timeline(engine, project);
    expect(migrate[0]!.exitCode).toBe(0);
    expect(app[0]!.health).toBe('healthy');
  }

  it('the database restarts mid-migration: migrate exits 74, up fails, the app never starts; the next up completes', async () => {
    const { result, migrate, app, faultAt, logs } = await faultDuringUp(async () => {
      const restarted = await project.run(['restart', 'db'], { timeoutMs: 60_000 });
      expect(restarted.code, restarted.stderr).toBe(0);
    });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/service "migrate" didn't complete successfully: exit 74/);
    expect(migrate.exitCode).toBe(74);
    expect(logs).toMatch(LOST_EXIT);
    expect(app.status).toBe('created');
    expect(app.startedAt).toBeUndefined();
    expect(await expectWholeOrNothing()).toEqual([]);
    console.log(
      `db restart → exit 74 ${((migrate.finishedAt!.getTime() - faultAt) / 1000).toFixed(1)}s after the restart began (${runnerLines(logs).join(' | ')})`,
    );
    await expectNextUpCompletes();
  });

  it('the migrate container is SIGKILLed mid-migration: exit 137, the app never starts, the database frees the lock; the next up completes', async () => {
    const { result, migrate, app, faultAt } = await faultDuringUp(async () => {
      const killed = await runCommand('docker', ['kill', '--signal', 'KILL', await containerOf(project, 'migrate')]);
      expect(killed.code, killed.stderr).toBe(0);
    });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/service "migrate" didn't complete successfully: exit 137/);
    expect(migrate.exitCode).toBe(137);
    expect(app.status).toBe('created');
    expect(app.startedAt).toBeUndefined();
    // The connection closed with the process: the server ends the session, rolls back and frees the lock.
    await until('the advisory lock is free', async () => (await sql(LOCK_HOLDER)).length === 0, 20_000);
    console.log(`SIGKILL → exit 137, lock free ${((Date.now() - faultAt) / 1000).toFixed(1)}s after the kill`);
    expect(await expectWholeOrNothing()).toEqual([]);
    await expectNextUpCompletes();
  });

  it('a TLS-only server (ssl=on, hostssl only): without sslmode the runner names the refusal and exits 69; with sslmode=verify-full it connects and the tool migrates', async () => {
    const tls = await makeCertificates(stack.dir);
    writeInto(stack.dir, 'tls/pg_hba.conf', 'local all all trust\nhostssl all all all scram-sha-256\n');
    const tlsOnly = new ComposeProject({
      dir: stack.dir,
      name: project.name,
      files: ['compose.yaml', 'compose.ipv6.yaml', 'compose.tls.yaml'],
      env: { [stack.plan.app.hostPortVariable]: String(stack.appPort) },
    });
    writeInto(
      stack.dir,
      'compose.tls.yaml',
      JSON.stringify({
        services: {
          db: {
            volumes: [`./${path.relative(stack.dir, tls.dir)}:/tls-src:ro`],
            // The server reads its key only when the postgres user owns it with mode 0600: copy it in.
            entrypoint: [
              'sh',
              '-c',
              'mkdir -p /tls && cp /tls-src/* /tls/ && chown -R postgres:postgres /tls && chmod 600 /tls/server.key && exec docker-entrypoint.sh "$$@"',
              'sh',
            ],
            command: [
              'postgres',
              '-c',
              'ssl=on',
              '-c',
              'ssl_cert_file=/tls/server.crt',
              '-c',
              'ssl_key_file=/tls/server.key',
              '-c',
              'hba_file=/tls/pg_hba.conf',
            ],
          },
        },
      }),
    );
    await project.run(['rm', '--force', '--stop', 'migrate', 'app']);
    const up = await tlsOnly.up(['db']);
    expect(up.code, up.stderr).toBe(0);
    project = tlsOnly;
    await reset();
    expect((await sql('SHOW ssl'))[0]![0]).toBe('on');

    const [plain] = await startMigrators(engine, project, [{ env: { WAIT_FOR_DB_TIMEOUT: '3' } }]);
    expect(plain!.exitCode, plain!.output).toBe(69);
    expect(plain!.output).toMatch(/docker-migrate: cannot connect to the database yet \(no pg_hba\.conf entry for host .*no encryption\)/);
    expect(plain!.output).toMatch(/docker-migrate: gave up waiting for the database after 3s \(WAIT_FOR_DB_TIMEOUT\): no pg_hba\.conf entry/);

    const secure = trusting(tls.ca, stack.plan.migration.containerCommand);
    const [run] = await startMigrators(engine, project, [
      { command: secure.command, env: { ...secure.env, DATABASE_URL: `postgres://app:${password()}@db:5432/app?sslmode=verify-full` } },
    ]);
    expect(run!.exitCode, run!.output).toBe(0);
    expect(runnerLines(run!)).toEqual([]);
    await expectAllAppliedOnce();
  });
});
