/**
 * package.json scripts → the command a container runs. Knows shell words and package-manager
 * plumbing only; what a framework's CLI or a migration tool's CLI means comes from the adapters
 * (ScriptReading), so that adding one needs no edit here.
 */
import path from 'node:path';
import { parse as parseShell } from 'shell-quote';
import { UserError } from '../errors.js';
import { normaliseRelative } from './config-text.js';
import { nxServeCommand } from './nx.js';
import type { Project } from './project.js';
import { productionCommand, shebangInterpreter, SHELLS } from './shell-script.js';
import { compiledJavaScriptPath, isTypeScript, typescriptOutDir } from './typescript.js';

export interface StartCommand {
  /** argv the container runs: `node …` directly, so node gets the signals (no npm, no shell). */
  argv: string[];
  /** Where it came from, e.g. 'package.json#scripts.start'. */
  source: string;
  warnings: string[];
  /** The compiled form of a source file a development runner ran (ts-node src/index.ts → node dist/index.js). */
  compiled?: true;
}

/** What the adapters know about commands in scripts. */
export interface ScriptReading {
  /** The server command a framework CLI call stands for (`next start` → node_modules/.bin/next start), if it is one. */
  serverOf(argv: readonly string[]): { argv: string[]; warning?: string } | undefined;
  /** Whether a command run before the server applies migrations (`knex migrate:latest && node …`). */
  isMigration(argv: readonly string[]): boolean;
  /** Whether the project's Node runs TypeScript files itself (type stripping: Node 22.18+, 23.6+), so `node index.ts` runs as it is. */
  nodeRunsTypescript?: boolean;
}

/** Wrappers that only set environment variables or are package-manager plumbing. */
const ENV_WRAPPERS = new Set(['cross-env', 'env', 'dotenv']);
const SCRIPT_RUNNERS = new Set(['npm', 'pnpm', 'yarn', 'bun']);
const DEV_RUNNERS = new Set(['ts-node', 'tsx', 'ts-node-dev', 'tsnd', 'nodemon', 'babel-node', 'esno', 'vite-node']);
/** Scripts that show the entry file when there is no start script: `"dev": "ts-node src/index.ts"`. */
const DEV_SCRIPTS = ['dev', 'start:dev'];
/** Options of node and the development runners that take a value (`-r tsconfig-paths/register`, `-P tsconfig.json`). */
const VALUE_OPTIONS = new Set([
  ...['-r', '--require', '--import', '--loader', '--experimental-loader', '--conditions', '-C', '--env-file', '--inspect-port', '--title'],
  ...['-P', '--project', '-O', '--compiler-options', '--compiler', '-I', '--ignore', '--cwd', '--dir', '--scope-dir', '--tsconfig'],
  ...['--ignore-watch', '--interval', '--debounce', '--include', '--exclude', '--watch-path'],
]);
/** Preloads that only exist to run TypeScript from source: the compiled entry needs none of them. */
const SOURCE_LOADERS = /^(ts-node|tsx|@swc-node|@swc\/register|esbuild-register|@esbuild-kit|@babel\/register|tsconfig-paths)(\/|$)/;
/** A node option or preload that runs TypeScript through another tool (`-r ts-node/register`, `--import tsx`, `--loader ts-node/esm`). */
function loadsTypescript(arg: string): boolean {
  return SOURCE_LOADERS.test(arg.replace(/^--?[\w-]+=/, ''));
}

/** Extensions of files node runs as they are. */
const JAVASCRIPT = ['.js', '.mjs', '.cjs'];

/**
 * Resolves `npm start` to the `node …` command the container should run. Reads package.json only.
 * Returns undefined when the project shows no start command at all; throws a UserError when it
 * shows one that can't run as a production container command.
 */
export function resolveStartCommand(project: Project, reading: ScriptReading): StartCommand | undefined {
  const scripts = project.packageJson.scripts ?? {};
  if (scripts.start !== undefined) return resolveScript(project, 'start', reading, new Set());
  const main = project.packageJson.main;
  const fromMain = main ? mainCommand(project, main) : undefined;
  if (fromMain) return fromMain;
  // npm's own default for a missing start script.
  if (project.exists('server.js')) return { argv: ['node', 'server.js'], source: 'server.js (npm start default)', warnings: [] };
  // Only a development script shows the entry: `"dev": "ts-node src/index.ts"`, run compiled.
  const dev = DEV_SCRIPTS.find((name) => scripts[name] !== undefined && runsDevelopmentRunner(scripts[name]));
  return dev === undefined ? undefined : resolveScript(project, dev, reading, new Set());
}

