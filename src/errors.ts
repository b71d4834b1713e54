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
  constructor(
    message: string,
    readonly exitCode: ExitCodeValue = ExitCode.badInput,
  ) {
    super(message);
    this.name = 'UserError';
  }
}
