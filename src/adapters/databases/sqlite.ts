import type { DatabaseAdapter } from '../types.js';
import { quoteEach } from './env.js';

/** The database file on the volume that migrate and app share. */
const DATA_PATH = '/data';
const FILE = `${DATA_PATH}/app.db`;

/** SQLite: no database service; migrate and app share the database file on a named volume. */
export const sqlite: DatabaseAdapter = {
  id: 'sqlite',
  label: 'SQLite',
  kind: 'file',
  drivers: ['better-sqlite3', 'sqlite3', '@libsql/client', 'libsql'],
  clientNames: ['sqlite', 'sqlite3', 'better-sqlite3', 'better-sqlite', 'libsql'],
  urlSchemes: ['file', 'sqlite'],
  lockDrivers: ['better-sqlite3'],
  stack() {
    return {
      serviceEnvironment: {},
      dataPath: DATA_PATH,
      connectionUrl: FILE,
      file: FILE,
      envExample: [],
    };
  },
  quoteIdentifier: (name) => quoteEach(name, '"'),
};
