/**
 * A migration tool's CLI as the project's own package.json scripts run it: through `npm run x --
 * …` chains, env prefixes (`NODE_ENV=production`, cross-env, env-cmd, dotenv), npx, and
 * TypeScript runners (`ts-node ./node_modules/typeorm/cli.js`). Read, never run: the adapters take
 * the configuration file a script names and, when a script migrates, run its command in the image.
 */
import path from 'node:path';
import { parse as parseShell } from 'shell-quote';
import { UserError } from '../../errors.js';
import { formatCommand } from '../../shared/shell.js';
import type { Project } from '../../project/project.js';
import { compiledJavaScriptPath, isTypeScript } from '../../project/typescript.js';
import { normaliseRelative } from '../../project/config-text.js';

/** One run of a tool's CLI in a package.json script. */
export interface ToolInvocation {
  /** The script that runs it (the outermost one when scripts call each other). */
  script: string;
  /** The CLI as named (the binary's name: "typeorm", "typeorm-ts-node-commonjs", "knex"). */
  cli: string;
  /** Its arguments, those an `npm run x -- …` appends included. */
  args: string[];
  /** Variables the script sets for it. */
  env: Record<string, string>;
  /** The TypeScript runner the script loads the CLI through (ts-node, tsx, …), if any. */
  runner?: string;
  /** Reached through another script (`"heroku-postbuild": "yarn build && yarn db:migrate"`), not written in `script` itself. */
  nested?: true;
  /** The script as written (for messages). */
  text: string;
}

const SCRIPT_RUNNERS = new Set(['npm', 'pnpm', 'yarn', 'bun']);
const EXECUTORS = new Set(['npx', 'bunx', 'pnpx']);
const TYPESCRIPT_RUNNERS = new Set(['ts-node', 'ts-node-esm', 'ts-node-transpile-only', 'tsx', 'esno', 'babel-node', 'vite-node', 'jiti']);
/** Options of the runners above (and of node) that take a value. */
const OPTIONS_WITH_VALUES = new Set([
  '-r',
  '--require',
  '-P',
  '--project',
  '-C',
  '--compiler',
  '--loader',
  '--import',
  '--env-file',
  '-O',
  '--compilerOptions',
  '--tsconfig',
]);
const MAX_DEPTH = 8;

/** Every run of one of `cliNames` in the project's scripts, in package.json order. */
export function toolInvocations(project: Project, cliNames: readonly string[]): ToolInvocation[] {
  const scripts = project.packageJson.scripts ?? {};
  const found: ToolInvocation[] = [];
  for (const name of Object.keys(scripts)) {
    found.push(...invocationsIn(scripts, name, [], {}, name, new Set(cliNames), 0));
  }
  return found;
}

function invocationsIn(
  scripts: Record<string, string>,
  name: string,
  appended: string[],
  inheritedEnv: Record<string, string>,
  outer: string,
  cliNames: ReadonlySet<string>,
  depth: number,
): ToolInvocation[] {
  const text = scripts[name];
  if (text === undefined || depth > MAX_DEPTH) return [];
  const segments: string[][] = [[]];
  // $VARS stay as written: they are the script's, not this process's.
  for (const word of parseShell(text, (key) => `$${key}`)) {
    if (typeof word === 'string') segments.at(-1)!.push(word);
    else if ('op' in word && word.op !== 'glob') segments.push([]);
    else if ('pattern' in word) segments.at(-1)!.push(word.pattern);
  }
  const last = segments.filter((segment) => segment.length > 0).length - 1;
  return segments
    .filter((segment) => segment.length > 0)
    .flatMap((segment, index) => {
      // `npm run x -- --flag` appends to the last command of x.
      const words = index === last ? [...segment, ...appended] : segment;
      return invocationOf(scripts, words, inheritedEnv, outer, cliNames, depth, text);
    });
}

