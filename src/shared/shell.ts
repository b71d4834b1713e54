/** Shell words: a command line as argv and back, for commands the generated files run. */
import { parse as parseShell } from 'shell-quote';
import { UserError } from '../errors.js';

/** Turns a command string (a saved answer or --start) into argv; shell operators are refused. */
export function parseCommand(command: string, origin: string): string[] {
  const words = parseShell(command);
  if (words.some((word) => typeof word !== 'string') || words.length === 0) {
    throw new UserError(`${origin}: "${command}" must be a single command without shell operators (e.g. "node dist/server.js")`);
  }
  return words as string[];
}

/** argv as one POSIX shell command line, quoting only the words that need it. */
export function formatCommand(argv: readonly string[]): string {
  return argv.map((word) => (/^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`)).join(' ');
}
