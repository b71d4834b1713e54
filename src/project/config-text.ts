/**
 * Helpers for reading facts out of JavaScript/TypeScript configuration files as text. Detection
 * must never execute project code, so a config file is searched, not imported.
 */
import path from 'node:path';
import type { Project } from './project.js';
import type { Detected } from './detected.js';

/** The string value of `key: '…'` (first occurrence; '' for an empty string), or undefined. */
export function stringProperty(text: string, key: string): string | undefined {
  return new RegExp(`\\b${key}\\s*:\\s*['"\`]([^'"\`]*)['"\`]`).exec(text)?.[1];
}

/** "./db/migrations/" → "db/migrations". */
export function normaliseRelative(dir: string): string {
  const normal = path.posix.normalize(dir.replace(/\\/g, '/')).replace(/\/+$/, '');
  return normal.startsWith('./') ? normal.slice(2) : normal;
}

/** Names of `process.env.X` in the text, in order of appearance, without duplicates. */
export function environmentVariables(text: string): string[] {
  // `process.env\n  .X` (a formatter broke the line), `process.env['X']`, `process.env?.X`.
  const members = [...text.matchAll(/\bprocess\s*\.\s*env\b\s*(?:(?:\?\.|\.)\s*([A-Za-z_]\w*)|(?:\?\.)?\[\s*['"]([A-Za-z_]\w*)['"]\s*\])/g)].map(
    (m) => (m[1] ?? m[2])!,
  );
  // const { A, B: b, C = 'x' } = process.env
  const destructured = [...text.matchAll(/\{([^{}]*)\}\s*=\s*process\s*\.\s*env\b/g)].flatMap((m) =>
    m[1]!
      .split(',')
      .map((part) => /^\s*([A-Za-z_]\w*)/.exec(part)?.[1])
      .filter((name): name is string => name !== undefined),
  );
  return [...new Set([...members, ...destructured])];
}

/** The variable most likely to hold the connection URL: one named *URL/*URI, else DATABASE_*. */
export function urlVariableIn(text: string, source: string): Detected<string> | undefined {
  // A variable given as the host, the user, … is one part of the connection, not its URL.
  const parts = new Set(Object.values(connectionPartsIn(text)));
  const names = environmentVariables(text).filter((name) => !parts.has(name));
  const best = names.find((n) => /(URL|URI|DSN)$/i.test(n)) ?? names.find((n) => /^DATABASE/i.test(n) && !/(HOST|PORT|USER|NAME|PASS|DB)$/i.test(n));
  return best ? { value: best, source } : undefined;
}

export const CONNECTION_PARTS = ['host', 'port', 'user', 'password', 'database'] as const;
export type ConnectionPart = (typeof CONNECTION_PARTS)[number];

/** The names configs give each part: { host: process.env.DB_HOST, username: …, dbName: … }. */
const PART_KEYS: Record<ConnectionPart, string> = {
  host: 'host|hostname',
  port: 'port',
  user: 'user|username',
  password: 'password',
  database: 'database|dbName|db',
};

/**
 * Environment variables a config reads the connection's parts from, when it builds the
 * connection out of them (`host: process.env.DB_HOST`, `port: Number(process.env.DB_PORT)`, …).
 */
export function connectionPartsIn(text: string): Partial<Record<ConnectionPart, string>> {
  const parts: Partial<Record<ConnectionPart, string>> = {};
  for (const part of CONNECTION_PARTS) {
    const pattern = new RegExp(
      `\\b(?:${PART_KEYS[part]})\\s*:\\s*(?:(?:Number|parseInt|String)\\(\\s*)?process\\.env(?:\\.([A-Za-z_]\\w*)|\\[['"]([A-Za-z_]\\w*)['"]\\])`,
    );
    const match = pattern.exec(text);
    if (match) parts[part] = (match[1] ?? match[2])!;
  }
  return parts;
}

/**
 * The text without `//` and `/* … *\/` comments, strings left intact (so that a commented-out
 * line never counts as configuration and "postgres://…" is not mistaken for a comment).
 */
export function withoutComments(text: string): string {
  let out = '';
  let quote: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const char = text[i]!;
    if (quote) {
      out += char;
      if (char === '\\') out += text[++i] ?? '';
      else if (char === quote) quote = undefined;
    } else if (char === '"' || char === "'" || char === '`') {
      quote = char;
      out += char;
    } else if (char === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n') i++;
      out += '\n';
    } else if (char === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      i = end === -1 ? text.length : end + 1;
    } else {
      out += char;
    }
  }
  return out;
}

/**
 * What follows `key:` up to the bracket that closes the one it opens with (`{…}`, `[…]` or
 * `(…)`), brackets inside strings ignored; undefined when the key is absent or isn't followed
 * by one of those brackets.
 */
export function bracketedValue(text: string, key: string, open: '{' | '[' | '(' = '{'): string | undefined {
  const match = new RegExp(`(?:^|[\\s,{(])${key}\\s*:\\s*\\${open}`).exec(text);
  if (!match) return undefined;
  return balanced(text, match.index + match[0].length - 1);
}

/** The arguments of the first call `name(…)`, without the parentheses, or undefined. */
export function callArguments(text: string, name: string): string | undefined {
  const start = new RegExp(`(?<![\\w$.])${name.replace(/\$/g, '\\$')}\\s*\\(`).exec(text);
  return start ? balanced(text, start.index + start[0].length - 1)?.slice(1, -1) : undefined;
}

/** The text from the bracket at `start` to its matching closing bracket, both included. */
export function balanced(text: string, start: number): string | undefined {
  const pairs: Record<string, string> = { '{': '}', '[': ']', '(': ')' };
  const stack: string[] = [];
  let quote: string | undefined;
  for (let i = start; i < text.length; i++) {
    const char = text[i]!;
    if (quote) {
      if (char === '\\') i++;
      else if (char === quote) quote = undefined;
    } else if (char === '"' || char === "'" || char === '`') {
      quote = char;
    } else if (pairs[char]) {
      stack.push(pairs[char]);
    } else if (char === stack.at(-1)) {
      stack.pop();
      if (stack.length === 0) return text.slice(start, i + 1);
    }
  }
  return undefined;
}

/**
 * A file path written after `key:` as a string, or as `path.join(…)`/`path.resolve(…)`/`join(…)`
 * of strings (optionally starting from `__dirname`, `import.meta.dirname` or `process.cwd()`);
 * normalised relative to the directory of `configFile`.
 */
export function pathProperty(text: string, key: string, configFile: string): string | undefined {
  const match = new RegExp(
    `(?:^|[\\s,{(])${key}\\s*:\\s*(?:(?:path\\.)?(?:join|resolve)\\(\\s*(?:(?:__dirname|import\\.meta\\.dirname|process\\.cwd\\(\\))\\s*,\\s*)?)?((?:['"\`][^'"\`]+['"\`]\\s*,?\\s*)+)`,
  ).exec(text);
  if (!match) return undefined;
  const parts = [...match[1]!.matchAll(/['"`]([^'"`]+)['"`]/g)].map((m) => m[1]!);
  return normaliseRelative(path.posix.join(path.posix.dirname(configFile), ...parts));
}

/** The first variable read as `process.env.X`, `process.env['X']` or `env('X')` (Prisma's config helper). */
export function firstEnvironmentVariable(text: string): string | undefined {
  const match = /process\.env(?:\.([A-Za-z_]\w*)|\[['"]([A-Za-z_]\w*)['"]\])|\benv\(\s*['"]([A-Za-z_]\w*)['"]\s*\)/.exec(text);
  return match ? (match[1] ?? match[2] ?? match[3]) : undefined;
}

/** Whether `file` lies in `dir` (both relative to the project root). */
export function isInside(file: string, dir: string): boolean {
  return dir === '.' || file === dir || file.startsWith(`${dir}/`);
}

/**
 * Project files a source file imports by relative path (`./db.js` → src/db.ts when that is
 * what exists), to follow a configuration one step into the module that builds it.
 */
export function localImports(project: Project, file: string, text: string): string[] {
  const specifiers = [...text.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*)['"](\.{1,2}\/[^'"]+)['"]/g)].map((m) => m[1]!);
  const found = specifiers.flatMap((specifier) => {
    const base = normaliseRelative(path.posix.join(path.posix.dirname(file), specifier));
    const stem = base.replace(/\.[cm]?js$/, '');
    const candidates = [base, ...['.ts', '.mts', '.cts', '.js', '.mjs', '.cjs'].map((ext) => `${stem}${ext}`), `${base}/index.ts`, `${base}/index.js`];
    const hit = candidates.find((candidate) => !project.isDirectory(candidate) && project.exists(candidate));
    return hit ? [hit] : [];
  });
  return [...new Set(found)];
}