function invocationOf(
  scripts: Record<string, string>,
  segment: string[],
  inheritedEnv: Record<string, string>,
  outer: string,
  cliNames: ReadonlySet<string>,
  depth: number,
  text: string,
): ToolInvocation[] {
  const env = { ...inheritedEnv };
  let words = [...segment];
  let runner: string | undefined;
  const takeAssignments = () => {
    while (words[0] && /^[A-Za-z_][A-Za-z0-9_]*=/.test(words[0])) {
      const [key, ...value] = words.shift()!.split('=');
      env[key!] = value.join('=');
    }
  };
  for (let guard = 0; guard < 16 && words.length > 0; guard++) {
    takeAssignments();
    const program = words[0];
    if (program === undefined) return [];
    const base = path.posix.basename(program);
    if (base === 'cross-env' || base === 'env') {
      words.shift();
      while (words[0]?.startsWith('-')) words.shift();
    } else if (base === 'dotenv' || base === 'env-cmd' || base === 'dotenvx') {
      // dotenv -e .env.x -- cmd, env-cmd -f .env cmd, dotenvx run -- cmd: the stack gives the environment.
      const separator = words.indexOf('--');
      if (separator !== -1) words = words.slice(separator + 1);
      else {
        words.shift();
        if (words[0] === 'run') words.shift();
        while (words[0]?.startsWith('-')) {
          const option = words.shift()!;
          if (!option.includes('=') && /^-(e|f|c|-file|-env|-environments)$/.test(option)) words.shift();
        }
      }
    } else if (EXECUTORS.has(base)) {
      words.shift();
      while (words[0]?.startsWith('-')) words.shift();
    } else if (SCRIPT_RUNNERS.has(base)) {
      const rest = words.slice(1);
      const positional = rest.filter((word) => !word.startsWith('-'));
      const isRun = positional[0] === 'run' || positional[0] === 'run-script';
      const target = isRun ? positional[1] : positional[0];
      if (target !== undefined && scripts[target] !== undefined && (isRun || base !== 'npm')) {
        const after = rest.slice(rest.indexOf(target) + 1);
        const passed = after[0] === '--' ? after.slice(1) : base === 'npm' ? [] : after;
        return invocationsIn(scripts, target, passed, env, outer, cliNames, depth + 1).map((found) => ({ ...found, script: outer }));
      }
      if (positional[0] === 'exec' || (base !== 'npm' && target !== undefined)) {
        words = rest.slice(positional[0] === 'exec' ? rest.indexOf('exec') + 1 : 0);
      } else {
        return [];
      }
    } else if (TYPESCRIPT_RUNNERS.has(base) || base === 'node') {
      if (base !== 'node') runner = base;
      words.shift();
      while (words[0]?.startsWith('-')) {
        const option = words.shift()!;
        const value = option.includes('=') ? option.slice(option.indexOf('=') + 1) : OPTIONS_WITH_VALUES.has(option) ? words.shift() : undefined;
        if (value !== undefined && /ts-node|tsx|@swc-node|esbuild-register|@babel\/register/.test(value)) runner = value.split('/')[0]!;
      }
      // node ./node_modules/typeorm/cli.js, ts-node node_modules/.bin/knex: the package's CLI.
      const script = words[0];
      const cli = script === undefined ? undefined : cliOfPath(script, cliNames);
      if (!cli) return [];
      words[0] = cli;
    } else {
      break;
    }
  }
  const cli = words[0];
  if (cli === undefined || !cliNames.has(path.posix.basename(cli))) return [];
  // typeorm-ts-node-commonjs and alike: the CLI through ts-node.
  if (/-ts-node(-|$)/.test(path.posix.basename(cli))) runner ??= 'ts-node';
  return [
    {
      script: outer,
      cli: path.posix.basename(cli),
      args: words.slice(1),
      env,
      ...(runner ? { runner } : {}),
      ...(depth > 0 ? { nested: true as const } : {}),
      text,
    },
  ];
}

/** `./node_modules/typeorm/cli.js` → typeorm, `node_modules/.bin/knex` → knex, when one of `cliNames`. */
function cliOfPath(file: string, cliNames: ReadonlySet<string>): string | undefined {
  const normal = normaliseRelative(file);
  const bin = /^node_modules\/\.bin\/([^/]+)$/.exec(normal)?.[1];
  if (bin && cliNames.has(bin)) return bin;
  const pkg = /^node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(normal)?.[1];
  if (pkg && cliNames.has(pkg)) return pkg;
  if (pkg && cliNames.has(path.posix.basename(pkg))) return path.posix.basename(pkg);
  return cliNames.has(path.posix.basename(normal)) ? path.posix.basename(normal) : undefined;
}

