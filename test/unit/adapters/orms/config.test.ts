/**
 * The shared readers of migration tools' configurations: connection parts and URL variables read
 * from values the parser evaluated (the same for every tool's spelling), and the values nested in
 * a driver's options.
 */
import { describe, expect, it } from 'vitest';
import { connectionParts, urlVariable, valuesWithin } from '../../../../src/adapters/orms/config.js';
import { readModule, type JsValue } from '../../../../src/project/js-module.js';

/** The value `export default` gives in a one-file module. */
function exported(text: string): JsValue | undefined {
  const files: Record<string, string> = { 'config.js': text };
  return readModule({ readText: (file) => files[file], exists: (file) => file in files, isDirectory: () => false }, 'config.js').defaultExport;
}

describe('connection parts and URL variables', () => {
  it('knex: connection: { host, port, user, password, database }', () => {
    const config = exported(
      "export default { connection: { host: process.env.DB_HOST, port: Number(process.env.DB_PORT), user: process.env['DB_USER'], password: process.env.DB_PASSWORD, database: process.env.DB_NAME } };",
    );
    const connection = config?.kind === 'object' ? config.properties.get('connection') : undefined;
    expect(connectionParts(connection, 'knexfile.js')).toEqual({
      value: { host: 'DB_HOST', port: 'DB_PORT', user: 'DB_USER', password: 'DB_PASSWORD', database: 'DB_NAME' },
      source: 'knexfile.js',
    });
    expect(urlVariable(connection, 'knexfile.js')).toBeUndefined();
  });

  it('TypeORM and MikroORM spellings: username, parseInt(port), dbName; a default after ??', () => {
    const typeorm = exported(
      "export default { type: 'postgres', host: process.env.DATABASE_HOST, port: parseInt(process.env.DATABASE_PORT ?? '5432'), username: process.env.DATABASE_USER, password: process.env.DATABASE_PASSWORD, database: process.env.DATABASE_NAME };",
    );
    expect(connectionParts(typeorm, 'src/data-source.ts')?.value).toEqual({
      host: 'DATABASE_HOST',
      port: 'DATABASE_PORT',
      user: 'DATABASE_USER',
      password: 'DATABASE_PASSWORD',
      database: 'DATABASE_NAME',
    });
    expect(connectionParts(exported('export default { host: process.env.PGHOST, dbName: process.env.PGDATABASE };'), 'x')?.value).toEqual({
      host: 'PGHOST',
      database: 'PGDATABASE',
    });
  });

  it('a URL stays a URL; a fixed host is no parts', () => {
    const url = exported("export default { connection: process.env.DATABASE_URL || 'postgres://localhost/app', pool: { min: 0 } };");
    const connection = url?.kind === 'object' ? url.properties.get('connection') : undefined;
    expect(connectionParts(connection, 'knexfile.js')).toBeUndefined();
    expect(urlVariable(connection, 'knexfile.js')).toEqual({ value: 'DATABASE_URL', source: 'knexfile.js' });
    expect(connectionParts(exported("export default { host: 'localhost', user: process.env.DB_USER };"), 'x')).toBeUndefined();
  });

  it('finds the options nested in constructors and library calls', () => {
    const config = exported(
      "import { createPool } from 'mysql2';\nexport default { kysely: new Kysely({ dialect: new MysqlDialect({ pool: createPool({ uri: process.env.MYSQL_URL }) }) }) };",
    );
    const found = [...valuesWithin(config)].find((value) => value.kind === 'env');
    expect(found).toEqual({ kind: 'env', name: 'MYSQL_URL' });
  });
});
