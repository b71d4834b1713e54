import type { DatabaseAdapter } from '../types.js';

/** SQLite: no database service; migrate and app share the database file on a named volume. */
export const sqlite: DatabaseAdapter = {
  id: 'sqlite',
  label: 'SQLite',
  drivers: ['better-sqlite3', 'sqlite3', '@libsql/client', 'libsql'],
  urlSchemes: ['file', 'sqlite'],
  lockDrivers: ['better-sqlite3'],
  stack() {
    return {
      kind: 'file',
      serviceEnvironment: {},
      dataPath: '/data',
      connectionUrl: '/data/app.db',
      envExample: [],
    };
  },
};
