import ejs from 'ejs';
import { templateText } from '../shared/assets.js';
import { UserError } from '../errors.js';
import { formatCommand } from '../shared/shell.js';
import { hasControlCharacter } from '../shared/syntax.js';
import { SERVICE, type Plan } from '../plan/index.js';

/**
 * Renders templates/<name>.ejs with the plan. No HTML escaping: these are Dockerfiles and shell
 * scripts, and every value in the plan has been checked where it was decided (and the project's
 * against each file's syntax, render/safety.ts). `<%= %>` still refuses a line break or another
 * control character: each of its values is part of one line, and one more line in a Dockerfile
 * or a shell script is one more instruction.
 */
export function renderTemplate(name: string, plan: Plan): string {
  const helpers = { execForm, shellCommand: formatCommand, comment, SERVICE };
  // Templates and partials come from templateText (templates/, inlined in the bundle): an
  // include names its partial relative to templates/ (`migrate-lock/pg.ejs`).
  return ejs.render(
    templateText(`${name}.ejs`),
    { plan, ...helpers },
    {
      includer: (partial: string) => ({ template: templateText(partial) }),
      escape: (value: unknown) => oneLineValue(String(value), name),
      strict: true,
      _with: false,
      destructuredLocals: ['plan', ...Object.keys(helpers)],
    },
  );
}

function oneLineValue(text: string, template: string): string {
  if (hasControlCharacter(text)) {
    throw new UserError(
      `a value from the project ("${text}") has a line break or control character where ${template} holds one line: rename what it names; nothing was written`,
    );
  }
  return text;
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
