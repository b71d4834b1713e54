import type { DatabaseAdapter } from '../types.js';
import { quoteEach, requiredVariable, urlPasswordEntry } from './env.js';

export const mariadb: DatabaseAdapter = {
  id: 'mariadb',
  label: 'MariaDB',
  kind: 'server',
  drivers: ['mariadb'],
  clientNames: ['mariadb'],
  urlSchemes: ['mariadb'],
  lockDrivers: ['mysql2', 'mariadb'],
  defaultImage: 'mariadb:10.11',
  stack(host) {
    return {
      port: 3306,
      serviceEnvironment: {
        MARIADB_USER: requiredVariable('MARIADB_USER'),
        MARIADB_PASSWORD: requiredVariable('MARIADB_PASSWORD'),
        MARIADB_DATABASE: requiredVariable('MARIADB_DATABASE'),
        // Set, not MARIADB_RANDOM_ROOT_PASSWORD: images that follow only the documented core
        // contract (ROOT_PASSWORD, DATABASE, USER, PASSWORD) refuse to initialise without it, and
        // healthcheck.sh falls back to root with it. The app and migrations never use root.
        MARIADB_ROOT_PASSWORD: requiredVariable('MARIADB_ROOT_PASSWORD'),
      },
      dataPath: '/var/lib/mysql',
      healthcheck: ['CMD', 'healthcheck.sh', '--connect', '--innodb_initialized'],
      // mysql:// is what mysql2-based tools (Knex, Prisma, TypeORM, Drizzle…) accept for MariaDB.
      connectionUrl: `mysql://\${MARIADB_USER}:\${MARIADB_PASSWORD}@${host}:3306/\${MARIADB_DATABASE}`,
      secretVariables: { MARIADB_PASSWORD: 'db_password', MARIADB_ROOT_PASSWORD: 'db_root_password' },
      backup: {
        environment: { DB_HOST: host, MARIADB_USER: '${MARIADB_USER}', MYSQL_PWD: '${MARIADB_PASSWORD}', MARIADB_DATABASE: '${MARIADB_DATABASE}' },
        // With the database's own DDL (--databases, DROP/CREATE DATABASE): a restore recreates it, so
        // nothing created after the dump survives.
        dump: 'mariadb-dump --host="$DB_HOST" --user="$MARIADB_USER" --single-transaction --routines --triggers --add-drop-database --databases "$MARIADB_DATABASE" > "$1"',
        restore: 'mariadb --host="$DB_HOST" --user="$MARIADB_USER" < "$1"',
        scalar: 'mariadb --host="$DB_HOST" --user="$MARIADB_USER" -N -B -D "$MARIADB_DATABASE" -e "$1"',
        extension: 'sql',
      },
      envExample: [
        { key: 'MARIADB_USER', value: 'app' },
        urlPasswordEntry('MARIADB_PASSWORD'),
        { key: 'MARIADB_DATABASE', value: 'app' },
        { key: 'MARIADB_ROOT_PASSWORD', value: 'change-me-too', comment: "the server's administrator: only the database container uses it" },
      ],
    };
  },
  queryCommand: (sql) => ['sh', '-c', 'mariadb -u"$MARIADB_USER" -p"$MARIADB_PASSWORD" -D "$MARIADB_DATABASE" -N -B -e "$1"', 'sh', sql],
  // Quoted: tools name tables in mixed case (Sequelize's SequelizeMeta), which would otherwise be folded.
  quoteIdentifier: (name) => quoteEach(name, '`'),
};