/** The value of an option (`-d x`, `--dataSource=x`) in arguments, for any of its names. */
export function optionValue(args: readonly string[], names: readonly string[]): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    for (const name of names) {
      if (arg === name) return args[i + 1];
      if (arg.startsWith(`${name}=`)) return arg.slice(name.length + 1);
    }
  }
  return undefined;
}

/** The arguments without an option and its value. */
export function withoutOption(args: readonly string[], names: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (names.includes(arg)) {
      i++;
      continue;
    }
    if (names.some((name) => arg.startsWith(`${name}=`))) continue;
    out.push(arg);
  }
  return out;
}

/** A migrate command taken from a project script, and what to tell the user about it. */
export interface ScriptCommand {
  argv: string[];
  notes: string[];
}

/**
 * The command the image runs for a script's invocation of a tool: the project's own binary
 * (`node_modules/.bin/<binary>`) with the script's arguments, its variables set through `env`
 * (NODE_ENV left to the image, which runs production); a TypeScript file the script hands a
 * TypeScript runner becomes its compiled JavaScript (the image never runs ts-node).
 */
export function scriptCommand(project: Project, invocation: ToolInvocation, binary: string, args: readonly string[]): ScriptCommand {
  const notes: string[] = [];
  const what = `scripts.${invocation.script} ("${invocation.text}")`;
  let argv = [...args];
  if (invocation.runner) {
    const why = `${what} runs ${invocation.cli} through ${invocation.runner}, which the image doesn't run`;
    argv = argv.map((arg) => compiledArgument(project, arg, why));
    notes.push(`${what} runs ${invocation.cli} through ${invocation.runner}: the image runs the compiled equivalent, ${formatCommand([binary, ...argv])}`);
  }
  const env = Object.entries(invocation.env).filter(([key, value]) => {
    if (key !== 'NODE_ENV') return true;
    if (value !== 'production') notes.push(`${what} sets NODE_ENV=${value}: the migrate image runs with NODE_ENV=production instead`);
    return false;
  });
  const prefix = env.length > 0 ? ['env', ...env.map(([key, value]) => `${key}=${value}`)] : [];
  return { argv: [...prefix, `node_modules/.bin/${binary}`, ...argv], notes };
}

/** A TypeScript file among a script's arguments (or an option's value) → its compiled path. */
function compiledArgument(project: Project, arg: string, why: string): string {
  const equals = arg.startsWith('-') ? arg.indexOf('=') : -1;
  if (arg.startsWith('-') && equals === -1) return arg;
  const value = equals === -1 ? arg : arg.slice(equals + 1);
  if (!isTypeScript(value)) return arg;
  const relative = normaliseRelative(value);
  if (!project.exists(relative)) return arg;
  const compiled = compiledJavaScriptPath(project, relative, why);
  return equals === -1 ? compiled : `${arg.slice(0, equals + 1)}${compiled}`;
}

/** The invocation whose arguments apply pending migrations (`isMigrate`), a script named for production first. */
export function migrateInvocation(invocations: readonly ToolInvocation[], isMigrate: (args: readonly string[]) => boolean): ToolInvocation | undefined {
  // The script that runs the tool itself (db:migrate) before one that reaches it through others (heroku-postbuild).
  const migrating = invocations.filter((invocation) => isMigrate(invocation.args)).sort((a, b) => Number(a.nested ?? false) - Number(b.nested ?? false));
  return migrating.find((invocation) => /prod/i.test(invocation.script) || invocation.env.NODE_ENV === 'production') ?? migrating[0];
}

/** A UserError for a script whose configuration file does not exist. */
export function missingScriptFile(project: Project, invocation: ToolInvocation, file: string): UserError {
  return new UserError(
    `${project.abs('package.json')}: scripts.${invocation.script} names ${file}, which does not exist: fix the script or pass --orm-config <path>`,
  );
}
