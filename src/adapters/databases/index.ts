import type { DatabaseAdapter, DatabaseId } from '../types.js';
import { mariadb } from './mariadb.js';
import { mysql } from './mysql.js';
import { postgres } from './postgres.js';
import { sqlite } from './sqlite.js';

/** Every supported database. Order breaks ties when several drivers are installed. */
export const databases: readonly DatabaseAdapter[] = [postgres, mariadb, mysql, sqlite];

export function databaseById(id: DatabaseId): DatabaseAdapter {
  return databases.find((database) => database.id === id)!;
}

/** The database a client or dialect name in an ORM config points at ("pg", "mysql2", "better-sqlite3"…). */
export function databaseForClient(client: string | undefined): DatabaseId | undefined {
  const name = client?.toLowerCase();
  return name === undefined ? undefined : databases.find((database) => database.clientNames.includes(name))?.id;
}