/**
 * package.json#main as the server: a TypeScript source runs compiled; a file in the TypeScript
 * output folder is one the image's build creates.
 */
function mainCommand(project: Project, main: string): StartCommand | undefined {
  const file = normaliseRelative(main);
  const source = 'package.json#main';
  if (isTypeScript(file)) {
    const compiled = compiledJavaScriptPath(project, file, `package.json#main is ${file} and the container runs its compiled JavaScript`);
    return {
      argv: ['node', compiled],
      source,
      warnings: [`package.json#main is the TypeScript source ${file}: the container runs its compiled ${compiled}`],
      compiled: true,
    };
  }
  if (project.exists(file)) return { argv: ['node', main], source, warnings: [] };
  const outDir = typescriptOutDir(project);
  return outDir !== undefined && file.startsWith(`${outDir}/`) ? { argv: ['node', main], source, warnings: [] } : undefined;
}

/** Whether a script's server command is a development runner (`tsx watch src/server.ts`, `nodemon`). */
function runsDevelopmentRunner(script: string): boolean {
  const words = parseShell(script);
  const last = words.findLastIndex((word) => typeof word !== 'string');
  const argv = withoutEnvironment(words.slice(last + 1).filter((word): word is string => typeof word === 'string'));
  return argv[0] !== undefined && (DEV_RUNNERS.has(argv[0]) || (argv[0] === 'node' && argv.slice(1).some(isTypeScript)));
}

/** `NODE_ENV=production cross-env PORT=1 node …` → `node …`. */
function withoutEnvironment(words: string[]): string[] {
  const argv = [...words];
  while (argv[0] && /^[A-Za-z_][A-Za-z0-9_]*=/.test(argv[0])) argv.shift();
  while (argv[0] && ENV_WRAPPERS.has(argv[0])) {
    argv.shift();
    while (argv[0] && (/^[A-Za-z_][A-Za-z0-9_]*=/.test(argv[0]) || argv[0].startsWith('-'))) argv.shift();
  }
  return argv;
}

/**
 * Resolves one named package.json script (e.g. NestJS's `start:prod`) to the command the container
 * runs, like resolveStartCommand does for `start`.
 */
export function resolveNamedScript(project: Project, name: string, reading: ScriptReading): StartCommand {
  return resolveScript(project, name, reading, new Set());
}

