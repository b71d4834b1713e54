/**
 * package.json scripts → the command a container runs. Knows shell words and package-manager
 * plumbing only; what a framework's CLI or a migration tool's CLI means comes from the adapters
 * (ScriptReading), so that adding one needs no edit here.
 */
import { parse as parseShell } from 'shell-quote';
import { UserError } from '../errors.js';
import type { Project } from './project.js';

export interface StartCommand {
  /** argv the container runs: `node …` directly, so node gets the signals (no npm, no shell). */
  argv: string[];
  /** Where it came from, e.g. 'package.json#scripts.start'. */
  source: string;
  warnings: string[];
}

/** What the adapters know about commands in scripts. */
export interface ScriptReading {
  /** The server command a framework CLI call stands for (`next start` → node_modules/.bin/next start), if it is one. */
  serverOf(argv: readonly string[]): { argv: string[]; warning?: string } | undefined;
  /** Whether a command run before the server applies migrations (`knex migrate:latest && node …`). */
  isMigration(argv: readonly string[]): boolean;
}

/** Wrappers that only set environment variables or are package-manager plumbing. */
const ENV_WRAPPERS = new Set(['cross-env', 'env', 'dotenv']);
const SCRIPT_RUNNERS = new Set(['npm', 'pnpm', 'yarn', 'bun']);
const DEV_RUNNERS = new Set(['ts-node', 'tsx', 'ts-node-dev', 'nodemon', 'babel-node', 'esno', 'vite-node']);

/**
 * Resolves `npm start` to the `node …` command the container should run. Reads package.json only.
 * Returns undefined when the project shows no start command at all; throws a UserError when it
 * shows one that can't run as a production container command.
 */
export function resolveStartCommand(project: Project, reading: ScriptReading): StartCommand | undefined {
  const scripts = project.packageJson.scripts ?? {};
  if (scripts.start !== undefined) return resolveScript(project, 'start', reading, new Set());
  const main = project.packageJson.main;
  if (main && project.exists(main)) return { argv: ['node', main], source: 'package.json#main', warnings: [] };
  // npm's own default for a missing start script.
  if (project.exists('server.js')) return { argv: ['node', 'server.js'], source: 'server.js (npm start default)', warnings: [] };
  return undefined;
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

  let argv = [...server];
  while (argv[0] && /^[A-Za-z_][A-Za-z0-9_]*=/.test(argv[0])) argv.shift(); // NODE_ENV=production node …
  while (argv[0] && ENV_WRAPPERS.has(argv[0])) {
    argv.shift();
    while (argv[0] && (/^[A-Za-z_][A-Za-z0-9_]*=/.test(argv[0]) || argv[0].startsWith('-'))) argv.shift();
  }
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
  if (DEV_RUNNERS.has(resolvedProgram)) {
    throw new UserError(
      `${file}: scripts.${name} runs ${resolvedProgram}, a development runner: the image runs compiled JavaScript; pass --start "node <built entry file>"`,
    );
  }
  if (resolvedProgram.endsWith('/node')) return { argv: ['node', ...resolvedArgs], source, warnings };
  return { argv, source, warnings };
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
