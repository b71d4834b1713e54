/**
 * Measurements of a running generated stack, shared by `verify` and the end-to-end tests.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { databaseById } from '../adapters/databases/index.js';
import { sqlJsWasmFile } from '../shared/assets.js';
import { SERVICE, type Plan } from '../plan/index.js';
import type { ComposeProject } from './compose.js';
import type { ContainerRun, ContainerState, Engine } from './engine.js';

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

/**
 * Prints the SQLite database file and its journal / write-ahead log as JSON of base64, from inside a
 * container of the migrate image (node is all it needs: the project's driver and Node version don't
 * matter), so that the host reads a consistent copy.
 */
const SQLITE_EXPORT = [
  "const fs = require('node:fs'), path = require('node:path');",
  'const file = process.argv[1], files = {};',
  "for (const suffix of ['', '-wal', '-journal']) if (fs.existsSync(file + suffix)) files[path.basename(file) + suffix] = fs.readFileSync(file + suffix).toString('base64');",
  'process.stdout.write(JSON.stringify(files));',
].join(' ');

/**
 * Rows of a SQL query, columns split on tabs: run in the database service, or, for SQLite, on a
 * copy of the database file read with SQLite compiled to WebAssembly (sql.js) on this host.
 */
export async function queryDatabase(project: ComposeProject, plan: Plan, sql: string): Promise<string[][]> {
  const argv = databaseById(plan.database.id).queryCommand?.(sql);
  if (!argv) return querySqliteFile(project, plan.database.sqliteFile ?? '', sql);
  const result = await project.exec(SERVICE.database, argv, { timeoutMs: 30_000 });
  if (result.code !== 0) throw new Error(`query failed (${result.code}): ${result.stderr.trim() || result.stdout.trim()}`);
  return result.stdout
    .split('\n')
    .map((line) => line.trimEnd())
    .filter(Boolean)
    .map((line) => line.split('\t'));
}

