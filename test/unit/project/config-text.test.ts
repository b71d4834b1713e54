import { describe, expect, it } from 'vitest';
import { connectionPartsIn, urlVariableIn } from '../../../src/project/config-text.js';

describe('connection parts in ORM configs', () => {
  it('knex: connection: { host, port, user, password, database }', () => {
    const text =
      "connection: { host: process.env.DB_HOST, port: Number(process.env.DB_PORT), user: process.env['DB_USER'], password: process.env.DB_PASSWORD, database: process.env.DB_NAME }";
    expect(connectionPartsIn(text)).toEqual({ host: 'DB_HOST', port: 'DB_PORT', user: 'DB_USER', password: 'DB_PASSWORD', database: 'DB_NAME' });
    expect(urlVariableIn(text, 'knexfile.js')).toBeUndefined();
  });

  it('TypeORM and MikroORM spellings: username, parseInt(port), dbName', () => {
    const typeorm =
      "new DataSource({ type: 'postgres', host: process.env.DATABASE_HOST, port: parseInt(process.env.DATABASE_PORT ?? '5432'), username: process.env.DATABASE_USER, password: process.env.DATABASE_PASSWORD, database: process.env.DATABASE_NAME })";
    expect(connectionPartsIn(typeorm)).toEqual({
      host: 'DATABASE_HOST',
      port: 'DATABASE_PORT',
      user: 'DATABASE_USER',
      password: 'DATABASE_PASSWORD',
      database: 'DATABASE_NAME',
    });
    // DATABASE_HOST is a part, not the URL.
    expect(urlVariableIn(typeorm, 'src/data-source.ts')).toBeUndefined();
    expect(connectionPartsIn('defineConfig({ host: process.env.PGHOST, dbName: process.env.PGDATABASE })')).toEqual({ host: 'PGHOST', database: 'PGDATABASE' });
  });

  it('a URL stays a URL', () => {
    const text = 'connection: process.env.DATABASE_URL, pool: { min: 0 }';
    expect(connectionPartsIn(text)).toEqual({});
    expect(urlVariableIn(text, 'knexfile.js')).toEqual({ value: 'DATABASE_URL', source: 'knexfile.js' });
  });
});