function resolveScript(project: Project, name: string, reading: ScriptReading, seen: Set<string>): StartCommand {
  const file = project.abs('package.json');
  const source = `package.json#scripts.${name}`;
  const script = project.packageJson.scripts?.[name];
  if (script === undefined) throw new UserError(`${file}: script "${name}" (run by another script) does not exist: fix the scripts or pass --start`);
  if (seen.has(name)) throw new UserError(`${file}: scripts call each other in a loop (${[...seen, name].join(' → ')}): fix the scripts or pass --start`);
  seen.add(name);

  const warnings: string[] = [];
  const segments = splitOnAnd(parseShell(script), file, name);
  // "migrate && node dist/server.js": the stack migrates in its own step; the container runs the server.
  const server = segments.at(-1)!;
  for (const before of segments.slice(0, -1)) {
    const text = before.join(' ');
    if (!reading.isMigration(before)) {
      throw new UserError(
        `${file}: scripts.${name} runs "${text}" before the server: the container can run one command only; pass --start "<command that starts the server>"`,
      );
    }
    warnings.push(`scripts.${name} also migrates ("${text}"): the generated stack runs migrations in its own step, so the container runs only the server`);
  }

  let argv = withoutEnvironment(server); // NODE_ENV=production node …
  const [program, ...rest] = argv;
  if (program === undefined) throw new UserError(`${file}: scripts.${name} is empty: add a start command or pass --start`);

  if (SCRIPT_RUNNERS.has(program)) {
    const target = scriptNameOf(program, rest);
    if (target !== undefined && (program === 'npm' || project.packageJson.scripts?.[target] !== undefined)) {
      const inner = resolveScript(project, target, reading, seen);
      return { ...inner, warnings: [...warnings, ...inner.warnings] };
    }
    // `yarn node dist/server.js`, `pnpm exec node …`: the runner only locates a binary.
    const command = rest.filter((arg, index) => !(index === 0 && arg === 'exec'));
    if (command.length > 0 && program !== 'npm') argv = command;
  }
  const [resolvedProgram, ...resolvedArgs] = argv;
  if (resolvedProgram === undefined) throw new UserError(`${file}: scripts.${name} is empty: add a start command or pass --start`);
  const framework = reading.serverOf(argv);
  if (framework) return { argv: framework.argv, source, warnings: [...warnings, ...(framework.warning ? [`scripts.${name} ${framework.warning}`] : [])] };
  if (resolvedProgram === 'nx') {
    const nx = nxServeCommand(project, resolvedArgs, `scripts.${name}`);
    if (nx) {
      if (project.packageJson.scripts?.build === undefined) {
        throw new UserError(
          `${file}: scripts.${name} runs nx ${resolvedArgs.join(' ')}, whose build the image must run: add "build": "nx build" to the scripts`,
        );
      }
      return { argv: nx.argv, source, warnings: [...warnings, `scripts.${name} ${nx.warning}`], compiled: true };
    }
  }
  // `node index.ts` with nothing that loads TypeScript: the project relies on Node's own type stripping.
  if (resolvedProgram === 'node' && reading.nodeRunsTypescript && resolvedArgs.some(isTypeScript) && !resolvedArgs.some(loadsTypescript)) {
    return { argv: ['node', ...resolvedArgs], source, warnings };
  }
  if (DEV_RUNNERS.has(resolvedProgram) || (resolvedProgram === 'node' && resolvedArgs.some(isTypeScript))) {
    const runner = `scripts.${name} runs "${argv.join(' ')}"`;
    const compiled = compiledCommand(project, argv, runner);
    return {
      argv: compiled,
      source,
      warnings: [
        ...warnings,
        `${runner}, a development runner: the container runs the compiled JavaScript with node instead (${compiled.join(' ')}); say so in package.json with "start": "${compiled.join(' ')}"`,
      ],
      compiled: true,
    };
  }
  // `./bin/www` with `#!/usr/bin/env node`: node directly, whatever the file's mode.
  if (/[/]/.test(resolvedProgram) && shebangInterpreter(project.readText(normaliseRelative(resolvedProgram)) ?? '') === 'node') {
    return { argv: ['node', normaliseRelative(resolvedProgram), ...resolvedArgs], source, warnings };
  }
  const shellScript = shellScriptOf(project, argv);
  if (shellScript) return followShellScript(project, name, shellScript, reading, seen, warnings);
  if (resolvedProgram.endsWith('/node')) return { argv: ['node', ...resolvedArgs], source, warnings };
  // The runtime image installs production dependencies only: a devDependency's binary isn't there.
  if (Object.hasOwn(project.packageJson.devDependencies ?? {}, resolvedProgram) && !project.isProductionDependency(resolvedProgram)) {
    throw new UserError(
      `${file}: scripts.${name} runs ${resolvedProgram}, a devDependency, which the runtime image doesn't install: pass --start "node <the server's entry file>", or move ${resolvedProgram} to dependencies`,
    );
  }
  return { argv, source, warnings };
}

/**
 * What a development runner's command becomes in the image: node on the compiled entry
 * (`ts-node -r tsconfig-paths/register src/main.ts` → `node dist/main.js`), keeping node's own
 * options and the app's arguments. `runner` says which script ran it, for messages.
 */
function compiledCommand(project: Project, argv: readonly string[], runner: string, depth = 0): string[] {
  const file = project.abs('package.json');
  const [program, ...args] = argv;
  const cannot = (why: string) => new UserError(`${file}: ${runner}, ${why}: pass --start "node <built entry file>"`);
  if (program === 'nodemon') return compiledCommand(project, nodemonCommand(project, args, cannot), runner, depth + 1);
  if (program === undefined || depth > 2 || !(program === 'node' || DEV_RUNNERS.has(program))) {
    throw cannot(`and what it runs (${program ?? 'nothing'}) can't be told`);
  }
  const nodeOptions: string[] = [];
  let entry: string | undefined;
  let index = 0;
  for (; index < args.length; index++) {
    const arg = args[index]!;
    if (arg === '--') continue;
    if (arg.startsWith('-')) {
      const [option, inline] = arg.split(/=(.*)/s) as [string, string | undefined];
      const value = inline ?? (VALUE_OPTIONS.has(option) && !(option === '--watch') ? args[++index] : undefined);
      // Preloads of a module (dotenv/config) stay; those that run TypeScript from source go.
      if ((option === '-r' || option === '--require' || option === '--import') && value !== undefined && !SOURCE_LOADERS.test(value)) {
        nodeOptions.push(option, value);
      } else if (program === 'node' && !['--watch', '--loader', '--experimental-loader', '-r', '--require', '--import'].includes(option)) {
        nodeOptions.push(...(inline === undefined && value !== undefined ? [option, value] : [arg]));
      }
      continue;
    }
    entry = sourceFile(project, arg);
    if (entry !== undefined) break;
  }
  if (entry === undefined) throw cannot('and no file it runs was found');
  const rest = args.slice(index + 1);
  if (!isTypeScript(entry)) {
    if (program === 'babel-node') throw cannot(`and Babel's compiled output of ${entry} can't be told`);
    return ['node', ...nodeOptions, entry, ...rest];
  }
  const compiled = compiledJavaScriptPath(project, entry, `${runner}, and the container runs its compiled JavaScript`);
  return ['node', ...nodeOptions, compiled, ...rest];
}

