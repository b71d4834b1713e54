import type { EnvExampleEntry } from '../types.js';

/** `${NAME:?…}`: compose refuses to start, with this message, when .env doesn't set NAME. */
export function requiredVariable(name: string): string {
  return `\${${name}:?set ${name} in .env (cp .env.example .env)}`;
}

/** The .env.example entry of a password that compose.yaml puts into the connection URL as is. */
export function urlPasswordEntry(key: string): EnvExampleEntry {
  return { key, value: 'change-me', comment: 'letters and digits only: it is placed in a URL unescaped' };
}

/** Quotes each part of a possibly schema-qualified name ("drizzle.__drizzle_migrations") with `quote`. */
export function quoteEach(name: string, quote: string): string {
  return name
    .split('.')
    .map((part) => `${quote}${part.replaceAll(quote, quote + quote)}${quote}`)
    .join('.');
}
