/**
 * Why a stack didn't come up, in terms a user can act on: the failing build step or service, its
 * last meaningful output lines, and the likely fix. Compose's own progress lines say none of it.
 */

export interface Explanation {
  /** The build step ("[deps 2/2] RUN npm ci") or the service ("service migrate exited 1"). */
  where: string;
  /** Its last meaningful output lines. */
  lines: string[];
  /** The likely fix, when the output matches a known cause. */
  hint?: string;
}

/** Known causes: a pattern in the failing output, and what to do about it. */
const HINTS: { pattern: RegExp; hint: (match: RegExpMatchArray) => string }[] = [
  {
    pattern: /healthcheck: exit 1: HTTP 404/,
    hint: () => "the health route doesn't exist in the app: pass --health-path with a route it serves (or none, to accept any answer below 500 on /)",
  },
  {
    pattern: /healthcheck: exit 1: HTTP 5\d\d/,
    hint: () => 'the health route answers a server error: the app log above says why (often the database connection)',
  },
  {
    pattern: /healthcheck: exit 1: ECONNREFUSED/,
    hint: () =>
      'nothing answers on the app port inside the container: the app listens on another port (pass --port), or only on 127.0.0.1/localhost (make it listen on 0.0.0.0, or on HOST)',
  },
  {
    pattern: /`npm ci` can only install packages when your package\.json and package-lock\.json|Missing: \S+ from lock file/,
    hint: () =>
      'package-lock.json doesn\'t satisfy the image\'s npm (npm 11 also wants every platform\'s optional packages listed, which older npm leaves out): run npm install with the npm the image uses and commit package-lock.json, or pin your npm with "packageManager": "npm@<npm --version>" in package.json',
  },
  {
    pattern: /ERR_PNPM_OUTDATED_LOCKFILE|ERR_PNPM_LOCKFILE_CONFIG_MISMATCH|Cannot install with "frozen-lockfile"/,
    hint: () => 'pnpm-lock.yaml is out of date with package.json: run pnpm install and commit pnpm-lock.yaml',
  },
  {
    pattern: /YN0028|lockfile would have been modified|Your lockfile needs to be updated, but yarn was run with `--frozen-lockfile`/,
    hint: () => 'yarn.lock is out of date with package.json: run yarn install and commit yarn.lock',
  },
  { pattern: /lockfile had changes, but lockfile is frozen/, hint: () => 'bun.lock is out of date with package.json: run bun install and commit bun.lock' },
  {
    pattern: /error TS\d+:/,
    hint: () => "the project's build script failed to compile TypeScript in the image: run the build locally (with a clean install) and fix the errors",
  },
  {
    // An absolute path in the image: a file the command expects where the build didn't put it.
    pattern: /Cannot find module '(\/app\/[^']+)'|Unable to open file: "(\/app\/[^"]+)"/,
    hint: (match) =>
      `${match[1] ?? match[2]} is not where the build wrote it: the command points at a compiled path the project's build doesn't produce (check the tsconfig the build uses, its rootDir and outDir, and the start or migration command)`,
  },
  {
    pattern: /Cannot find (?:module|package) '([^']+)'/,
    hint: (match) =>
      `${match[1]} is not installed where it is needed: if the running app or the migration imports it, move it from devDependencies to dependencies (the runtime image installs production dependencies only)`,
  },
  {
    pattern: /gyp ERR!|node-gyp/,
    hint: () => 'a native module failed to compile: check its name in the output, and that it supports this Node.js version (--node)',
  },
  {
    pattern: /(?:ENOTFOUND|EAI_AGAIN|ETIMEDOUT|ECONNRESET)[^\n]*(?:registry|npmjs|yarnpkg)/,
    hint: () => 'the build could not reach the package registry: check the network, a proxy, or a private registry token (.npmrc)',
  },
  {
    pattern: /binaries\.prisma\.sh|Failed to fetch the engine|prisma engine placeholder/,
    hint: () =>
      "Prisma could not download or run its engines: give the build a reachable mirror with the build argument PRISMA_ENGINES_MIRROR (compose.override.yaml: build: args:), or check the image's openssl",
  },
  {
    pattern: /password authentication failed|Access denied for user/,
    hint: () =>
      'the database rejects the credentials in .env: they are set when the volume is first created, so after changing them remove the old volume (docker compose down --volumes) or change the password inside the database',
  },
  {
    pattern: /ECONNREFUSED|getaddrinfo ENOTFOUND (?:db|database|localhost)/,
    hint: () => 'the app or the migration connects somewhere the database is not: check that it reads the URL the stack sets, not a localhost default',
  },
  {
    pattern: /(?:Invalid|Missing) environment variables?|ZodError|Required[^\n]*environment|is required\b/i,
    hint: () => 'the app validates its environment and something is missing: set it in .env (see .env.example)',
  },
  {
    pattern: /EADDRINUSE/,
    hint: () => 'the port is already taken inside the container: another server in the same process listens on it',
  },
  {
    pattern: /exec: "?([^":\s]+)"?: (?:executable file )?not found|exec ([^:]+): no such file or directory/,
    hint: (match) => `${match[1] ?? match[2]} does not exist in the image: fix the start command (--start) or the build that should produce it`,
  },
  {
    pattern: /already exists/,
    hint: () =>
      "a migration creates something the database already has: the database isn't in the state the migrations expect (a schema made by hand, or by sync)",
  },
];

