/**
 * compose.yaml: the backup one-shot (--backup) and who waits for it under each strategy, and the
 * dump script it runs.
 */
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { describe, expect, it } from 'vitest';
import { rejectionOf } from '../../support/errors.js';
import { FIXTURES } from '../../support/fixtures.js';
import { planFor, renderedFor, type AnswerFlags } from '../../support/pipeline.js';

type Services = Record<string, { depends_on?: Record<string, { condition: string }>; profiles?: string[]; image?: string; volumes?: string[] }>;

async function generate(flags: AnswerFlags, fixture = 'express-knex-postgres') {
  const rendered = await renderedFor(path.join(FIXTURES, fixture), flags);
  return { ...rendered, services: parseYaml(rendered.file('compose.yaml')).services as Services };
}

describe('--backup', () => {
  it('compose: a one-shot from the database image dumps before migrate, which waits for it', async () => {
    const { plan, file, services } = await generate({ backup: 'true' });
    expect(services.backup).toMatchObject({
      image: 'postgres:15',
      volumes: ['backups:/backups', './docker-backup.sh:/usr/local/bin/docker-backup.sh:ro'],
      depends_on: { db: { condition: 'service_healthy' } },
    });
    expect(services.migrate!.depends_on).toEqual({ db: { condition: 'service_healthy' }, backup: { condition: 'service_completed_successfully' } });
    expect(file('docker-backup.sh')).toContain('pg_dump --format=custom --file="$1"');
    expect(plan.answers.backup).toBe(true);
  });

  it('entrypoint: the app, which migrates, waits for the backup', async () => {
    const { services } = await generate({ backup: 'true', strategy: 'entrypoint' });
    expect(services.app!.depends_on).toEqual({ db: { condition: 'service_healthy' }, backup: { condition: 'service_completed_successfully' } });
  });

  it('ci: the pipeline backs up; locally on demand only', async () => {
    const { services } = await generate({ backup: 'true', strategy: 'ci' });
    expect(services.backup!.profiles).toEqual(['migrate']);
    expect(services.app!.depends_on).toEqual({ db: { condition: 'service_healthy' } });
  });

  it('MariaDB dumps with mariadb-dump, the password in MYSQL_PWD rather than on the command line', async () => {
    const { file, services } = await generate({ backup: 'true' }, 'express-sequelize-mariadb');
    expect(services.backup!.image).toBe('mariadb:10.11');
    const script = file('docker-backup.sh');
    expect(script).toContain('mariadb-dump --host="$DB_HOST" --user="$MARIADB_USER" --single-transaction');
    expect(script).not.toMatch(/-p"?\$/);
  });

  it('is refused for SQLite, with what to do instead', async () => {
    const error = await rejectionOf(planFor(path.join(FIXTURES, 'express-knex-postgres'), { database: 'sqlite', backup: 'true' }));
    expect(error).toMatch(/--backup: backups need a database server's dump tool; for SQLite, copy the database file off its volume/);
  });
});
