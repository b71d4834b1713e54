/**
 * What a change re-builds and re-pushes, on the engine (express-prisma-postgres, built through the
 * lab's Prisma engine mirror: see docker-lab/README.md and orm-prisma.test.ts).
 *
 * - A new migration: only the schema is copied before the installs, so both install layers (the
 *   full install with `prisma generate`, and the production install) come from the cache (BuildKit
 *   prints CACHED for them), and the migrate image has the new migration.
 * - --strategy entrypoint: the runtime image carries the migrate target's files in two layers, the
 *   dependencies and the sources (last); after a source change the dependency layers of the
 *   runtime image are the very same layers (diff ids), and only the sources' layer is new.
 */
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { runCommand, type CommandResult } from '../../src/verify/compose.js';
import { runCli } from '../support/cli.js';
import { copyFixture, removeScratchCopies } from '../support/fixtures.js';
import { withBuildSlot } from './support/build-slots.js';
import { PRISMA_ENGINES_MIRROR } from './support/prisma.js';

const FIXTURE = 'express-prisma-postgres';
const tag = (label: string) => `cms-e2e-layer-cache-${label}-${randomBytes(3).toString('hex')}`;
const built: string[] = [];

/** `docker build` of one target with BuildKit's plain progress (which says CACHED per step). */
async function build(dir: string, target: 'migrate' | 'runtime', image: string): Promise<CommandResult> {
  built.push(image);
  const args = [
    'build',
    '--progress=plain',
    '--network',
    'host',
    '--build-arg',
    `PRISMA_ENGINES_MIRROR=${PRISMA_ENGINES_MIRROR}`,
    '--target',
    target,
    '-t',
    image,
    dir,
  ];
  const result = await runCommand('docker', args, { env: { DOCKER_BUILDKIT: '1' }, timeoutMs: 15 * 60_000 });
  expect(result.code, result.stderr.slice(-2000)).toBe(0);
  return result;
}