/** A runner's argument as a source file: itself, or with the extension the runner adds (src/index → src/index.ts). */
function sourceFile(project: Project, word: string): string | undefined {
  const file = normaliseRelative(word);
  if (isTypeScript(file) || JAVASCRIPT.includes(path.posix.extname(file))) return file;
  return [...['.ts', '.mts', '.tsx', '.js'].map((extension) => `${file}${extension}`), `${file}/index.ts`, `${file}/index.js`].find((candidate) =>
    project.exists(candidate),
  );
}

/**
 * What nodemon runs, as a command: its --exec (or the `exec` of nodemon.json, --config's file or
 * package.json#nodemonConfig) with the script appended; without one, the script (or main) run by
 * node, or by ts-node for TypeScript, as nodemon does.
 */
function nodemonCommand(project: Project, args: readonly string[], cannot: (why: string) => UserError): string[] {
  const withValue = new Set(['-w', '--watch', '-e', '--ext', '-i', '--ignore', '-x', '--exec', '--config', '-d', '--delay', '-s', '--signal', '--cwd']);
  let exec: string | undefined;
  let config: string | undefined;
  const positional: string[] = [];
  for (let index = 0; index < args.length; index++) {
    const arg = args[index]!;
    if (arg === '--') {
      positional.push(...args.slice(index + 1));
      break;
    }
    if (positional.length === 0 && arg.startsWith('-')) {
      const [option, inline] = arg.split(/=(.*)/s) as [string, string | undefined];
      const value = inline ?? (withValue.has(option) ? args[++index] : undefined);
      if (option === '-x' || option === '--exec') exec = value;
      if (option === '--config') config = value;
      continue;
    }
    positional.push(arg);
  }
  const settings = nodemonSettings(project, config, cannot);
  exec ??= settings.exec;
  const [script, ...scriptArgs] = positional.length > 0 ? positional : project.packageJson.main ? [project.packageJson.main] : [];
  if (exec !== undefined) {
    const words = parseShell(exec);
    if (words.some((word) => typeof word !== 'string')) throw cannot(`and nodemon's exec ("${exec}") is more than one command`);
    return [...(words as string[]), ...(script === undefined ? [] : [script, ...scriptArgs])];
  }
  if (script === undefined) throw cannot(`and nodemon has no script to run (no argument, no exec in ${settings.source}, no package.json#main)`);
  return [isTypeScript(normaliseRelative(script)) ? 'ts-node' : 'node', script, ...scriptArgs];
}

function nodemonSettings(project: Project, config: string | undefined, cannot: (why: string) => UserError): { exec?: string; source: string } {
  const file = config === undefined ? (project.exists('nodemon.json') ? 'nodemon.json' : undefined) : normaliseRelative(config);
  if (file !== undefined) {
    if (!project.exists(file)) throw cannot(`and nodemon's --config ${file} does not exist`);
    const settings = project.readJson<{ exec?: unknown }>(file);
    return { ...(typeof settings?.exec === 'string' ? { exec: settings.exec } : {}), source: file };
  }
  const embedded = (project.packageJson as { nodemonConfig?: { exec?: unknown } }).nodemonConfig;
  return { ...(typeof embedded?.exec === 'string' ? { exec: embedded.exec } : {}), source: 'nodemon.json' };
}

