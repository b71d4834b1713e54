#!/usr/bin/env node
// `npm run bench`: timings of the bundled example's generated stack on the Docker engine, written
// to bench/results.json. Goals (from the peers measured in ../shared/FACTS.md): a cold build well
// under fly.io's 22–26 s, `docker stop` well under docker init's 10 s, a runtime image close to
// base + production node_modules + dist.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { run } from '../dist/cli/main.js';
import { freePort } from '../dist/verify/measure.js';
import { ComposeProject } from '../dist/verify/compose.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const FIXTURE = 'express-knex-postgres';
const quiet = { stdout: () => {}, stderr: () => {}, interactive: false };

const seconds = (ms) => Math.round(ms) / 1000;
async function timed(action) {
  const started = performance.now();
  const result = await action();
  return { ms: performance.now() - started, result };
}
function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}
function docker(args, cwd) {
  return execFileSync('docker', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

const dir = mkdtempSync(path.join(tmpdir(), 'cms-bench-'));
cpSync(path.join(root, 'fixtures', FIXTURE), dir, { recursive: true, filter: (source) => !/[\\/](node_modules|dist)([\\/]|$)/.test(source) });
const results = { fixture: FIXTURE, node: process.version, engine: docker(['version', '--format', '{{.Server.Version}}']).trim(), measured: {} };
const project = new ComposeProject({ dir, name: `cms-bench-${process.pid}`, env: { APP_PORT: String(await freePort()) } });

try {
  // Generation: the CLI on the example, in-process, median of 10 runs.
  const generation = [];
  for (let i = 0; i < 10; i++) generation.push((await timed(() => run([dir, '--yes', '--force'], quiet))).ms);
  results.measured.generateMedianSeconds = seconds(median(generation));
  cpSync(path.join(dir, '.env.example'), path.join(dir, '.env'));

  // Builds: both targets without the layer cache (cold), then after a one-line source change.
  const tag = `cms-bench-${process.pid}`;
  const cold = await timed(async () => {
    docker(['build', '--quiet', '--no-cache', '--target', 'migrate', '-t', `${tag}:migrate`, '.'], dir);
    docker(['build', '--quiet', '--target', 'runtime', '-t', `${tag}:runtime`, '.'], dir);
  });
  results.measured.coldBuildSeconds = seconds(cold.ms);
  writeFileSync(path.join(dir, 'src/version.ts'), `export const version = '${Date.now()}';\n`);
  const warm = await timed(async () => {
    docker(['build', '--quiet', '--target', 'migrate', '-t', `${tag}:migrate`, '.'], dir);
    docker(['build', '--quiet', '--target', 'runtime', '-t', `${tag}:runtime`, '.'], dir);
  });
  results.measured.rebuildAfterSourceChangeSeconds = seconds(warm.ms);
  const size = (image) => Number(docker(['image', 'inspect', '--format', '{{.Size}}', image]));
  results.measured.runtimeImageMB = Math.round(size(`${tag}:runtime`) / 1e5) / 10;
  results.measured.migrateImageMB = Math.round(size(`${tag}:migrate`) / 1e5) / 10;
  results.measured.baseImageMB = Math.round(size('node:22-bookworm-slim') / 1e5) / 10;
  docker(['image', 'rm', `${tag}:migrate`, `${tag}:runtime`]);

  // The stack: `up --wait` with the images cached, a second `up` (nothing to migrate), `stop app`.
  const up = await project.up();
  if (up.code !== 0) throw new Error(`up failed: ${up.stderr}`);
  results.measured.upWaitSeconds = seconds(up.durationMs);
  const again = await project.up();
  results.measured.secondUpWaitSeconds = seconds(again.durationMs);
  const stop = await project.stop('app');
  results.measured.stopAppSeconds = seconds(stop.durationMs);
} finally {
  await project.down();
  rmSync(dir, { recursive: true, force: true });
}

results.date = new Date().toISOString().slice(0, 10);
writeFileSync(path.join(root, 'bench/results.json'), `${JSON.stringify(results, null, 2)}\n`);
console.log(JSON.stringify(results, null, 2));
