/** The one-line errors with a fix that the CLI prints for bad input (exit code 2). */
import { expect } from 'vitest';
import { ExitCode, UserError } from '../../src/errors.js';

/** The message of the UserError that `attempt` throws, checked to be bad input and one line. */
export function userErrorOf(attempt: () => unknown): string {
  try {
    attempt();
  } catch (error) {
    return checked(error);
  }
  throw new Error('expected a UserError');
}

/** The message of the UserError that `attempt` rejects with, checked to be bad input and one line. */
export async function rejectionOf(attempt: Promise<unknown>): Promise<string> {
  try {
    await attempt;
  } catch (error) {
    return checked(error);
  }
  throw new Error('expected a UserError');
}

function checked(error: unknown): string {
  expect(error).toBeInstanceOf(UserError);
  const { message, exitCode } = error as UserError;
  expect(exitCode).toBe(ExitCode.badInput);
  expect(message).not.toContain('\n');
  return message;
}
