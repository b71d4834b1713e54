/** Process exit codes; documented in the README. */
export const ExitCode = {
  ok: 0,
  /** `--check` found drift, or files were left untouched because the user changed them. */
  driftOrConflict: 1,
  /** Bad input: the project, a flag or the saved answers need fixing. Nothing was written. */
  badInput: 2,
  /** `verify` ran the stack and a guarantee did not hold. */
  verifyFailed: 3,
  /** Interrupted at a prompt (Ctrl-C). */
  interrupted: 130,
  /** A bug in create-migrating-stack itself. */
  internal: 70,
} as const;

export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

/**
 * A problem the user can fix. The message is one line that names the file (or flag) and the fix;
 * the CLI prints it without a stack trace and exits with `exitCode`.
 */
export class UserError extends Error {
  /** Several problems (`string[]`) are one line each; a line break inside one is written as `\n`. */
  constructor(
    message: string | readonly string[],
    readonly exitCode: ExitCodeValue = ExitCode.badInput,
  ) {
    super((typeof message === 'string' ? [message] : message).map(oneLine).join('\n'));
    this.name = 'UserError';
  }
}

/**
 * Control characters and invisible direction marks written as escapes (`\n`, `\u001b`): a message
 * that quotes the input (a path with a line break, a value with a terminal escape sequence) stays
 * one line and can't drive the terminal.
 */
export function oneLine(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, (char) => {
    const named: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };
    return named[char] ?? `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`;
  });
}
