import { readFileSync } from 'node:fs';
import ejs from 'ejs';
import type { Plan } from '../plan/index.js';

const TEMPLATES = new URL('../../templates/', import.meta.url);

/**
 * Renders templates/<name>.ejs with the plan. No HTML escaping: these are Dockerfiles and shell
 * scripts, and every value in the plan has been checked where it was decided.
 */
export function renderTemplate(name: string, plan: Plan): string {
  const source = readFileSync(new URL(`${name}.ejs`, TEMPLATES), 'utf8');
  return ejs.render(source, { plan, execForm }, { escape: (value: unknown) => String(value), strict: true, _with: false, destructuredLocals: ['plan', 'execForm'] });
}

/** argv as a Dockerfile exec-form array: ["node", "dist/server.js"]. */
export function execForm(argv: readonly string[]): string {
  return `[${argv.map((word) => JSON.stringify(word)).join(', ')}]`;
}
