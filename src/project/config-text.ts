/**
 * Helpers for reading facts out of JavaScript/TypeScript configuration files as text. Detection
 * must never execute project code, so a config file is searched, not imported.
 */
import path from 'node:path';

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

export const CONNECTION_PARTS = ['host', 'port', 'user', 'password', 'database'] as const;
export type ConnectionPart = (typeof CONNECTION_PARTS)[number];

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

/** Whether `file` lies in `dir` (both relative to the project root). */
export function isInside(file: string, dir: string): boolean {
  return dir === '.' || file === dir || file.startsWith(`${dir}/`);
}
