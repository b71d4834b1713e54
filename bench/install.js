#!/usr/bin/env node
// `npm run bench:install`: what a user waits for before the first answer, written to
// bench/install-results.json.
//   - Install: the packed tarball of this checkout and of @flydotio/dockerfile 0.7.10 (packed from
//     the registry), each installed into an empty folder with an empty npm cache, alternately, RUNS
//     times each (their dependencies come from the registry: fly's 56 packages, none for us). Goal:
//     at most fly's time, as a ratio measured in the same run; no install script.
//   - Startup: wall time of `--help` and of `--check` on an unchanged project (the example, generated
//     once), run through the installed package's bin, STARTS times each, with the host's node and in
//     the lab's node:22 and node:24 images (compile cache). Goal: well under 0.3 s.
// Medians are reported, with every run; the machine's load average says how busy it was. On a shared
// machine (the lab's), run as root: the bench then takes the highest scheduling priority, which its
// npm and node children inherit, so that other people's work counts less in its wall times.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { getPriority, loadavg, setPriority, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const FLY = '@flydotio/dockerfile@0.7.10';
const EXAMPLE = 'express-knex-postgres';
const RUNS = Number(process.env.RUNS ?? 5);
const STARTS = Number(process.env.STARTS ?? 15);
const IMAGES = ['node:22-bookworm-slim', 'node:24-bookworm-slim'];
const QUIET = ['--no-audit', '--no-fund', '--no-update-notifier', '--loglevel=error'];

const seconds = (ms) => Math.round(ms) / 1000;
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const megabytes = (bytes) => Math.round(bytes / 1e5) / 10;

/** Bytes of the files under `dir` (what the install put on disk). */
function size(dir) {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .reduce((sum, entry) => sum + statSync(path.join(entry.parentPath, entry.name)).size, 0);
}

/** `npm pack` into `dir`: the tarball's path and sizes. */
function pack(spec, dir, cwd) {
  const [manifest] = JSON.parse(
    execFileSync('npm', ['pack', spec, '--ignore-scripts', '--json', '--pack-destination', dir, ...QUIET], { cwd, encoding: 'utf8' }),
  );
  return { file: path.join(dir, manifest.filename), tarballKB: Math.round(manifest.size / 1000), unpackedKB: Math.round(manifest.unpackedSize / 1000) };
}

