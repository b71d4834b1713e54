/**
 * Where and how migrations run: the migrate runner and its lock, and the three strategies (a
 * migrate service the app waits for, the app migrating as it starts, or the pipeline).
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { composeObject } from '../../../src/render/compose.js';
import { renderFiles } from '../../../src/render/index.js';
import { copyFixture, FIXTURES, read, removeScratchCopies } from '../../support/fixtures.js';
import { planFor } from '../../support/pipeline.js';

afterAll(removeScratchCopies);

const SPINE = path.join(FIXTURES, 'express-knex-postgres');

function editPackageJson(dir: string, edit: (pkg: Record<string, Record<string, string>>) => void): void {
  const pkg = JSON.parse(read(dir, 'package.json'));
  edit(pkg);
  writeFileSync(path.join(dir, 'package.json'), JSON.stringify(pkg, null, 2));
}

describe('the migrate runner', () => {
  it("wraps the tool and locks through the project's own driver (pg)", async () => {
    const plan = await planFor(SPINE);
    expect(plan.migration.runner).toMatchObject({ file: 'docker-migrate.mjs', driver: 'pg', timeoutSeconds: 300 });
    expect(plan.migration.containerCommand).toEqual(['node', 'docker-migrate.mjs', 'node_modules/.bin/knex', 'migrate:latest', '--knexfile', 'knexfile.js']);
    const runner = renderFiles(plan).find((file) => file.path === 'docker-migrate.mjs')!.content;
    expect(runner).toContain("import pg from 'pg';");
    expect(runner).toContain(`const LOCK_KEY = ${plan.migration.runner!.key};`);
    expect(runner).toMatch(/Knex serialises runs itself .*; this lock also makes concurrent\n\/\/ runs wait their turn/);
  });

  it('derives the lock from the project name: stable, and different per project', async () => {
    const first = await planFor(SPINE);
    const again = await planFor(copyFixture('express-knex-postgres')); // another directory, the same project
    const other = await planFor(path.join(FIXTURES, 'express-knex-postgres-failing-migration'));
    expect(first.migration.runner!.key).toBe(again.migration.runner!.key);
    expect(first.migration.runner!.key).not.toBe(other.migration.runner!.key);
    expect(Number.isSafeInteger(first.migration.runner!.key)).toBe(true);
  });

  it('uses GET_LOCK through mysql2 for MariaDB', async () => {
    const dir = copyFixture('express-knex-postgres');
    editPackageJson(dir, (pkg) => {
      delete pkg.dependencies!.pg;
      pkg.dependencies!.mysql2 = '^3.11.0';
    });
    const plan = await planFor(dir, { database: 'mariadb' });
    expect(plan.migration.runner).toMatchObject({ driver: 'mysql2', name: 'migrations:orders-api' });
    const runner = renderFiles(plan).find((file) => file.path === 'docker-migrate.mjs')!.content;
    expect(runner).toContain('SELECT GET_LOCK(?, 0) AS locked');
  });

  it('uses a driver that a dependency brings, where the package manager hoists it', async () => {
    const dir = copyFixture('express-knex-postgres');
    editPackageJson(dir, (pkg) => {
      delete pkg.dependencies!.pg;
    });
    // pg is still in package-lock.json (as a dependency of another package would be).
    const plan = await planFor(dir);
    expect(plan.migration.runner?.driver).toBe('pg');
  });

  it('is left out, with the tool running alone, when no driver can take the lock', async () => {
    const dir = copyFixture('express-knex-postgres');
    editPackageJson(dir, (pkg) => {
      delete pkg.dependencies!.pg;
    });
    const lock = JSON.parse(read(dir, 'package-lock.json'));
    for (const key of Object.keys(lock.packages)) if (/node_modules\/pg(-[a-z-]+)?$/.test(key)) delete lock.packages[key];
    writeFileSync(path.join(dir, 'package-lock.json'), JSON.stringify(lock));
    const plan = await planFor(dir);
    expect(plan.migration.runner).toBeUndefined();
    expect(plan.migration.containerCommand).toEqual(['node_modules/.bin/knex', 'migrate:latest', '--knexfile', 'knexfile.js']);
    expect(renderFiles(plan).map((file) => file.path)).not.toContain('docker-migrate.mjs');
    expect(plan.warnings).toEqual([]); // Knex locks itself
  });
});

describe('strategies', () => {
  it('compose (default): app waits for migrate to exit 0', async () => {
    const plan = await planFor(SPINE);
    expect(plan.strategy).toBe('compose');
    const services = composeObject(plan).services as Record<string, Record<string, unknown>>;
    expect(services.app!.depends_on).toEqual({ db: { condition: 'service_healthy' }, migrate: { condition: 'service_completed_successfully' } });
    expect(services.migrate!.profiles).toBeUndefined();
    expect(services.migrate!.restart).toBe('no');
    expect(plan.migration.onStart).toBeUndefined();
  });

  it('entrypoint: the app migrates in place when its image has the tool, the driver and the files', async () => {
    const plan = await planFor(SPINE, { strategy: 'entrypoint' });
    expect(plan.migration.onStart).toEqual({ directory: '/app', command: plan.migration.containerCommand });
    expect(plan.runtime.migrationBundle).toBeUndefined();
    const services = composeObject(plan).services as Record<string, Record<string, unknown>>;
    expect(services.app!.depends_on).toEqual({ db: { condition: 'service_healthy' } });
    expect(services.migrate!.profiles).toEqual(['migrate']);
    const dockerfile = renderFiles(plan).find((file) => file.path === 'Dockerfile')!.content;
    expect(dockerfile).toMatch(/^ENV NODE_ENV=production PORT=3000 MIGRATE_ON_START=true$/m);
  });

  it("entrypoint: a devDependency CLI puts the migrate target's files into the runtime image, with a warning", async () => {
    const dir = copyFixture('express-knex-postgres');
    editPackageJson(dir, (pkg) => {
      pkg.devDependencies!.knex = pkg.dependencies!.knex!;
      delete pkg.dependencies!.knex;
    });
    const plan = await planFor(dir, { strategy: 'entrypoint' });
    expect(plan.runtime.migrationBundle).toBe('/opt/migrate');
    expect(plan.migration.onStart!.directory).toBe('/opt/migrate');
    expect(plan.warnings.join('\n')).toMatch(/runtime image also carries the migration tooling in \/opt\/migrate \(knex is not part of the production image\)/);
    const files = renderFiles(plan);
    // In two layers: the dependencies, and (last) the sources, so that a source change re-sends only those.
    const dockerfile = files.find((file) => file.path === 'Dockerfile')!.content;
    expect(dockerfile).toContain('COPY --from=deps /app/node_modules /opt/migrate/node_modules\n');
    expect(dockerfile).toContain('COPY --from=build /app /opt/migrate/\n');
    expect(files.find((file) => file.path === 'docker-entrypoint.sh')!.content).toContain(
      '(cd /opt/migrate && exec node docker-migrate.mjs node_modules/.bin/knex migrate:latest --knexfile knexfile.js) &',
    );
  });

  it('ci: no gate; migrate only on demand', async () => {
    const plan = await planFor(SPINE, { strategy: 'ci' });
    const services = composeObject(plan).services as Record<string, Record<string, unknown>>;
    expect(services.app!.depends_on).toEqual({ db: { condition: 'service_healthy' } });
    expect(services.migrate!.profiles).toEqual(['migrate']);
    expect(plan.migration.onStart).toBeUndefined();
    expect(renderFiles(plan).find((file) => file.path === 'compose.yaml')!.content).toContain('docker run --rm -e DATABASE_URL <image>-migrate');
  });

  it('--strategy is checked and saved', async () => {
    await expect(planFor(SPINE, { strategy: 'cron' })).rejects.toThrow('--strategy: "cron" is not one of compose, entrypoint, ci');
  });
});
