/**
 * stack.yaml and deploy-swarm.sh (--swarm): docker/cli's v3 schema, the migrate job, the app's
 * rollout, and every credential in Docker secrets.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { rejectionOf } from '../../support/errors.js';
import { copyFixture, FIXTURES, read, removeScratchCopies } from '../../support/fixtures.js';
import { planFor, renderedFor, type AnswerFlags, type Rendered } from '../../support/pipeline.js';

afterAll(removeScratchCopies);

const SPINE = path.join(FIXTURES, 'express-knex-postgres');

type Service = Record<string, unknown> & { deploy?: Record<string, unknown>; environment?: Record<string, string> };

async function generateSwarm(
  flags: AnswerFlags = {},
): Promise<Rendered & { stack: { version: string; services: Record<string, Service>; secrets: Record<string, unknown> }; text: string }> {
  const rendered = await renderedFor(SPINE, { swarm: 'true', ...flags });
  const text = rendered.file('stack.yaml');
  return { ...rendered, stack: parseYaml(text), text };
}

describe('--swarm', () => {
  it('generates stack.yaml and deploy-swarm.sh, keeps stack.yaml out of the build context, and records the answer', async () => {
    const { plan, paths, file } = await generateSwarm();
    expect(plan.answers.swarm).toBe(true);
    expect(paths).toEqual(expect.arrayContaining(['stack.yaml', 'deploy-swarm.sh']));
    expect(file('deploy-swarm.sh')).toMatch(/^#!\/bin\/sh\n/);
    expect(file('.dockerignore')).toMatch(/^stack\.yaml$/m);
  });

  it("follows docker/cli's v3 schema: version key, no build, no long-form depends_on, no name", async () => {
    const { stack, text } = await generateSwarm();
    expect(stack.version).toBe('3.9');
    expect(text).not.toMatch(/^\s*(build|depends_on):/m);
    expect(text).not.toMatch(/^name:/m);
    expect(Object.keys(stack.services)).toEqual(['db', 'migrate', 'app']);
  });

  it('runs migrate as a job with a bounded restart policy, from a required image variable', async () => {
    const { stack } = await generateSwarm();
    const migrate = stack.services.migrate!;
    expect(migrate.image).toMatch(/^\$\{MIGRATE_IMAGE:\?[^-]+\}$/);
    expect(migrate.deploy).toEqual({ mode: 'replicated-job', replicas: 1, restart_policy: { condition: 'on-failure', delay: '5s', max_attempts: 2 } });
    // The image's own init (tini in its ENTRYPOINT) is PID 1: no init: true needed.
    expect(migrate.init).toBeUndefined();
  });

  it('rolls the app out start-first with rollback, healthchecked', async () => {
    const { stack } = await generateSwarm();
    const app = stack.services.app!;
    expect(app.image).toMatch(/^\$\{APP_IMAGE:\?[^-]+\}$/);
    expect(app.deploy).toMatchObject({
      replicas: '${APP_REPLICAS:-3}',
      update_config: { order: 'start-first', failure_action: 'rollback' },
      rollback_config: { order: 'start-first' },
    });
    expect(app.healthcheck).toMatchObject({ test: ['CMD', 'node', '-e', expect.stringContaining('/health')] });
  });

  it('keeps every credential in Docker secrets read through *_FILE, none in the file', async () => {
    const { stack, text } = await generateSwarm();
    expect(stack.services.db!.environment).toEqual({
      POSTGRES_USER: '${POSTGRES_USER:-app}',
      POSTGRES_DB: '${POSTGRES_DB:-app}',
      POSTGRES_PASSWORD_FILE: '/run/secrets/db_password',
    });
    expect(stack.services.app!.environment).toEqual({ DATABASE_URL_FILE: '/run/secrets/database_url' });
    expect(stack.services.migrate!.environment).toEqual({ DATABASE_URL_FILE: '/run/secrets/database_url' });
    expect(stack.secrets).toEqual({
      db_password: { external: true, name: '${DB_PASSWORD_SECRET:-orders-api-db-password-v1}' },
      database_url: { external: true, name: '${DATABASE_URL_SECRET:-orders-api-database-url-v1}' },
    });
    expect(text).not.toMatch(/PASSWORD:|change-me|postgres:\/\//);
  });

  it('reaches the database by DNS round robin, on an internal network', async () => {
    const { stack } = await generateSwarm();
    expect(stack.services.db!.deploy).toMatchObject({ endpoint_mode: 'dnsrr' });
    expect((stack as unknown as { networks: Record<string, unknown> }).networks.backend).toEqual({ driver: 'overlay', internal: true });
  });

  it("the entrypoint strategy's app image doesn't migrate again in Swarm: the job does", async () => {
    const { stack } = await generateSwarm({ strategy: 'entrypoint' });
    expect(stack.services.app!.environment).toMatchObject({ MIGRATE_ON_START: 'false' });
  });

  it('MariaDB: a secret for the user password and one for root', async () => {
    const dir = copyFixture('express-knex-postgres');
    const pkg = JSON.parse(read(dir, 'package.json'));
    delete pkg.dependencies.pg;
    pkg.dependencies.mysql2 = '^3.11.0';
    writeFileSync(path.join(dir, 'package.json'), JSON.stringify(pkg));
    const { file } = await renderedFor(dir, { swarm: 'true', database: 'mariadb' });
    const stack = parseYaml(file('stack.yaml'));
    expect(stack.services.db.environment).toMatchObject({
      MARIADB_PASSWORD_FILE: '/run/secrets/db_password',
      MARIADB_ROOT_PASSWORD_FILE: '/run/secrets/db_root_password',
    });
    expect(file('deploy-swarm.sh')).toContain(
      'ensure_secret "${DB_ROOT_PASSWORD_SECRET:-orders-api-db-root-password-v1}" DB_ROOT_PASSWORD "$DB_ROOT_PASSWORD"',
    );
  });

  it('is refused for SQLite, naming the reason', async () => {
    const error = await rejectionOf(planFor(SPINE, { swarm: 'true', database: 'sqlite' }));
    expect(error).toMatch(/--swarm: a Swarm stack needs a database server: SQLite's file lives on one node's volume/);
  });
});