/** The shell script a command runs (`bin/start.sh`, `./start.sh`, `sh scripts/start.sh`), if it runs one. */
function shellScriptOf(project: Project, argv: readonly string[]): { file: string; interpreter: string; text: string; args: string[] } | undefined {
  const [program, ...args] = argv;
  if (program === undefined) return undefined;
  if (SHELLS.has(program)) {
    const index = args.findIndex((arg) => !arg.startsWith('-'));
    const script = index >= 0 ? normaliseRelative(args[index]!) : undefined;
    const text = script === undefined ? undefined : project.readText(script);
    return script !== undefined && text !== undefined ? { file: script, interpreter: program, text, args: args.slice(index + 1) } : undefined;
  }
  if (!program.includes('/') && !program.endsWith('.sh')) return undefined;
  const file = normaliseRelative(program);
  const text = project.readText(file);
  if (text === undefined) return undefined;
  const interpreter = shebangInterpreter(text);
  if (interpreter !== undefined && !SHELLS.has(interpreter)) return undefined;
  return { file, interpreter: interpreter ?? 'sh', text, args };
}

/**
 * A start script's production command (NODE_ENV=production), run directly so that node gets the
 * signals; a script that sets things up and then execs its command is run itself.
 */
function followShellScript(
  project: Project,
  name: string,
  script: { file: string; interpreter: string; text: string; args: string[] },
  reading: ScriptReading,
  seen: Set<string>,
  warnings: string[],
): StartCommand {
  const file = project.abs('package.json');
  const source = `package.json#scripts.${name}`;
  const found = productionCommand(script.text, (argv) => reading.isMigration(argv));
  if (found.kind === 'unknown') {
    throw new UserError(
      `${file}: scripts.${name} runs the shell script ${script.file}, whose production command can't be told (${found.reason}): pass --start "node <entry file>"`,
    );
  }
  if (found.kind === 'script') {
    return {
      argv: [script.interpreter, script.file, ...script.args],
      source,
      warnings: [
        ...warnings,
        `scripts.${name} runs ${script.file}, which ends in exec ${found.argv.join(' ')} (line ${found.line}): the container runs the script, which hands over to that command`,
      ],
    };
  }
  const dropped = found.migrations.map(
    (step) => `${script.file} also migrates ("${step}"): the generated stack runs migrations in its own step, so the container runs only the server`,
  );
  const [program, ...args] = found.argv;
  const inner = `${name} → ${script.file}`;
  const followed = `scripts.${name} runs the shell script ${script.file}: the container runs its production command (line ${found.line}) directly, so that node gets the signals`;
  if (program !== undefined && SCRIPT_RUNNERS.has(program)) {
    const target = scriptNameOf(program, args);
    if (target !== undefined && project.packageJson.scripts?.[target] !== undefined) {
      const resolved = resolveScript(project, target, reading, seen);
      return { ...resolved, warnings: [...warnings, ...dropped, `${followed}: ${resolved.argv.join(' ')}`, ...resolved.warnings] };
    }
  }
  if (program !== undefined && (DEV_RUNNERS.has(program) || (program === 'node' && args.some(isTypeScript)))) {
    const compiled = compiledCommand(project, found.argv, `${script.file} (run by scripts.${name}) runs "${found.argv.join(' ')}"`);
    return { argv: compiled, source, warnings: [...warnings, ...dropped, `${followed}, compiled: ${compiled.join(' ')}`], compiled: true };
  }
  if (program !== 'node') {
    throw new UserError(`${file}: scripts.${inner} runs "${found.argv.join(' ')}" in production, which is not a node server: pass --start "node <entry file>"`);
  }
  return { argv: found.argv, source, warnings: [...warnings, ...dropped, `${followed}: ${found.argv.join(' ')}`] };
}

function splitOnAnd(words: ReturnType<typeof parseShell>, file: string, name: string): string[][] {
  const segments: string[][] = [[]];
  for (const word of words) {
    if (typeof word === 'string') {
      segments.at(-1)!.push(word);
    } else if ('op' in word && word.op === '&&') {
      segments.push([]);
    } else {
      throw new UserError(
        `${file}: scripts.${name} uses shell syntax (${'op' in word ? word.op : 'a glob or comment'}) that can't be a container command: pass --start "<command>"`,
      );
    }
  }
  return segments.filter((segment) => segment.length > 0);
}

/** `npm run serve`, `npm start`, `yarn serve`, `pnpm run serve` → the script name. */
function scriptNameOf(runner: string, args: string[]): string | undefined {
  const positional = args.filter((arg) => !arg.startsWith('-'));
  if (positional[0] === 'run' || positional[0] === 'run-script') return positional[1];
  if (positional[0] === 'start') return 'start';
  if (runner !== 'npm' && positional[0] !== undefined) return positional[0];
  return undefined;
}
