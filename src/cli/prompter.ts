import type { Prompter } from '../plan/resolve.js';

// Loaded at the first prompt: --yes, --check and non-interactive runs don't pay for it.
const prompts = () => import('@inquirer/prompts');

/** Interactive prompts on the terminal: Enter accepts the default shown. */
export function terminalPrompter(): Prompter {
  return {
    select: async ({ message, choices, default: preset }) =>
      (await prompts()).select({ message, choices, ...(preset !== undefined ? { default: preset } : {}) }),
    input: async ({ message, default: preset, validate }) =>
      (await prompts()).input({ message, validate, ...(preset !== undefined ? { default: preset } : {}) }),
    note: (text) => process.stdout.write(`${text}\n`),
  };
}
