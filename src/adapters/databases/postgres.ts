import type { DatabaseAdapter } from '../types.js';
import { quoteEach, requiredVariable, urlPasswordEntry } from './env.js';

export const postgres: DatabaseAdapter = {
  id: 'postgres',
  label: 'PostgreSQL',
  kind: 'server',
  drivers: ['pg', 'postgres', 'pg-promise', '@neondatabase/serverless', 'pg-native'],
  clientNames: ['pg', 'postgres', 'postgresql', 'pg-native', 'cockroachdb'],
  urlSchemes: ['postgres', 'postgresql'],
  lockDrivers: ['pg', 'postgres'],
  defaultImage: 'postgres:15',
  stack(host) {
    return {
      port: 5432,
      serviceEnvironment: {
        POSTGRES_USER: requiredVariable('POSTGRES_USER'),
        POSTGRES_PASSWORD: requiredVariable('POSTGRES_PASSWORD'),
        POSTGRES_DB: requiredVariable('POSTGRES_DB'),
      },
      dataPath: '/var/lib/postgresql/data',
      // $$: evaluated by the shell inside the container, not by compose.
      // Over TCP: during initialisation the image's temporary server answers on the unix socket
      // only, and must not count as ready (docker-library/postgres#880).
      healthcheck: ['CMD-SHELL', 'pg_isready -h 127.0.0.1 -U "$$POSTGRES_USER" -d "$$POSTGRES_DB"'],
      connectionUrl: `postgres://\${POSTGRES_USER}:\${POSTGRES_PASSWORD}@${host}:5432/\${POSTGRES_DB}`,
      secretVariables: { POSTGRES_PASSWORD: 'db_password' },
      backup: {
        environment: { PGHOST: host, PGUSER: '${POSTGRES_USER}', PGPASSWORD: '${POSTGRES_PASSWORD}', PGDATABASE: '${POSTGRES_DB}' },
        // Custom format: compressed, and pg_restore can replace what exists object by object.
        dump: 'pg_dump --format=custom --file="$1"',
        // Into a recreated database (from the maintenance database): --clean alone keeps what was created after the dump.
        restore: [
          'psql -v ON_ERROR_STOP=1 --quiet --dbname=postgres -v db="$PGDATABASE" <<\'SQL\'',
          '\\o /dev/null',
          "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :'db' AND pid <> pg_backend_pid();",
          '\\o',
          'DROP DATABASE IF EXISTS :"db";',
          'CREATE DATABASE :"db";',
          'SQL',
          '  pg_restore --no-owner --exit-on-error --single-transaction --dbname="$PGDATABASE" "$1"',
        ].join('\n'),
        scalar: 'psql -v ON_ERROR_STOP=1 -tA -c "$1"',
        extension: 'dump',
      },
      envExample: [{ key: 'POSTGRES_USER', value: 'app' }, urlPasswordEntry('POSTGRES_PASSWORD'), { key: 'POSTGRES_DB', value: 'app' }],
    };
  },
  queryCommand: (sql) => ['sh', '-c', 'psql -v ON_ERROR_STOP=1 -U "$POSTGRES_USER" -d "$POSTGRES_DB" -tAc "$1"', 'sh', sql],
  // Quoted: tools name tables in mixed case (Sequelize's SequelizeMeta), which would otherwise be folded.
  quoteIdentifier: (name) => quoteEach(name, '"'),
};