/** Lines of tool output that carry no information (npm's usage text, blank ones). */
const NOISE = /^(?:npm (?:error|ERR!)\s*$|npm (?:error|ERR!) (?:Usage|Options|aliases|Run "npm help|\[|Clean install|npm ci$|A complete log)|\s*$)/;

function hintFor(text: string): string | undefined {
  for (const { pattern, hint } of HINTS) {
    const match = text.match(pattern);
    if (match) return hint(match);
  }
  return undefined;
}

/** The meaningful end of some output: noise dropped, the last `count` lines kept. */
export function lastMeaningful(text: string, count = 8): string[] {
  return (
    text
      .split('\n')
      .map((line) => line.replace(/\x1b\[[0-9;]*[A-Za-z]/g, '').trimEnd())
      .filter((line) => !NOISE.test(line))
      // Stack frames say where, not what: the error's own message is what a user can act on.
      .filter((line) => !STACK_FRAME.test(line))
      .slice(-count)
  );
}

/** `    at Injector.instantiateClass (/app/node_modules/…:427:55)`, `    at async Promise.all (index 5)` */
const STACK_FRAME = /^\s+at (?:async )?\S.*(?:\(.*\)|:\d+:\d+|\(index \d+\))\s*$/;

/**
 * The failed step of a BuildKit build, from its plain progress output (`#8 ERROR: …` and the
 * `#8 1.23 …` lines of that step): undefined when the output shows no failed step.
 */
export function explainBuild(output: string): Explanation | undefined {
  const failed = /^#(\d+) ERROR: (.*)$/m.exec(output);
  if (!failed) {
    const solve = /failed to solve: (.*)$/m.exec(output);
    return solve ? { where: 'the image build', lines: [solve[1]!], ...withHint(output) } : undefined;
  }
  const step = failed[1]!;
  const name = new RegExp(`^#${step} (\\[[^\\n]*)$`, 'm').exec(output)?.[1] ?? `step #${step}`;
  const stepOutput = [...output.matchAll(new RegExp(`^#${step} \\d+\\.\\d+ (.*)$`, 'gm'))].map((match) => match[1]!).join('\n');
  return { where: `the image build failed at ${name}`, lines: lastMeaningful(stepOutput || failed[2]!), ...withHint(stepOutput || output) };
}

/** A service that exited or turned unhealthy: its last log lines (and failing health checks). */
export function explainService(where: string, logs: string, healthOutput: string[] = []): Explanation {
  const health = healthOutput.filter(Boolean).map((line) => `healthcheck: ${line.trim()}`);
  return { where, lines: [...lastMeaningful(logs), ...health.slice(-2)], ...withHint([...health, logs].join('\n')) };
}

function withHint(text: string): { hint?: string } {
  const hint = hintFor(text);
  return hint ? { hint } : {};
}

/** The explanation as indented lines under a failed check. */
export function formatExplanation(explanation: Explanation): string[] {
  return [explanation.where, ...explanation.lines.map((line) => `  | ${line}`), ...(explanation.hint ? [`likely fix: ${explanation.hint}`] : [])];
}
