/**
 * Measurements of a running generated stack, shared by `verify` and the end-to-end tests.
 */
import { createServer } from 'node:net';
import { SERVICE, type Plan } from '../plan/index.js';
import type { ComposeProject } from './compose.js';
import type { ContainerState, Engine } from './engine.js';

/** A free TCP port on this host (for APP_PORT), so that stacks can run side by side. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

export interface HttpResult {
  status: number;
  body: string;
}

/** GET with a timeout; a refused connection is status 0. */
export async function httpGet(url: string, timeoutMs = 5000): Promise<HttpResult> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    return { status: response.status, body: await response.text() };
  } catch (error) {
    return { status: 0, body: (error as Error).message };
  }
}

/** Reads an SQLite file with node's built-in driver, whatever driver the project uses. */
const SQLITE_QUERY = [
  "const { DatabaseSync } = require('node:sqlite');",
  'const db = new DatabaseSync(process.argv[1]);',
  "for (const row of db.prepare(process.argv[2]).all()) console.log(Object.values(row).join('\\t'));",
].join(' ');

/**
 * Rows of a SQL query, columns split on tabs: run in the database service, or, for SQLite, in a
 * throwaway container of the migrate service (which mounts the database file's volume).
 */
export async function queryDatabase(project: ComposeProject, plan: Plan, sql: string): Promise<string[][]> {
  const argv = plan.database.query?.(sql);
  const result = argv
    ? await project.exec(SERVICE.database, argv, { timeoutMs: 30_000 })
    : await project.run(['run', '--rm', '--no-deps', '-T', '--entrypoint', 'node', SERVICE.migrate, '--experimental-sqlite', '--no-warnings', '-e', SQLITE_QUERY, plan.database.sqliteFile ?? '', sql], { timeoutMs: 60_000 });
  if (result.code !== 0) throw new Error(`query failed (${result.code}): ${result.stderr.trim() || result.stdout.trim()}`);
  return result.stdout
    .split('\n')
    .map((line) => line.trimEnd())
    .filter(Boolean)
    .map((line) => line.split('\t'));
}

/** Applied migrations as the tool records them (names, or hashes), in the order applied. */
export async function appliedMigrations(project: ComposeProject, plan: Plan): Promise<string[]> {
  const { migrationTable, migrationNameColumn } = plan.migration;
  const rows = await queryDatabase(project, plan, `SELECT ${migrationNameColumn} FROM ${migrationTable} ORDER BY ${migrationNameColumn}`);
  return rows.map((row) => row[0]!);
}

export async function tableExists(project: ComposeProject, plan: Plan, table: string): Promise<boolean> {
  const name = table.replace(/'/g, "''");
  const sql =
    plan.database.kind === 'file'
      ? `SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = '${name}'`
      : `SELECT COUNT(*) FROM information_schema.tables WHERE table_name = '${name}'`;
  const rows = await queryDatabase(project, plan, sql);
  return Number(rows[0]?.[0]) > 0;
}

export interface Timeline {
  migrate: ContainerState[];
  app: ContainerState[];
  database: ContainerState[];
}

export async function timeline(engine: Engine, project: ComposeProject): Promise<Timeline> {
  const containers = await engine.projectContainers(project.name);
  const of = (service: string) => containers.filter((c) => c.service === service);
  return { migrate: of(SERVICE.migrate), app: of(SERVICE.app), database: of(SERVICE.database) };
}

export interface StopMeasurement {
  durationMs: number;
  exitCode: number;
  /** True when the engine had to SIGKILL it after the grace period (exit 137). */
  killed: boolean;
}

/** `docker compose stop <service>`, timed, with the exit code the container ended with. */
export async function measureStop(engine: Engine, project: ComposeProject, service: string): Promise<StopMeasurement> {
  const stop = await project.stop(service, { timeoutMs: 60_000 });
  if (stop.code !== 0) throw new Error(`compose stop ${service} failed: ${stop.stderr}`);
  const [container] = await engine.serviceContainers(project.name, service);
  if (!container) throw new Error(`no ${service} container`);
  return { durationMs: stop.durationMs, exitCode: container.exitCode, killed: container.exitCode === 137 };
}
