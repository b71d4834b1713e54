#!/usr/bin/env node
// `npm run corpus -- <folder of checked-out projects> [--no-verify] [--only <name>]`
//
// Runs the built CLI on a corpus of real public projects and records what happens: whether it
// generates (and with which flags), and, if it does, whether `verify` proves the stack on the
// Docker engine. Each project is checked out beforehand (outside this repository) at
// `<folder>/<owner>+<name>/` at the commit below; the runner copies it to a scratch directory,
// never touching the checkout. Results: bench/corpus-results.json and bench/corpus-results.md.
//
// Build the CLI first (`npx tsc -p tsconfig.json`); the Docker engine of the lab comes from
// ../shared/docker-lab/provision.
/* global clearTimeout */
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CLI = path.join(root, 'bin/create-migrating-stack.js');
const RESULTS_JSON = path.join(root, 'bench/corpus-results.json');
const RESULTS_MD = path.join(root, 'bench/corpus-results.md');
const GENERATE_TIMEOUT_MS = 60_000;
const VERIFY_TIMEOUT_MS = 30 * 60_000;
/** The lab's stand-in for Prisma's engine mirror (../shared/docker-lab/README.md). */
const PRISMA_ENGINES_MIRROR = 'http://127.0.0.1:5599';

/**
 * The corpus. `flags` are the only flags a run may pass: none by default; `--db-image` where the
 * project's database has no image in the lab (MySQL → the lab's MariaDB); `--app` for a monorepo
 * run at its root. Order here is the order of every output.
 */
const CORPUS = [
  { name: 'prisma-rest-express', repo: 'prisma/prisma-examples', commit: '74814fd', folder: 'typescript/rest-express', flags: [] },
  { name: 'prisma-rest-nestjs', repo: 'prisma/prisma-examples', commit: '74814fd', folder: 'typescript/rest-nestjs', flags: [] },
  { name: 'prisma-rest-nextjs-api-routes', repo: 'prisma/prisma-examples', commit: '74814fd', folder: 'typescript/rest-nextjs-api-routes', flags: [] },
  { name: 'prisma-sveltekit', repo: 'prisma/prisma-examples', commit: '74814fd', folder: 'typescript/sveltekit', flags: [] },
  { name: 'nestjs-boilerplate', repo: 'brocoders/nestjs-boilerplate', commit: '9620f15', folder: '.', flags: [] },
  { name: 'express-bookshelf-realworld', repo: 'tanem/express-bookshelf-realworld-example-app', commit: '250fc25', folder: '.', flags: [] },
  { name: 'fastify-realworld', repo: 'NeuraLegion/fastify-realworld-example-app', commit: 'dd993ee', folder: '.', flags: [] },
  { name: 'hono-open-api-starter', repo: 'w3cj/hono-open-api-starter', commit: '803d5ed', folder: '.', flags: [] },
  {
    name: 'mikro-orm-nestjs-realworld',
    repo: 'mikro-orm/nestjs-realworld-example-app',
    commit: '681d8fc',
    folder: '.',
    flags: ['--db-image', 'mariadb:10.11'],
  },
  {
    name: 'typeorm-realworld',
    repo: 'tgiardina/typescript-typeorm-realworld-example-app',
    commit: '5b92a17',
    folder: '.',
    flags: ['--db-image', 'mariadb:10.11'],
  },
  { name: 'create-t3-turbo-nextjs', repo: 't3-oss/create-t3-turbo', commit: 'e69b585', folder: '.', flags: ['--app', 'apps/nextjs'] },
];

function parseArgs(argv) {
  const options = { corpus: undefined, verify: true, only: [] };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--no-verify') options.verify = false;
    else if (arg === '--only')
      options.only.push(
        ...String(argv[++i] ?? '')
          .split(',')
          .filter(Boolean),
      );
    else if (arg.startsWith('--only=')) options.only.push(...arg.slice('--only='.length).split(',').filter(Boolean));
    else if (arg === '-h' || arg === '--help') options.help = true;
    else if (arg.startsWith('-')) throw new Error(`unknown option ${arg}`);
    else if (options.corpus === undefined) options.corpus = arg;
    else throw new Error(`unexpected argument ${arg}`);
  }
  return options;
}

const USAGE = 'usage: node bench/corpus.js <folder of checked-out projects> [--no-verify] [--only <name>[,<name>…]]';

