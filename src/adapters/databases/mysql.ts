import type { DatabaseAdapter } from '../types.js';
import { quoteEach, requiredVariable, urlPasswordEntry } from './env.js';

export const mysql: DatabaseAdapter = {
  id: 'mysql',
  label: 'MySQL',
  kind: 'server',
  drivers: ['mysql2', 'mysql'],
  clientNames: ['mysql', 'mysql2'],
  urlSchemes: ['mysql'],
  lockDrivers: ['mysql2', 'mariadb'],
  defaultImage: 'mysql:8.4',
  stack(host) {
    return {
      port: 3306,
      serviceEnvironment: {
        MYSQL_USER: requiredVariable('MYSQL_USER'),
        MYSQL_PASSWORD: requiredVariable('MYSQL_PASSWORD'),
        MYSQL_DATABASE: requiredVariable('MYSQL_DATABASE'),
        MYSQL_RANDOM_ROOT_PASSWORD: 'yes',
      },
      dataPath: '/var/lib/mysql',
      // Over TCP: the image's first-start server listens on the socket only, so this stays
      // unhealthy until the real server is up. MYSQL_PWD keeps the password off the command line.
      healthcheck: ['CMD-SHELL', 'MYSQL_PWD="$$MYSQL_PASSWORD" mysqladmin ping -h 127.0.0.1 -u "$$MYSQL_USER" --silent'],
      connectionUrl: `mysql://\${MYSQL_USER}:\${MYSQL_PASSWORD}@${host}:3306/\${MYSQL_DATABASE}`,
      secretVariables: { MYSQL_PASSWORD: 'db_password' },
      backup: {
        environment: { DB_HOST: host, MYSQL_USER: '${MYSQL_USER}', MYSQL_PWD: '${MYSQL_PASSWORD}', MYSQL_DATABASE: '${MYSQL_DATABASE}' },
        // With the database's own DDL (--databases, DROP/CREATE DATABASE): a restore recreates it, so
        // nothing created after the dump survives.
        dump: 'mysqldump --host="$DB_HOST" --user="$MYSQL_USER" --single-transaction --routines --triggers --no-tablespaces --add-drop-database --databases "$MYSQL_DATABASE" > "$1"',
        restore: 'mysql --host="$DB_HOST" --user="$MYSQL_USER" < "$1"',
        scalar: 'mysql --host="$DB_HOST" --user="$MYSQL_USER" -N -B -D "$MYSQL_DATABASE" -e "$1"',
        extension: 'sql',
      },
      envExample: [{ key: 'MYSQL_USER', value: 'app' }, urlPasswordEntry('MYSQL_PASSWORD'), { key: 'MYSQL_DATABASE', value: 'app' }],
    };
  },
  queryCommand: (sql) => ['sh', '-c', 'MYSQL_PWD="$MYSQL_PASSWORD" mysql -u"$MYSQL_USER" -D "$MYSQL_DATABASE" -N -B -e "$1"', 'sh', sql],
  // Quoted: tools name tables in mixed case (Sequelize's SequelizeMeta), which would otherwise be folded.
  quoteIdentifier: (name) => quoteEach(name, '`'),
};
