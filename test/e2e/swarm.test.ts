/**
 * Docker Swarm on a single-node swarm made by this test: deploy v1 (3 replicas), v2 (one new
 * migration, rolling update) and v3 (a failing migration) with the generated deploy-swarm.sh.
 *
 * The lab engine has no IPVS, so Swarm's virtual IPs and the ingress routing mesh don't carry
 * traffic here: the generated stack reaches its database through DNS round robin anyway (see
 * stack.yaml), and this test checks the app's health from inside its containers instead of
 * through the published port.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { freePort } from '../../src/verify/measure.js';
import { runCommand, type CommandResult } from '../../src/verify/compose.js';
import { serviceState, serviceTasks, swarmState } from './support/swarm.js';
import { runCli } from '../support/cli.js';
import { copyFixture, removeScratchCopies } from '../support/fixtures.js';

const STACK = 'cms-e2e-swarm';
const REPOSITORY = 'cms-e2e-swarm/orders-api';
// Every character a URL or a shell reads specially: deploy-swarm.sh percent-encodes it into the URL secret.
const DB_PASSWORD = `swarm p@ss/w:rd?#%+= '"$\\\``;
const docker = (args: string[], options: { cwd?: string; env?: Record<string, string>; timeoutMs?: number } = {}) => runCommand('docker', args, options);

describe.skipIf(!inject('dockerLab'))('Swarm: stack.yaml and deploy-swarm.sh', () => {
  let dir: string;
  let joinedSwarm = false;
  /** Swarm creates docker_gwbridge and leaves it behind: removed afterwards unless it was there. */
  let gatewayBridgeExisted = true;
  let appPort: number;

  /** Builds both targets of the project as it is now, tagged <version> and <version>-migrate. */
  async function buildVersion(version: string): Promise<void> {
    for (const [target, tag] of [
      ['runtime', version],
      ['migrate', `${version}-migrate`],
    ] as const) {
      const build = await docker(['build', '--quiet', '--target', target, '-t', `${REPOSITORY}:${tag}`, '.'], { cwd: dir, timeoutMs: 600_000 });
      expect(build.code, build.stderr).toBe(0);
    }
  }

  function deploy(version: string): Promise<CommandResult> {
    return runCommand('sh', ['./deploy-swarm.sh', STACK], {
      cwd: dir,
      env: { IMAGE: `${REPOSITORY}:${version}`, DB_PASSWORD, APP_PORT: String(appPort), MIGRATE_TIMEOUT: '180', ROLLOUT_TIMEOUT: '300' },
      timeoutMs: 600_000,
    });
  }

  async function psql(sql: string): Promise<string> {
    const [db] = (await serviceTasks(`${STACK}_db`)).filter((task) => task.state === 'running');
    const result = await docker(['exec', db!.containerId!, 'sh', '-c', 'psql -U "$POSTGRES_USER" -d "$POSTGRES_DB" -tAc "$1"', 'sh', sql]);
    expect(result.code, result.stderr).toBe(0);
    return result.stdout.trim();
  }

  async function runningApps(): Promise<{ image: string; containerId: string; createdAt: Date }[]> {
    const tasks = await serviceTasks(`${STACK}_app`);
    return tasks
      .filter((task) => task.desiredState === 'running' && task.state === 'running')
      .map((task) => ({ image: task.image, containerId: task.containerId!, createdAt: task.createdAt }));
  }

  /** /health from inside each running app container. */
  async function healthFromInside(): Promise<number[]> {
    const apps = await runningApps();
    return Promise.all(
      apps.map(async (app) => {
        const probe = await docker([
          'exec',
          app.containerId,
          'node',
          '-e',
          "fetch('http://127.0.0.1:3000/health').then(r=>console.log(r.status),()=>console.log(0))",
        ]);
        return Number(probe.stdout.trim());
      }),
    );
  }

  beforeAll(async () => {
    expect(await swarmState()).toBe('inactive'); // never take over a swarm this test didn't make
    gatewayBridgeExisted = (await docker(['network', 'inspect', 'docker_gwbridge'])).code === 0;
    const init = await docker(['swarm', 'init', '--advertise-addr', '127.0.0.1']);
    expect(init.code, init.stderr).toBe(0);
    joinedSwarm = true;
    appPort = await freePort();

    dir = copyFixture('express-knex-postgres');
    const generated = await runCli([dir, '--yes', '--swarm']);
    expect(generated.code, generated.stderr).toBe(0);
    await buildVersion('v1');
    writeFileSync(
      path.join(dir, 'migrations/20240320000000_add_order_notes.js'),
      "exports.up = (knex) => knex.schema.alterTable('orders', (t) => t.text('notes'));\nexports.down = (knex) => knex.schema.alterTable('orders', (t) => t.dropColumn('notes'));\n",
    );
    await buildVersion('v2');
    writeFileSync(
      path.join(dir, 'migrations/20240401000000_broken.js'),
      "exports.up = (knex) => knex.raw('ALTR TABLE orders ADD COLUMN x int');\nexports.down = () => {};\n",
    );
    await buildVersion('v3');
  });

  afterAll(async () => {
    await docker(['stack', 'rm', STACK]);
    // Services go first; their containers and networks a little later.
    for (let i = 0; i < 60 && (await docker(['ps', '-aq', '--filter', `label=com.docker.stack.namespace=${STACK}`])).stdout.trim(); i++) {
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
    const secrets = (await docker(['secret', 'ls', '--quiet', '--filter', 'name=orders-api-'])).stdout.split('\n').filter(Boolean);
    if (secrets.length > 0) await docker(['secret', 'rm', ...secrets]);
    if (joinedSwarm) await docker(['swarm', 'leave', '--force']);
    if (joinedSwarm && !gatewayBridgeExisted) await docker(['network', 'rm', 'docker_gwbridge']);
    await docker(['volume', 'rm', '--force', `${STACK}_db-data`]);
    const images = ['v1', 'v2', 'v3'].flatMap((v) => [`${REPOSITORY}:${v}`, `${REPOSITORY}:${v}-migrate`]);
    await docker(['image', 'rm', '--force', ...images]);
    removeScratchCopies();
  });

  it('docker stack config accepts stack.yaml', async () => {
    const config = await docker(['stack', 'config', '--compose-file', 'stack.yaml'], { cwd: dir, env: { APP_IMAGE: 'a', MIGRATE_IMAGE: 'b' } });
    expect(config.stderr).toBe('');
    expect(config.code).toBe(0);
    expect(config.stdout).toContain('mode: replicated-job');
    // The variables really are interpolated (docker stack misreads some `${X:?message}` forms).
    expect(config.stdout.match(/^ {4}image: .*$/gm)).toEqual(['    image: a', '    image: postgres:15', '    image: b']);
  });

  it('v1 with 3 replicas: all healthy, migrations applied once', async () => {
    const result = await deploy('v1');
    expect(result.stderr).toMatch(/first deploy: migrating/);
    expect(result.stderr).toMatch(/done: .*:v1 serves with 3\/3 healthy replicas/);
    expect(result.code).toBe(0);
    expect(await psql('SELECT name FROM knex_migrations ORDER BY id')).toBe('20240105090000_create_customers.js\n20240212143000_create_orders.js');
    const apps = await runningApps();
    expect(apps.map((app) => app.image)).toEqual(Array(3).fill(`${REPOSITORY}:v1`));
    expect(await healthFromInside()).toEqual([200, 200, 200]);
    const job = await serviceTasks(`${STACK}_migrate`);
    expect(job.filter((task) => task.state === 'complete')).toHaveLength(1); // one run, before the app had a replica
  });

  it('v2 with one new migration: applied once, rolling update completes, no v2 replica before the migration finished', async () => {
    const started = Date.now();
    const result = await deploy('v2');
    expect(result.stderr).toMatch(/the app keeps running .*:v1/);
    expect(result.code, result.stderr).toBe(0);
    expect(await psql("SELECT COUNT(*) FROM knex_migrations WHERE name = '20240320000000_add_order_notes.js'")).toBe('1');
    expect(await psql("SELECT COUNT(*) FROM information_schema.columns WHERE table_name = 'orders' AND column_name = 'notes'")).toBe('1');

    const app = await serviceState(`${STACK}_app`);
    expect(app.updateState).toBe('completed');
    const apps = await runningApps();
    expect(apps.map((a) => a.image)).toEqual(Array(3).fill(`${REPOSITORY}:v2`));
    expect(await healthFromInside()).toEqual([200, 200, 200]);

    const { jobIteration } = await serviceState(`${STACK}_migrate`);
    const v2Jobs = (await serviceTasks(`${STACK}_migrate`)).filter((task) => task.image === `${REPOSITORY}:v2-migrate` && task.state === 'complete');
    const migrated = Math.min(...v2Jobs.filter((task) => task.createdAt.getTime() >= started).map((task) => task.stateSince.getTime()));
    expect(Number.isFinite(migrated)).toBe(true);
    expect(jobIteration).toBe(1); // one job run per deploy: v1 was run 0
    // Every v2 replica was created only after the v2 migration had completed.
    for (const replica of apps) expect(replica.createdAt.getTime()).toBeGreaterThan(migrated);
  });

  it('v3 with a failing migration: the deploy reports failure and v2 keeps serving', async () => {
    const result = await deploy('v3');
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/migrations failed 3 times: the app was not updated and keeps serving/);
    const app = await serviceState(`${STACK}_app`);
    expect(app.image).toBe(`${REPOSITORY}:v2`);
    const apps = await runningApps();
    expect(apps.map((a) => a.image)).toEqual(Array(3).fill(`${REPOSITORY}:v2`));
    expect(await healthFromInside()).toEqual([200, 200, 200]);
    expect(await psql("SELECT COUNT(*) FROM knex_migrations WHERE name = '20240401000000_broken.js'")).toBe('0');
    const failed = (await serviceTasks(`${STACK}_migrate`)).filter((task) => task.image === `${REPOSITORY}:v3-migrate` && task.state === 'failed');
    expect(failed).toHaveLength(3);
  });
});
