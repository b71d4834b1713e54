import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import ejs from 'ejs';
import { formatCommand } from '../shared/shell.js';
import { SERVICE, type Plan } from '../plan/index.js';

const TEMPLATES = new URL('../../templates/', import.meta.url);

/**
 * Renders templates/<name>.ejs with the plan. No HTML escaping: these are Dockerfiles and shell
 * scripts, and every value in the plan has been checked where it was decided.
 */
export function renderTemplate(name: string, plan: Plan): string {
  const file = fileURLToPath(new URL(`${name}.ejs`, TEMPLATES));
  const helpers = { execForm, shellCommand: formatCommand, comment, SERVICE };
  // `filename` lets a template include partials relative to itself (templates/migrate-lock/*.ejs).
  return ejs.render(
    readFileSync(file, 'utf8'),
    { plan, ...helpers },
    { filename: file, escape: (value: unknown) => String(value), strict: true, _with: false, destructuredLocals: ['plan', ...Object.keys(helpers)] },
  );
}

/** A paragraph as `// ` comment lines of at most `width` characters. */
export function comment(text: string, prefix = '// ', width = 100): string {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if (line && prefix.length + line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  if (line) lines.push(line);
  return lines.map((l) => `${prefix}${l}`).join('\n');
}

/** argv as a Dockerfile exec-form array: ["node", "dist/server.js"]. */
export function execForm(argv: readonly string[]): string {
  return `[${argv.map((word) => JSON.stringify(word)).join(', ')}]`;
}