/** Installs `tarball` into an empty folder with an empty cache; the time, packages, size on disk. */
function install(tarball, work, label) {
  const dir = mkdtempSync(path.join(work, `${label}-`));
  writeFileSync(path.join(dir, 'package.json'), `${JSON.stringify({ name: 'scratch', private: true })}\n`);
  const started = performance.now();
  execFileSync('npm', ['install', tarball, '--cache', path.join(dir, '.npm-cache'), ...QUIET], { cwd: dir, stdio: ['ignore', 'ignore', 'inherit'] });
  const ms = performance.now() - started;
  const lock = JSON.parse(readFileSync(path.join(dir, 'package-lock.json'), 'utf8'));
  const packages = Object.entries(lock.packages).filter(([key]) => key !== '');
  return {
    ms,
    packages: packages.length,
    installScripts: packages.filter(([, entry]) => entry.hasInstallScript).map(([key]) => key.replace(/^.*node_modules\//, '')),
    bytes: size(path.join(dir, 'node_modules')),
    dir,
  };
}

/**
 * Times `node <argv>` for each command of CMS_STARTS ({ runs, cwd, commands: { name: argv } }),
 * `runs` times each after one first run (which fills Node 22+'s compile cache): wall median and
 * fastest, and mean CPU time (user + system, from /proc: less sensitive than wall time to what else
 * the machine is doing). Printed as JSON; run by the host's node and inside the lab's node images.
 */
const STARTS_SCRIPT = `
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
const { runs, cwd, commands } = JSON.parse(process.env.CMS_STARTS);
const round = (s) => Math.round(s * 1000) / 1000;
function childrenCpu() {
  try {
    const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ');
    return (Number(fields[13]) + Number(fields[14])) / 100;
  } catch {
    return NaN;
  }
}
function time(argv) {
  const started = performance.now();
  const { status } = spawnSync(process.execPath, argv, { cwd, stdio: 'ignore' });
  return { ms: performance.now() - started, status };
}
const results = { node: process.version };
for (const [name, argv] of Object.entries(commands)) {
  const first = time(argv);
  const times = [];
  let status;
  const cpuBefore = childrenCpu();
  for (let i = 0; i < runs; i++) ({ ms: times[i], status } = time(argv));
  const cpu = (childrenCpu() - cpuBefore) / runs;
  times.sort((a, b) => a - b);
  results[name] = { firstSeconds: round(first.ms / 1000), medianSeconds: round(times[Math.floor(runs / 2)] / 1000), minSeconds: round(times[0] / 1000), cpuSeconds: round(cpu), exitCode: status };
}
console.log(JSON.stringify(results));
`;

/** STARTS_SCRIPT with the host's node, or in a node image (`docker run`, the folder mounted at its own path). */
function starts(commands, cwd, image) {
  const env = { CMS_STARTS: JSON.stringify({ runs: STARTS, cwd, commands }) };
  const argv = ['--input-type=module', '-e', STARTS_SCRIPT];
  const output = image
    ? execFileSync('docker', ['run', '--rm', '-e', 'CMS_STARTS', '--volume', `${cwd}:${cwd}:ro`, image, 'node', ...argv], {
        encoding: 'utf8',
        env: { ...process.env, ...env },
      })
    : execFileSync(process.execPath, argv, { encoding: 'utf8', env: { ...process.env, ...env } });
  return JSON.parse(output);
}

try {
  setPriority(-20);
} catch {
  // Not root: the default priority.
}
const work = mkdtempSync(path.join(tmpdir(), 'cms-bench-install-'));
try {
  const ours = pack('.', work, root);
  const fly = pack(FLY, work, work);
  const runs = { ours: [], fly: [] };
  for (let i = 0; i < RUNS; i++) {
    // Alternately first: neither gets a warmer machine.
    const order = i % 2 === 0 ? ['ours', 'fly'] : ['fly', 'ours'];
    for (const which of order) runs[which].push(install(which === 'ours' ? ours.file : fly.file, work, which));
  }
  const summary = (tarball, list) => ({
    tarballKB: tarball.tarballKB,
    unpackedKB: tarball.unpackedKB,
    packages: list[0].packages,
    installedMB: megabytes(list[0].bytes),
    installScripts: list[0].installScripts,
    installMedianSeconds: seconds(median(list.map((run) => run.ms))),
    installSeconds: list.map((run) => seconds(run.ms)),
  });

  // Startup, through the installed bin, on the example generated once.
  const installed = runs.ours[0].dir;
  const bin = path.join(installed, 'node_modules/create-migrating-stack/bin/create-migrating-stack.js');
  const example = path.join(installed, 'example');
  mkdirSync(example);
  cpSync(path.join(root, 'fixtures', EXAMPLE), example, { recursive: true, filter: (source) => !/[\\/](node_modules|dist)([\\/]|$)/.test(source) });
  execFileSync(process.execPath, [bin, example, '--yes'], { stdio: 'ignore' });

  const results = {
    date: new Date().toISOString().slice(0, 10),
    node: process.version,
    npm: execFileSync('npm', ['--version'], { encoding: 'utf8' }).trim(),
    loadAverage: loadavg().map((load) => Math.round(load * 100) / 100),
    priority: getPriority(),
    install: {
      runs: RUNS,
      method: 'npm install <tarball> into an empty folder with an empty --cache, dependencies from the registry',
      ours: summary(ours, runs.ours),
      fly: { package: FLY, ...summary(fly, runs.fly) },
    },
    startup: { runs: STARTS, method: 'node <bin> --help, node <bin> <example> --check (unchanged: exit 0), and node -e 0 for reference' },
  };
  const commands = { nodeBaseline: ['-e', '0'], help: [bin, '--help'], checkUnchanged: [bin, example, '--check'] };
  results.startup.host = starts(commands, installed);
  // Node 22.1+ keeps the bundle's compiled code (bin/create-migrating-stack.js enables the cache):
  // the lab's images, when there is an engine.
  for (const image of IMAGES) {
    try {
      results.startup[image] = starts(commands, installed, image);
    } catch (error) {
      results.startup[image] = { error: error.message.split('\n')[0] };
    }
  }
  results.install.ratioToFly = Math.round((results.install.ours.installMedianSeconds / results.install.fly.installMedianSeconds) * 100) / 100;
  writeFileSync(path.join(root, 'bench/install-results.json'), `${JSON.stringify(results, null, 2)}\n`);
  console.log(JSON.stringify(results, null, 2));
} finally {
  rmSync(work, { recursive: true, force: true });
}
