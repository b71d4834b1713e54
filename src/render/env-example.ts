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
  lines.push('# Host port the app is published on.', `APP_PORT=${plan.app.port}`);
  const documented = new Set(Object.keys(parseDotenv(plan.envExample.projectText)));
  const missing = plan.app.passThrough.filter((name) => !documented.has(name));
  if (missing.length > 0) {
    lines.push('# Read by the app (found in its code): uncomment and set; compose passes each one set here.');
    lines.push(...missing.map((name) => `# ${name}=`));
  }
  lines.push(BLOCK_END);
  return withManagedBlock(plan.envExample.projectText, lines.join('\n'));
}