async function querySqliteFile(project: ComposeProject, file: string, sql: string): Promise<string[][]> {
  // The profile makes migrate runnable under every strategy; no TTY keeps stdout clean.
  const exported = await project.run(
    ['--profile', SERVICE.migrate, 'run', '--rm', '--no-deps', '-T', '--entrypoint', 'node', SERVICE.migrate, '-e', SQLITE_EXPORT, file],
    {
      timeoutMs: 60_000,
    },
  );
  if (exported.code !== 0) throw new Error(`reading ${file} failed (${exported.code}): ${exported.stderr.trim()}`);
  const files = JSON.parse(exported.stdout) as Record<string, string>;
  const name = path.basename(file);
  if (!files[name]) return [];
  const directory = mkdtempSync(path.join(tmpdir(), 'cms-sqlite-'));
  try {
    for (const [entry, base64] of Object.entries(files)) writeFileSync(path.join(directory, entry), Buffer.from(base64, 'base64'));
    const main = readFileSync(path.join(directory, name));
    const wal = files[`${name}-wal`] ? readFileSync(path.join(directory, `${name}-wal`)) : undefined;
    const { default: initSqlJs } = await import('sql.js');
    const SQL = await initSqlJs({ locateFile: () => sqlJsWasmFile() });
    const database = new SQL.Database(wal ? foldWriteAheadLog(main, wal) : main);
    try {
      const [result] = database.exec(sql);
      return (result?.values ?? []).map((row) => row.map((value) => (value === null ? '' : String(value))));
    } finally {
      database.close();
    }
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

/**
 * The database as SQLite would see it after a checkpoint: the committed frames of the write-ahead
 * log written over their pages (sql.js reads no log), and the header switched back to rollback
 * journaling so that it opens without one. See https://www.sqlite.org/fileformat.html#the_write_ahead_log.
 */
export function foldWriteAheadLog(database: Buffer, wal: Buffer): Buffer {
  const WAL_HEADER = 32;
  const FRAME_HEADER = 24;
  if (wal.length < WAL_HEADER) return database;
  const pageSize = wal.readUInt32BE(8) === 1 ? 65536 : wal.readUInt32BE(8);
  const [salt1, salt2] = [wal.readUInt32BE(16), wal.readUInt32BE(20)];
  const pending: { page: number; data: Buffer }[] = [];
  let result = Buffer.from(database);
  for (let offset = WAL_HEADER; offset + FRAME_HEADER + pageSize <= wal.length; offset += FRAME_HEADER + pageSize) {
    // A frame from before the log was last reset carries other salts: the log ends there.
    if (wal.readUInt32BE(offset + 8) !== salt1 || wal.readUInt32BE(offset + 12) !== salt2) break;
    pending.push({ page: wal.readUInt32BE(offset), data: wal.subarray(offset + FRAME_HEADER, offset + FRAME_HEADER + pageSize) });
    const pagesAfterCommit = wal.readUInt32BE(offset + 4);
    if (pagesAfterCommit === 0) continue;
    // A commit frame: everything up to here is part of the database.
    const size = pagesAfterCommit * pageSize;
    const next = Buffer.alloc(Math.max(size, result.length));
    result.copy(next);
    result = next.subarray(0, size);
    for (const { page, data } of pending.splice(0)) data.copy(result, (page - 1) * pageSize);
  }
  // File format write/read versions: 2 (WAL) → 1 (rollback journal).
  if (result.length > 19) result[18] = result[19] = 1;
  return result;
}

/** Applied migrations as the tool records them (names, or hashes), in the order applied. */
export async function appliedMigrations(project: ComposeProject, plan: Plan): Promise<string[]> {
  const database = databaseById(plan.database.id);
  const quote = (name: string) => database.quoteIdentifier(name);
  const column = quote(plan.migration.migrationNameColumn);
  const rows = await queryDatabase(project, plan, `SELECT ${column} FROM ${quote(plan.migration.migrationTable)} ORDER BY ${column}`);
  return rows.map((row) => row[0]!);
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

export type MigratorRun = ContainerRun;

interface ComposeConfig {
  services: Record<
    string,
    { environment?: Record<string, string | null>; networks?: Record<string, unknown>; volumes?: { type: string; source?: string; target: string }[] }
  >;
  networks?: Record<string, { name?: string }>;
  volumes?: Record<string, { name?: string }>;
}

/**
 * Starts `count` containers of the migrate image at the same instant (all created first, then
 * started together) with the migrate service's environment, network and volumes, waits for them
 * all, and removes them. The database must be up.
 */
export function startMigratorsTogether(engine: Engine, project: ComposeProject, count: number, env: Record<string, string> = {}): Promise<MigratorRun[]> {
  return startMigrators(
    engine,
    project,
    Array.from({ length: count }, () => ({ env })),
  );
}

export interface MigratorSpec {
  /** Variables added to the migrate service's environment. */
  env?: Record<string, string>;
  /** A command instead of the image's (e.g. the runner holding the lock around `sleep`). */
  command?: string[];
  /** Started this long after the others. */
  delayMs?: number;
  /** Started only once this holds, e.g. once another migrator holds the lock. */
  startWhen?: () => Promise<boolean>;
}

/** Containers of the migrate image as the migrate service would run them; see startMigratorsTogether. */
export async function startMigrators(engine: Engine, project: ComposeProject, specs: MigratorSpec[]): Promise<MigratorRun[]> {
  // The profile makes the service visible where it only runs on demand (entrypoint/ci strategies).
  const printed = await project.run(['--profile', SERVICE.migrate, 'config', '--format', 'json']);
  if (printed.code !== 0) throw new Error(`compose config failed: ${printed.stderr}`);
  const config = JSON.parse(printed.stdout) as ComposeConfig;
  const service = config.services[SERVICE.migrate];
  if (!service) throw new Error('compose.yaml has no migrate service');
  const environment = (extra: Record<string, string> = {}) =>
    Object.entries({ ...service.environment, ...extra }).map(([key, value]) => `${key}=${value ?? ''}`);
  const network = Object.keys(service.networks ?? { default: null })[0]!;
  const networkName = config.networks?.[network]?.name ?? `${project.name}_${network}`;
  // Nothing may have run yet (SQLite has no database service): let compose create its network.
  if (!(await engine.networkExists(networkName))) {
    const created = await project.run(['--profile', SERVICE.migrate, 'create', SERVICE.migrate]);
    if (created.code !== 0) throw new Error(`compose create failed: ${created.stderr}`);
  }
  const binds = (service.volumes ?? [])
    .filter((volume) => volume.type === 'volume' && volume.source)
    .map((volume) => `${config.volumes?.[volume.source!]?.name ?? `${project.name}_${volume.source}`}:${volume.target}`);
  return engine.runTogether(
    specs.map((spec, index) => ({
      name: `${project.name}-migrator-${index + 1}`,
      image: `${project.name}-${SERVICE.migrate}`,
      env: environment(spec.env),
      ...(spec.command ? { command: spec.command } : {}),
      network: networkName,
      binds,
      labels: { 'create-migrating-stack.test': project.name },
      ...(spec.delayMs !== undefined ? { delayMs: spec.delayMs } : {}),
      ...(spec.startWhen ? { startWhen: spec.startWhen } : {}),
    })),
  );
}
