import { readFileSync } from 'node:fs';
import path from 'node:path';
import initSqlJs from 'sql.js';
import { describe, expect, it } from 'vitest';
import { foldWriteAheadLog } from '../../../src/verify/measure.js';

const DATA = path.join(import.meta.dirname, 'data');

/** Rows of a query on a database image, with sql.js (what verify reads SQLite with). */
async function rows(database: Buffer, sql: string): Promise<unknown[][]> {
  const SQL = await initSqlJs();
  const db = new SQL.Database(database);
  try {
    return db.exec(sql)[0]?.values ?? [];
  } finally {
    db.close();
  }
}

describe('reading an SQLite database in write-ahead-log mode (what a running app leaves)', () => {
  // Written by SQLite itself (python3's sqlite3): the table and both migrations exist only in the log.
  const main = readFileSync(path.join(DATA, 'wal.db'));
  const wal = readFileSync(path.join(DATA, 'wal.db-wal'));

  it('the database file alone does not have the migrations table yet', async () => {
    await expect(rows(main, 'SELECT name FROM knex_migrations')).rejects.toThrow(/no such table/);
  });

  it('folding the log in gives the committed rows, and not the uncommitted one', async () => {
    expect(await rows(foldWriteAheadLog(main, wal), 'SELECT name FROM knex_migrations ORDER BY id')).toEqual([['001_customers.js'], ['002_orders.js']]);
  });

  it('an empty or truncated log changes nothing', async () => {
    expect(foldWriteAheadLog(main, Buffer.alloc(0))).toEqual(main);
    await expect(rows(foldWriteAheadLog(main, wal.subarray(0, 32)), 'SELECT name FROM knex_migrations')).rejects.toThrow(/no such table/);
  });
});