const stripAnsi = (text) => text.replace(/\x1b\[[0-9;]*[A-Za-z]/g, '');
const seconds = (ms) => Math.round(ms / 100) / 10;
const checkoutDir = (corpus, entry) => path.join(corpus, entry.repo.replace('/', '+'), entry.folder);

/**
 * Runs a program in its own process group with stdin closed (no TTY); never rejects. On timeout
 * the whole group gets SIGTERM, then SIGKILL after 10 s, and the result says `timedOut`.
 */
function runProgram(program, args, { timeoutMs, env = {}, cwd = root, onLine } = {}) {
  const started = performance.now();
  return new Promise((resolve) => {
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    let killer;
    const child = spawn(program, args, {
      cwd,
      env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    const signal = (name) => {
      try {
        process.kill(-child.pid, name);
      } catch {
        // already gone
      }
    };
    const timer = setTimeout(() => {
      timedOut = true;
      signal('SIGTERM');
      killer = setTimeout(() => signal('SIGKILL'), 10_000);
    }, timeoutMs);
    let pending = '';
    child.stdout.on('data', (chunk) => {
      const text = chunk.toString();
      stdout += text;
      if (onLine) {
        pending += text;
        const lines = pending.split('\n');
        pending = lines.pop();
        for (const line of lines) onLine(stripAnsi(line));
      }
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk.toString();
    });
    const finish = (code, error) => {
      clearTimeout(timer);
      clearTimeout(killer);
      resolve({
        code,
        timedOut,
        error: error ? String(error.message ?? error) : undefined,
        stdout: stripAnsi(stdout),
        stderr: stripAnsi(stderr),
        seconds: seconds(performance.now() - started),
      });
    };
    child.on('error', (error) => finish(null, error));
    child.on('close', (code, sig) => finish(code ?? (sig ? `signal ${sig}` : null)));
  });
}

/** Every line that says why the CLI stopped (its `create-migrating-stack: …` messages, one per problem). */
function errorLines(result, timeoutMs) {
  if (result.timedOut) return [`timed out after ${seconds(timeoutMs)} s`];
  if (result.error) return [result.error];
  const lines = `${result.stderr}\n${result.stdout}`
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
  let own = lines.filter((line) => /^create-migrating-stack: /.test(line));
  if (own.length === 0) own = lines.filter((line) => /^error: /.test(line));
  if (own.length === 0 && lines.length > 0) own = [lines.at(-1)];
  return own.map((line) => line.replace(/^create-migrating-stack: /, ''));
}

/** The first of them, for one-line summaries. */
const errorLine = (result, timeoutMs = GENERATE_TIMEOUT_MS) => errorLines(result, timeoutMs)[0] ?? '';

/** The flag the error message asks for, e.g. `--port <n>`. */
function suggestedFlag(message) {
  const match = /pass (--[a-z-]+(?: (?:<[^>]+>|"[^"]*"))?)/.exec(message ?? '');
  return match ? match[1] : undefined;
}

/** verify's `ok  …`/`FAIL …` lines; the indented lines under one (its explanation, a service's logs) go with it. */
function parseGuarantees(stdout) {
  const checks = [];
  let last;
  for (const raw of stdout.split('\n')) {
    const line = raw.trimEnd();
    const match = /^(ok|FAIL)\s+(.*?): (.*)$/.exec(line) ?? /^(ok|FAIL)\s+(.*)$/.exec(line);
    if (match) {
      last = { guarantee: match[2], ok: match[1] === 'ok', detail: match[3] ?? '' };
      checks.push(last);
    } else if (last && /^\s+\S/.test(line)) {
      last.explanation ??= [];
      if (last.explanation.length < 60) last.explanation.push(line.trim());
    } else if (line.trim() !== '') {
      last = undefined;
    }
  }
  return checks;
}

/** Removes whatever a killed verify left behind under its compose project name. */
function cleanUpComposeProject(name) {
  if (!name) return;
  spawnSync('docker', ['compose', '-p', name, '--profile', '*', 'down', '--volumes', '--remove-orphans', '--rmi', 'local', '--timeout', '2'], {
    stdio: 'ignore',
    timeout: 120_000,
  });
}

function verifySupports(flag) {
  const help = spawnSync(process.execPath, [CLI, 'verify', '--help'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 30_000 });
  return `${help.stdout}${help.stderr}`.includes(flag);
}

function copyProject(source, name) {
  const scratch = mkdtempSync(path.join(tmpdir(), 'cms-corpus-'));
  const dir = path.join(scratch, name);
  cpSync(source, dir, {
    recursive: true,
    verbatimSymlinks: true,
    filter: (from) => !/(^|[\\/])(node_modules|\.git)([\\/]|$)/.test(path.relative(source, from)),
  });
  return { scratch, dir };
}

function isPrisma(dir) {
  try {
    const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8'));
    return Boolean({ ...pkg.dependencies, ...pkg.devDependencies }.prisma || { ...pkg.dependencies, ...pkg.devDependencies }['@prisma/client']);
  } catch {
    return false;
  }
}

async function runOne(entry, options, capabilities) {
  const result = {
    name: entry.name,
    repo: entry.repo,
    commit: entry.commit,
    folder: entry.folder,
    flags: entry.flags,
    generate: undefined,
    verify: undefined,
  };
  const source = checkoutDir(options.corpus, entry);
  if (!existsSync(source)) {
    result.generate = { ok: false, exitCode: null, error: `not checked out: ${source} is missing`, warnings: [], seconds: 0 };
    return result;
  }
  let scratch;
  try {
    const copy = copyProject(source, entry.name);
    const local = (text) => (text === undefined ? text : text.split(`${copy.dir}/`).join('').split(copy.dir).join('.'));
    scratch = copy.scratch;
    const args = [CLI, copy.dir, '--yes', ...entry.flags];
    const gen = await runProgram(process.execPath, args, { timeoutMs: GENERATE_TIMEOUT_MS, cwd: scratch });
    const combined = `${gen.stdout}\n${gen.stderr}`;
    const warnings = combined
      .split('\n')
      .filter((line) => /^warning /.test(line.trim()))
      .map((line) => local(line.trim().replace(/^warning /, '')));
    const notes = combined
      .split('\n')
      .filter((line) => /^note /.test(line.trim()))
      .map((line) => local(line.trim().replace(/^note /, '')));
    const generated = gen.code === 0 && existsSync(path.join(copy.dir, 'compose.yaml'));
    result.generate = {
      ok: generated,
      command: `create-migrating-stack <scratch>/${entry.name} --yes${entry.flags.length ? ` ${entry.flags.join(' ')}` : ''}`,
      exitCode: gen.code,
      timedOut: gen.timedOut,
      error: generated ? undefined : local(errorLine(gen)),
      errors: generated ? [] : errorLines(gen, GENERATE_TIMEOUT_MS).map(local),
      suggestedFlags: generated ? [] : [...new Set(errorLines(gen, GENERATE_TIMEOUT_MS).map(suggestedFlag).filter(Boolean))],
      summary: generated
        ? combined
            .split('\n')
            .find((line) => /: .* migrations on /.test(line))
            ?.trim()
        : undefined,
      warnings,
      notes,
      seconds: gen.seconds,
    };
    if (!generated || !options.verify) return result;

    const envExample = path.join(copy.dir, '.env.example');
    if (existsSync(envExample)) cpSync(envExample, path.join(copy.dir, '.env'));
    const verifyArgs = [CLI, 'verify', copy.dir];
    const env = {};
    const prisma = isPrisma(copy.dir);
    if (prisma) {
      // What the lab needs to build a Prisma image: the engine mirror stand-in. Passed when
      // verify can take it; the environment variable is set anyway (interpolated by compose if
      // the generated file refers to it).
      env.PRISMA_ENGINES_MIRROR = PRISMA_ENGINES_MIRROR;
      if (capabilities.buildArg) verifyArgs.push('--build-arg', `PRISMA_ENGINES_MIRROR=${PRISMA_ENGINES_MIRROR}`);
      else if (capabilities.override && !existsSync(path.join(copy.dir, 'compose.override.yaml'))) {
        // The mirror is on the host's loopback: the builds need the host network and the argument.
        const build = `{network: host, args: {PRISMA_ENGINES_MIRROR: "${PRISMA_ENGINES_MIRROR}"}}`;
        writeFileSync(path.join(copy.dir, 'compose.override.yaml'), `services:\n  app:\n    build: ${build}\n  migrate:\n    build: ${build}\n`);
      }
    }
    let composeName;
    const ver = await runProgram(process.execPath, verifyArgs, {
      timeoutMs: VERIFY_TIMEOUT_MS,
      cwd: scratch,
      env,
      onLine: (line) => {
        const match = /building and starting (\S+)/.exec(line) ?? /docker compose -p (\S+)/.exec(line);
        if (match) composeName = match[1].replace(/\W+$/, '');
        if (/^(ok|FAIL) /.test(line)) process.stdout.write(`    ${line}\n`);
      },
    });
    if (ver.timedOut) cleanUpComposeProject(composeName);
    const checks = parseGuarantees(ver.stdout).map((check) => ({
      ...check,
      detail: local(check.detail),
      ...(check.explanation ? { explanation: check.explanation.map(local) } : {}),
    }));
    const failed = checks.filter((check) => !check.ok);
    const verdict = ver.stdout
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => /^(verified|verify failed)/.test(line))
      .at(-1);
    result.verify = {
      ok: ver.code === 0 && failed.length === 0 && checks.length > 0,
      exitCode: ver.code,
      timedOut: ver.timedOut,
      held: checks.length - failed.length,
      total: checks.length,
      checks,
      failure:
        failed.length > 0
          ? `${failed[0].guarantee}: ${failed[0].detail}${failed[0].explanation?.find((line) => /^likely fix:/.test(line)) ? ` (${failed[0].explanation.find((line) => /^likely fix:/.test(line))})` : ''}`
          : ver.code !== 0
            ? ver.timedOut
              ? `timed out after ${seconds(VERIFY_TIMEOUT_MS)} s`
              : local(errorLine(ver, VERIFY_TIMEOUT_MS))
            : undefined,
      verdict,
      prismaMirror: prisma
        ? capabilities.buildArg
          ? 'passed with --build-arg'
          : capabilities.override
            ? 'passed in compose.override.yaml'
            : 'verify takes no build settings: not passed'
        : undefined,
      seconds: ver.seconds,
    };
  } catch (error) {
    const message = `runner error: ${error?.stack ?? error}`;
    if (!result.generate) result.generate = { ok: false, exitCode: null, error: message, warnings: [], seconds: 0 };
    else result.verify = { ok: false, exitCode: null, held: 0, total: 0, checks: [], failure: message, seconds: 0 };
  } finally {
    if (scratch) rmSync(scratch, { recursive: true, force: true, maxRetries: 3 });
  }
  return result;
}

const escapeCell = (text) =>
  String(text ?? '')
    .replace(/\|/g, '\\|')
    .replace(/\n/g, ' ');
const clip = (text, max = 160) => (text && text.length > max ? `${text.slice(0, max - 1)}…` : text);

function markdown(report) {
  const lines = [
    '# Corpus results',
    '',
    `Generated by \`node bench/corpus.js\` on ${report.date} (Node ${report.node}, engine ${report.engine}, create-migrating-stack ${report.version} at ${report.commit}${report.verify ? '' : ', `--no-verify`'}).`,
    '',
    '| project | generated? | flags needed | verify (guarantees held / total, or the failure) | time |',
    '|---|---|---|---|---|',
  ];
  const problemsOf = (gen) => (gen?.errors?.length ? gen.errors : gen?.error ? [gen.error] : []);
  for (const result of report.results) {
    const gen = result.generate;
    const problems = problemsOf(gen);
    const generated = gen?.ok
      ? 'yes'
      : `no (exit ${gen?.exitCode ?? '–'}): ${clip(problems[0])}${problems.length > 1 ? ` (+${problems.length - 1} more)` : ''}`;
    const asked = gen && !gen.ok ? (gen.suggestedFlags ?? []) : [];
    const flags = [result.flags.join(' ') || 'none', asked.length ? `(asks for ${asked.map((flag) => `\`${flag}\``).join(', ')})` : '']
      .filter(Boolean)
      .join(' ');
    let verify = '–';
    if (result.verify) {
      verify = result.verify.ok
        ? `${result.verify.held}/${result.verify.total}`
        : `${result.verify.held}/${result.verify.total}; ${clip(result.verify.failure)}`;
    } else if (gen?.ok && !report.verify) verify = 'not run (--no-verify)';
    const time = [gen ? `gen ${gen.seconds} s` : '', result.verify ? `verify ${result.verify.seconds} s` : ''].filter(Boolean).join(', ');
    const where = `${result.repo}${result.folder === '.' ? '' : `/${result.folder}`} @ ${result.commit}`;
    lines.push(
      `| ${escapeCell(`${result.name} (${where})`)} | ${escapeCell(generated)} | ${escapeCell(flags)} | ${escapeCell(verify)} | ${escapeCell(time)} |`,
    );
  }
  const generatedCount = report.results.filter((r) => r.generate?.ok).length;
  const verifiedCount = report.results.filter((r) => r.verify?.ok).length;
  lines.push('', `${generatedCount} of ${report.results.length} generated; ${verifiedCount} verified.`, '', '## Details', '');
  for (const result of report.results) {
    const gen = result.generate;
    lines.push(`### ${result.name}`, '');
    if (gen?.command) lines.push(`\`${gen.command}\` → exit ${gen.exitCode}${gen.timedOut ? ' (timed out)' : ''}`, '');
    for (const problem of problemsOf(gen)) lines.push(`- error: ${problem}`);
    for (const warning of gen?.warnings ?? []) lines.push(`- warning: ${warning}`);
    if (gen?.summary) lines.push(`- ${gen.summary}`);
    if (result.verify) {
      lines.push(`- verify → exit ${result.verify.exitCode}${result.verify.prismaMirror ? ` (Prisma engine mirror: ${result.verify.prismaMirror})` : ''}`);
      for (const check of result.verify.checks) {
        lines.push(`  - ${check.ok ? 'ok' : 'FAIL'} ${check.guarantee}: ${check.detail}`);
        if (check.explanation?.length) lines.push('', '    ```', ...check.explanation.slice(0, 20).map((line) => `    ${line}`), '    ```', '');
      }
      if (result.verify.checks.length === 0 && result.verify.failure) lines.push(`  - ${result.verify.failure}`);
    }
    lines.push('');
  }
  return lines.join('\n');
}

async function main() {
  let options;
  try {
    options = parseArgs(process.argv.slice(2));
  } catch (error) {
    console.error(`${error.message}\n${USAGE}`);
    return 2;
  }
  if (options.help || !options.corpus) {
    (options.help ? console.log : console.error)(USAGE);
    return options.help ? 0 : 2;
  }
  options.corpus = path.resolve(options.corpus);
  const unknown = options.only.filter((name) => !CORPUS.some((entry) => entry.name === name));
  if (unknown.length > 0) {
    console.error(`unknown project ${unknown.join(', ')}: one of ${CORPUS.map((e) => e.name).join(', ')}`);
    return 2;
  }
  if (!existsSync(path.join(root, 'dist/cli/main.js'))) {
    console.error('the CLI is not built: run `npx tsc -p tsconfig.json` first');
    return 2;
  }
  const selected = CORPUS.filter((entry) => options.only.length === 0 || options.only.includes(entry.name));
  const engine = spawnSync('docker', ['version', '--format', '{{.Server.Version}}'], { encoding: 'utf8', timeout: 30_000 });
  // What verify can take for the lab's Prisma engine mirror: a build argument, or compose.override.yaml.
  const capabilities = {
    buildArg: options.verify ? verifySupports('--build-arg') : false,
    override: options.verify ? verifySupports('compose.override.yaml') : false,
  };
  const version = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')).version;
  const described = spawnSync('git', ['describe', '--always', '--dirty'], { cwd: root, encoding: 'utf8' });
  const toolCommit = described.status === 0 ? described.stdout.trim() : 'unknown';

  const results = [];
  for (const entry of selected) {
    process.stdout.write(`${entry.name}: generating…\n`);
    let result;
    try {
      result = await runOne(entry, options, capabilities);
    } catch (error) {
      result = {
        name: entry.name,
        repo: entry.repo,
        commit: entry.commit,
        folder: entry.folder,
        flags: entry.flags,
        generate: { ok: false, exitCode: null, error: `runner error: ${error?.stack ?? error}`, warnings: [], seconds: 0 },
      };
    }
    const gen = result.generate;
    process.stdout.write(`  generate: ${gen.ok ? 'ok' : `exit ${gen.exitCode}: ${gen.error}`} (${gen.seconds} s)\n`);
    if (result.verify)
      process.stdout.write(
        `  verify: ${result.verify.held}/${result.verify.total}${result.verify.ok ? '' : `, ${result.verify.failure}`} (${result.verify.seconds} s)\n`,
      );
    results.push(result);
  }

  // With --only, the other projects keep their previous results (in manifest order).
  let previous = [];
  if (options.only.length > 0 && existsSync(RESULTS_JSON)) {
    try {
      previous = JSON.parse(readFileSync(RESULTS_JSON, 'utf8')).results ?? [];
    } catch {
      previous = [];
    }
  }
  const merged = CORPUS.map((entry) => results.find((r) => r.name === entry.name) ?? previous.find((r) => r.name === entry.name)).filter(Boolean);
  const report = {
    date: new Date().toISOString().slice(0, 10),
    node: process.version,
    engine: engine.status === 0 ? engine.stdout.trim() : 'unavailable',
    version,
    commit: toolCommit,
    verify: options.verify,
    results: merged,
  };
  writeFileSync(RESULTS_JSON, `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(RESULTS_MD, markdown(report));
  process.stdout.write(`\n${markdown(report).split('\n## Details')[0]}\nwrote ${path.relative(root, RESULTS_JSON)} and ${path.relative(root, RESULTS_MD)}\n`);
  return 0;
}

process.exitCode = await main();