/** The steps of a plain-progress build whose instruction matches `pattern`, and whether each was CACHED. */
function steps(output: string, pattern: RegExp): { step: string; cached: boolean }[] {
  const lines = output.split('\n');
  const named = lines.map((line) => /^#(\d+) \[[^\]]+\] (.*)$/.exec(line)).filter((match) => match !== null && pattern.test(match[2]!));
  return named.map((match) => ({ step: match![2]!, cached: lines.includes(`#${match![1]} CACHED`) }));
}

/** The image's layers, each with the instruction that made it (from the image config's history). */
async function layers(image: string, dir: string): Promise<{ createdBy: string; diffId: string }[]> {
  const saved = path.join(dir, `${image}.tar`);
  expect((await runCommand('docker', ['save', '--output', saved, image])).code).toBe(0);
  const manifest = JSON.parse((await runCommand('tar', ['-xOf', saved, 'manifest.json'])).stdout) as { Config: string }[];
  const config = JSON.parse((await runCommand('tar', ['-xOf', saved, manifest[0]!.Config])).stdout) as {
    history: { created_by: string; empty_layer?: boolean }[];
    rootfs: { diff_ids: string[] };
  };
  await runCommand('rm', ['-f', saved]);
  const made = config.history.filter((entry) => !entry.empty_layer);
  expect(made).toHaveLength(config.rootfs.diff_ids.length);
  return made.map((entry, index) => ({ createdBy: entry.created_by, diffId: config.rootfs.diff_ids[index]! }));
}

afterAll(async () => {
  if (built.length > 0) await runCommand('docker', ['image', 'rm', '--force', ...built]);
  removeScratchCopies();
});

describe.skipIf(!inject('dockerLab'))('Prisma: a new migration re-runs neither install', () => {
  let dir: string;
  let again: Record<'migrate' | 'runtime', CommandResult>;
  const images = { migrate: tag('migrate'), runtime: tag('runtime') };

  beforeAll(async () => {
    dir = copyFixture(FIXTURE);
    expect((await runCli([dir, '--yes'])).code).toBe(0);
    await withBuildSlot(FIXTURE, async () => {
      await build(dir, 'migrate', images.migrate);
      await build(dir, 'runtime', images.runtime);
    });
    const migration = path.join(dir, 'prisma', 'migrations', '20250301120000_add_customer_phone');
    mkdirSync(migration);
    // A nonce: BuildKit's cache is by content, and an earlier run built the same change.
    writeFileSync(path.join(migration, 'migration.sql'), `-- ${randomBytes(8).toString('hex')}\nALTER TABLE "customers" ADD COLUMN "phone" TEXT;\n`);
    again = { migrate: await build(dir, 'migrate', `${images.migrate}-2`), runtime: await build(dir, 'runtime', `${images.runtime}-2`) };
  });

  it('the full install (npm ci, prisma generate) and the production install are CACHED', () => {
    const full = [
      ...steps(again.migrate.stderr, /npm ci\s+&& node_modules\/\.bin\/prisma generate/),
      ...steps(again.runtime.stderr, /npm ci\s+&& node_modules\/\.bin\/prisma generate/),
    ];
    const production = steps(again.runtime.stderr, /npm ci --omit=dev/);
    expect(full.length).toBeGreaterThan(0);
    expect(production).toHaveLength(1);
    expect([...full, ...production].filter((step) => !step.cached)).toEqual([]);
    // What they copy: the schema, not the migrations folder.
    expect(steps(again.migrate.stderr, /^COPY prisma\/schema\.prisma/).every((step) => step.cached)).toBe(true);
  });

  it('the sources are copied again, and the migrate image has the new migration', async () => {
    expect(steps(again.migrate.stderr, /^COPY \. \./).map((step) => step.cached)).toEqual([false]);
    const listed = await runCommand('docker', ['run', '--rm', '--entrypoint', 'ls', `${images.migrate}-2`, 'prisma/migrations']);
    expect(listed.stdout).toContain('20250301120000_add_customer_phone');
  });
});

describe.skipIf(!inject('dockerLab'))('--strategy entrypoint: a source change leaves the dependency layers of the runtime image as they are', () => {
  let before: { createdBy: string; diffId: string }[];
  let after: { createdBy: string; diffId: string }[];
  let rebuilt: CommandResult;

  beforeAll(async () => {
    const dir = copyFixture(FIXTURE);
    expect((await runCli([dir, '--yes', '--strategy', 'entrypoint'])).code).toBe(0);
    const first = tag('entrypoint');
    await withBuildSlot(FIXTURE, () => build(dir, 'runtime', first));
    before = await layers(first, dir);
    appendFileSync(path.join(dir, 'src', 'server.ts'), `\n// a source change ${randomBytes(8).toString('hex')}\n`);
    rebuilt = await build(dir, 'runtime', `${first}-2`);
    after = await layers(`${first}-2`, dir);
  });

  const layerOf = (list: { createdBy: string; diffId: string }[], pattern: RegExp) => list.filter((layer) => pattern.test(layer.createdBy));

  it('the migrate target’s dependencies (/opt/migrate/node_modules) and the production dependencies: CACHED, the same layers', () => {
    for (const pattern of [/COPY \/app\/node_modules \/opt\/migrate\/node_modules/, /COPY \/app\/node_modules \.\/node_modules/]) {
      expect(layerOf(before, pattern)).toHaveLength(1);
      expect(layerOf(after, pattern)).toEqual(layerOf(before, pattern));
    }
    expect(steps(rebuilt.stderr, /^COPY --from=(deps|prod-deps) \/app\/node_modules /).map((step) => step.cached)).toEqual([true, true]);
  });

  it('the sources’ layers are new: the app’s and the migrate target’s (/opt/migrate)', () => {
    for (const pattern of [/COPY \/app \.\//, /COPY \/app \/opt\/migrate\//]) {
      expect(layerOf(before, pattern)).toHaveLength(1);
      expect(layerOf(after, pattern)[0]!.diffId).not.toBe(layerOf(before, pattern)[0]!.diffId);
    }
  });

  it('every layer before the first source layer is shared', () => {
    const firstSource = after.findIndex((layer) => /COPY \/app \.\//.test(layer.createdBy));
    expect(firstSource).toBeGreaterThan(0);
    expect(after.slice(0, firstSource).map((layer) => layer.diffId)).toEqual(before.slice(0, firstSource).map((layer) => layer.diffId));
  });
});
