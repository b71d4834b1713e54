/**
 * Helpers for reading facts out of JavaScript/TypeScript configuration files as text. Detection
 * must never execute project code, so a config file is searched, not imported.
 */
import path from 'node:path';
import type { Detected, DatabaseId } from '../types.js';

/** The string value of `key: '…'` (first occurrence), or undefined. */
export function stringProperty(text: string, key: string): string | undefined {
  const match = new RegExp(`\\b${key}\\s*:\\s*['"\`]([^'"\`]+)['"\`]`).exec(text);
  return match?.[1];
}

/**
 * A directory written as `'./migrations'`, `path.join(__dirname, 'db', 'migrations')` or
 * `path.resolve(__dirname, "db/migrations")` after `key:`; normalised relative to the config file.
 */
export function directoryProperty(text: string, key: string, configFile: string): string | undefined {
  const match = new RegExp(`\\b${key}\\s*:\\s*(?:path\\.(?:join|resolve)\\(\\s*(?:__dirname|import\\.meta\\.dirname)\\s*,\\s*)?((?:['"\`][^'"\`]+['"\`]\\s*,?\\s*)+)`).exec(text);
  if (!match) return undefined;
  const parts = [...match[1]!.matchAll(/['"`]([^'"`]+)['"`]/g)].map((m) => m[1]!);
  return normaliseRelative(path.posix.join(path.posix.dirname(configFile), ...parts));
}

/** "./db/migrations/" → "db/migrations". */
export function normaliseRelative(dir: string): string {
  const normal = path.posix.normalize(dir.replace(/\\/g, '/')).replace(/\/+$/, '');
  return normal.startsWith('./') ? normal.slice(2) : normal;
}

/** Names of `process.env.X` in the text, in order of appearance, without duplicates. */
export function environmentVariables(text: string): string[] {
  const names = [...text.matchAll(/process\.env(?:\.([A-Za-z_]\w*)|\[['"]([A-Za-z_]\w*)['"]\])/g)].map((m) => (m[1] ?? m[2])!);
  return [...new Set(names)];
}

/** The variable most likely to hold the connection URL: one named *URL/*URI, else DATABASE_*. */
export function urlVariableIn(text: string, source: string): Detected<string> | undefined {
  const names = environmentVariables(text);
  const best = names.find((n) => /(URL|URI|DSN)$/i.test(n)) ?? names.find((n) => /^DATABASE/i.test(n));
  return best ? { value: best, source } : undefined;
}

/** Maps a driver or client name used in ORM configs to a database. */
export function databaseForClient(client: string | undefined): DatabaseId | undefined {
  switch (client?.toLowerCase()) {
    case 'pg': case 'postgres': case 'postgresql': case 'pg-native': case 'cockroachdb':
      return 'postgres';
    case 'mysql': case 'mysql2':
      return 'mysql';
    case 'mariadb':
      return 'mariadb';
    case 'sqlite': case 'sqlite3': case 'better-sqlite3': case 'better-sqlite': case 'libsql':
      return 'sqlite';
    default:
      return undefined;
  }
}
