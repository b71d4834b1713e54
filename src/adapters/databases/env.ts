import type { EnvExampleEntry } from '../types.js';

/** `${NAME:?…}`: compose refuses to start, with this message, when .env doesn't set NAME. */
export function requiredVariable(name: string): string {
  return `\${${name}:?set ${name} in .env (cp .env.example .env)}`;
}

/**
 * The .env.example entry of the password the connection URL is built from. Any character works:
 * the entrypoint percent-encodes it into the URL. Compose's .env syntax is what needs care.
 */
export function urlPasswordEntry(key: string): EnvExampleEntry {
  return {
    key,
    value: 'change-me',
    comment: "any characters (the containers percent-encode it into the URL); in .env, put one with spaces, quotes, $ or # in single quotes, a ' inside as \\'",
  };
}

/** Quotes each part of a possibly schema-qualified name ("drizzle.__drizzle_migrations") with `quote`. */
export function quoteEach(name: string, quote: string): string {
  return name
    .split('.')
    .map((part) => `${quote}${part.replaceAll(quote, quote + quote)}${quote}`)
    .join('.');
}
