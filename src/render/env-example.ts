import { parse as parseDotenv } from 'dotenv';
import type { Plan } from '../plan/index.js';
import { BLOCK_END, BLOCK_START, withManagedBlock } from '../shared/managed-block.js';

/**
 * .env.example: the project's own lines, untouched, then a managed block with what the stack
 * needs. `cp .env.example .env && docker compose up` works as is; the values are for local
 * development only.
 */
export function renderEnvExample(plan: Plan): string {
  const lines = [
    BLOCK_START,
    '# Read by compose.yaml. Local-development values: change every one of them for production,',
    '# and keep the real .env out of git.',
  ];
  for (const entry of plan.envExample.entries) {
    if (entry.comment) lines.push(`# ${entry.comment}`);
    lines.push(`${entry.key}=${entry.value}`);
  }
  lines.push('# Host port the app is published on.', `${plan.app.hostPortVariable}=${plan.app.port}`);
  // The project's variables its own .env.example doesn't list yet (compose passes each one set here).
  const documented = new Set(Object.keys(parseDotenv(plan.envExample.projectText)));
  const missing = plan.app.passed.filter(({ name }) => !documented.has(name));
  const required = missing.filter((variable) => variable.required);
  const optional = missing.filter((variable) => !variable.required);
  if (required.length > 0) {
    lines.push("# Required by your project's env schema: compose won't start without them.");
    lines.push(...required.map(({ name, example }) => `${name}=${example ?? ''}`));
  }
  if (optional.length > 0) {
    lines.push(`# Read by your project (${[...new Set(optional.map(({ source }) => source))].join(', ')}): set the ones you need.`);
    lines.push(...optional.map(({ name, example }) => (example !== undefined ? `${name}=${example}` : `# ${name}=`)));
  }
  lines.push(BLOCK_END);
  return withManagedBlock(plan.envExample.projectText, lines.join('\n'));
}
