import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { copyFixture, read, removeScratchCopies } from '../support/fixtures.js';

afterAll(removeScratchCopies);

type Services = Record<string, { depends_on?: Record<string, { condition: string }>; profiles?: string[]; image?: string; volumes?: string[] }>;

async function generate(flags: string[], fixture = 'express-knex-postgres'): Promise<{ dir: string; services: Services }> {
  const dir = copyFixture(fixture);
  const result = await runCli([dir, '--yes', ...flags]);
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  return { dir, services: parseYaml(read(dir, 'compose.yaml')).services };
}

describe('--backup', () => {
  it('compose: a one-shot from the database image dumps before migrate, which waits for it', async () => {
    const { dir, services } = await generate(['--backup']);
    expect(services.backup).toMatchObject({
      image: 'postgres:15',
      volumes: ['backups:/backups', './docker-backup.sh:/usr/local/bin/docker-backup.sh:ro'],
      depends_on: { db: { condition: 'service_healthy' } },
    });
    expect(services.migrate!.depends_on).toEqual({ db: { condition: 'service_healthy' }, backup: { condition: 'service_completed_successfully' } });
    expect(read(dir, 'docker-backup.sh')).toContain('pg_dump --format=custom --file="$1"');
    expect(JSON.parse(read(dir, 'migrating-stack.json')).answers.backup).toBe(true);
  });

  it('entrypoint: the app, which migrates, waits for the backup', async () => {
    const { services } = await generate(['--backup', '--strategy', 'entrypoint']);
    expect(services.app!.depends_on).toEqual({ db: { condition: 'service_healthy' }, backup: { condition: 'service_completed_successfully' } });
  });

  it('ci: the pipeline backs up; locally on demand only', async () => {
    const { services } = await generate(['--backup', '--strategy', 'ci']);
    expect(services.backup!.profiles).toEqual(['migrate']);
    expect(services.app!.depends_on).toEqual({ db: { condition: 'service_healthy' } });
  });

  it('MariaDB dumps with mariadb-dump, the password in MYSQL_PWD rather than on the command line', async () => {
    const { dir, services } = await generate(['--backup'], 'express-sequelize-mariadb');
    expect(services.backup!.image).toBe('mariadb:10.11');
    const script = read(dir, 'docker-backup.sh');
    expect(script).toContain('mariadb-dump --host="$DB_HOST" --user="$MARIADB_USER" --single-transaction');
    expect(script).not.toMatch(/-p"?\$/);
  });

  it('is refused for SQLite, with what to do instead', async () => {
    const dir = copyFixture('express-knex-postgres');
    const pkg = JSON.parse(read(dir, 'package.json'));
    writeFileSync(path.join(dir, 'package.json'), JSON.stringify(pkg));
    const result = await runCli([dir, '--yes', '--db', 'sqlite', '--backup']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--backup: backups need a database server's dump tool; for SQLite, copy the database file off its volume/);
  });
});
