/**
 * Express + Prisma 6 + PostgreSQL on the engine.
 *
 * Why `prisma migrate deploy` cannot succeed here: Prisma's schema engine (a native binary) is
 * downloaded from binaries.prisma.sh, which this machine cannot reach. The lab serves placeholder
 * engines with valid checksums at PRISMA_ENGINES_MIRROR=http://127.0.0.1:5599, so the images
 * build (npm ci, prisma generate) exactly as they would with the real engines, but every engine
 * run exits 1 with "prisma engine placeholder (docker-lab)". What this test proves instead: both
 * images build offline through the generated `ARG PRISMA_ENGINES_MIRROR`; the migrate image runs
 * the project's own Prisma CLI with the URL compose gives it, up to the point where it executes
 * the engine; that failure stops the rollout before the app starts; and the runtime image has
 * OpenSSL, the generated client and the non-root user.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { timeline } from '../../src/verify/measure.js';
import { runCommand, type CommandResult, type ComposeProject } from '../../src/verify/compose.js';
import { removeScratchCopies } from '../support/fixtures.js';
import { withPrismaMirror } from './support/prisma.js';
import { engine, TestStack } from './support/stack.js';

const ENGINES = '/app/node_modules/@prisma/engines';
const SCHEMA_ENGINE = `${ENGINES}/schema-engine-debian-openssl-3.0.x`;

describe.skipIf(!inject('dockerLab'))('express-prisma-postgres on the engine (placeholder Prisma engines)', () => {
  let stack: TestStack;
  let lab: ComposeProject;
  let up: CommandResult;

  beforeAll(async () => {
    stack = await TestStack.generate('express-prisma-postgres');
    // Real engines pass the CLI's version check and need none of this override.
    lab = withPrismaMirror(stack, {
      PRISMA_SCHEMA_ENGINE_BINARY: SCHEMA_ENGINE,
      PRISMA_QUERY_ENGINE_LIBRARY: `${ENGINES}/libquery_engine-debian-openssl-3.0.x.so.node`,
    });
    up = await lab.up();
  });
  afterAll(async () => {
    await lab?.down();
    removeScratchCopies();
  });

  it('both images build offline through the PRISMA_ENGINES_MIRROR build argument', async () => {
    expect(up.stderr).not.toMatch(/failed to solve|failed to build/i);
    const { migrate, app } = await timeline(engine, lab);
    expect(migrate).toHaveLength(1);
    expect(app).toHaveLength(1);
  });

  it("migrate runs the project's Prisma CLI against the db service and stops at the engine: up fails, app never starts", async () => {
    expect(up.code).not.toBe(0);
    expect(up.stderr).toMatch(/service "migrate" didn't complete successfully: exit 1/);
    const logs = (await lab.logs('migrate')).stdout;
    expect(logs).toMatch(/Prisma schema loaded from prisma\/schema\.prisma/);
    expect(logs).toMatch(/Datasource "db": PostgreSQL database "app", schema "public" at "db:5432"/);
    // Prisma 6 drops the first stderr line of the engine, the placeholder's only one, from this message.
    expect(logs).toMatch(/Error: Schema engine error:/);
    const { migrate, app, database } = await timeline(engine, lab);
    expect(database[0]!.health).toBe('healthy');
    expect(migrate[0]!.exitCode).toBe(1);
    expect(app[0]!.status).toBe('created');
    expect(app[0]!.startedAt).toBeUndefined();
  });

  it('the engine the CLI ran is the lab placeholder', async () => {
    const direct = await lab.run(['run', '--rm', '--no-deps', '-T', '--entrypoint', SCHEMA_ENGINE, 'migrate', '--version'], { timeoutMs: 60_000 });
    expect(direct.code).toBe(1);
    expect(direct.stderr).toMatch(/prisma engine placeholder \(docker-lab\)/);
  });

  it('the runtime image has OpenSSL, the generated client with its engine, the node user, and no secret', async () => {
    const { app } = await timeline(engine, lab);
    const image = await engine.imageInfo(app[0]!.image);
    expect(image.user).toBe('node');
    expect(image.env.join('\n')).not.toMatch(/PASSWORD|DATABASE_URL/);
    const inside = await runCommand(
      'docker',
      ['run', '--rm', '--entrypoint', 'sh', app[0]!.image, '-c', 'command -v openssl && grep -c "^model " node_modules/.prisma/client/schema.prisma && id -un'],
      { timeoutMs: 60_000 },
    );
    expect(inside.code).toBe(0);
    expect(inside.stdout.trim().split('\n')).toEqual(['/usr/bin/openssl', '2', 'node']);

    // The generated client loads its query engine from node_modules/.prisma (copied from the
    // deps stage) and fails only because the lab's engine is a placeholder, not a library. The
    // stub a bare install leaves there would fail differently: "did not initialize yet".
    const client = await runCommand('docker', ['run', '--rm', '--entrypoint', 'node', app[0]!.image, '-e', "new (require('@prisma/client').PrismaClient)()"], {
      timeoutMs: 60_000,
    });
    expect(client.code).not.toBe(0);
    expect(client.stderr).toMatch(/Unable to require\(`\/app\/node_modules\/\.prisma\/client\/libquery_engine-debian-openssl-3\.0\.x\.so\.node`\)/);
    expect(client.stderr).not.toMatch(/did not initialize yet|prisma generate/);
  });
});
