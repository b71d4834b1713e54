import type { DatabaseAdapter } from '../types.js';
import { requiredVariable } from './env.js';

export const mariadb: DatabaseAdapter = {
  id: 'mariadb',
  label: 'MariaDB',
  drivers: ['mariadb'],
  urlSchemes: ['mariadb'],
  lockDrivers: ['mysql2', 'mariadb'],
  defaultImage: 'mariadb:10.11',
  stack(host) {
    return {
      kind: 'server',
      port: 3306,
      serviceEnvironment: {
        MARIADB_USER: requiredVariable('MARIADB_USER'),
        MARIADB_PASSWORD: requiredVariable('MARIADB_PASSWORD'),
        MARIADB_DATABASE: requiredVariable('MARIADB_DATABASE'),
        // The app never needs root: let the image pick a random root password nobody has to keep.
        MARIADB_RANDOM_ROOT_PASSWORD: '1',
      },
      dataPath: '/var/lib/mysql',
      healthcheck: ['CMD', 'healthcheck.sh', '--connect', '--innodb_initialized'],
      // mysql:// is what mysql2-based tools (Knex, Prisma, TypeORM, Drizzle…) accept for MariaDB.
      connectionUrl: `mysql://\${MARIADB_USER}:\${MARIADB_PASSWORD}@${host}:3306/\${MARIADB_DATABASE}`,
      query: (sql) => ['sh', '-c', 'mariadb -u"$MARIADB_USER" -p"$MARIADB_PASSWORD" -D "$MARIADB_DATABASE" -N -B -e "$1"', 'sh', sql],
      envExample: [
        { key: 'MARIADB_USER', value: 'app' },
        { key: 'MARIADB_PASSWORD', value: 'change-me', comment: 'letters and digits only: it is placed in a URL unescaped' },
        { key: 'MARIADB_DATABASE', value: 'app' },
      ],
    };
  },
};
