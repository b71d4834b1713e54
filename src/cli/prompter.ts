import { input, select } from '@inquirer/prompts';
import type { Prompter } from '../plan/resolve.js';

/** Interactive prompts on the terminal: Enter accepts the default shown. */
export function terminalPrompter(): Prompter {
  return {
    select: ({ message, choices, default: preset }) => select({ message, choices, ...(preset !== undefined ? { default: preset } : {}) }),
    input: ({ message, default: preset, validate }) => input({ message, validate, ...(preset !== undefined ? { default: preset } : {}) }),
    note: (text) => process.stdout.write(`${text}\n`),
  };
}
