/**
 * A shell script that starts the app (`"start": "bin/start.sh"`), read — never run — for the
 * command it runs in production. The image sets NODE_ENV=production, so the script is followed
 * down that branch (`if [ "$NODE_ENV" = "production" ]`, `case "$NODE_ENV" in`, else the default)
 * to its last command. What the container runs instead of the script: that command itself, so that
 * node gets `docker stop`'s signal (a shell that runs node without `exec` keeps it).
 */
import { parse as parseShell } from 'shell-quote';

/** How the script's production branch ends. */
export type ShellStart =
  /** The last command (`node lib/server.js`, `npm run serve`), preceded only by harmless or migration steps. */
  | { kind: 'command'; argv: string[]; line: number; migrations: string[] }
  /** Other steps (exports, setup) and then `exec <command>`: the script itself is a fine container command. */
  | { kind: 'script'; argv: string[]; line: number }
  /** Why the production command can't be told, naming the line. */
  | { kind: 'unknown'; reason: string };

/** Interpreters a start script may be run with (`sh scripts/start.sh`) or name on its #! line. */
export const SHELLS = new Set(['sh', 'bash', 'dash', 'ash', 'zsh', 'ksh']);

/** Commands that change nothing the server needs. */
const HARMLESS = new Set(['set', ':', 'true', 'echo', 'printf']);
/** The bound on a script worth reading: start scripts are a few lines. */
const MAX_TOKENS = 5000;

type Token = { word: string; line: number } | { op: string; line: number };

class CannotTell extends Error {}

/** What the production value of NODE_ENV is, for the script's tests. */
const NODE_ENV = 'production';

/**
 * The production branch of a start script. `isMigration` tells a migration step
 * (`npx knex migrate:latest`), which the stack runs in its own step, from any other.
 */
export function productionCommand(text: string, isMigration: (argv: readonly string[]) => boolean): ShellStart {
  let tokens: Token[];
  try {
    tokens = tokenize(text);
  } catch (error) {
    return { kind: 'unknown', reason: (error as Error).message };
  }
  const executed: { argv: string[]; line: number; exec: boolean }[] = [];
  try {
    new Interpreter(tokens, executed).run();
  } catch (error) {
    if (error instanceof CannotTell) return { kind: 'unknown', reason: error.message };
    throw error;
  }
  const steps = executed.filter((step) => !HARMLESS.has(step.argv[0]!));
  const last = steps.at(-1);
  if (!last) return { kind: 'unknown', reason: 'it runs no command in production' };
  // `node $ENTRY`: the shell knows what it runs, the reader doesn't.
  const dynamic = last.argv.some((word) => word.includes('$'));
  if (dynamic) {
    return last.exec
      ? { kind: 'script', argv: last.argv, line: last.line }
      : { kind: 'unknown', reason: `line ${last.line} runs "${last.argv.join(' ')}", which depends on variables set at run time` };
  }
  const before = steps.slice(0, -1);
  const migrations = before.filter((step) => isMigration(step.argv));
  const others = before.filter((step) => !isMigration(step.argv));
  if (others.length === 0 && !isMigration(last.argv))
    return { kind: 'command', argv: last.argv, line: last.line, migrations: migrations.map((step) => step.argv.join(' ')) };
  if (last.exec) return { kind: 'script', argv: last.argv, line: last.line };
  const first = others[0] ?? last;
  return { kind: 'unknown', reason: `line ${first.line} runs "${first.argv.join(' ')}" before the server, and the server isn't started with exec` };
}

/** The interpreter a #! line names (`#!/usr/bin/env bash` → bash), if any. */
export function shebangInterpreter(text: string): string | undefined {
  const line = /^#!\s*(\S+)(?:\s+(\S+))?/.exec(text);
  if (!line) return undefined;
  const program = line[1]!.split('/').at(-1)!;
  return program === 'env' ? line[2] : program;
}

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  // Lines joined by a trailing backslash are one line.
  const lines = text.replace(/\\\r?\n/g, ' ').split(/\r?\n/);
  lines.forEach((raw, index) => {
    const line = index + 1;
    if (index === 0 && raw.startsWith('#!')) return;
    // NODE_ENV is production in the image, whatever default the script gives it.
    const source = raw.replace(/\$\{NODE_ENV(?:[:]?[-=?+][^}]*)?\}|\$NODE_ENV\b/g, NODE_ENV);
    for (const entry of parseShell(source, (name) => `$${name}`)) {
      if (typeof entry === 'string') tokens.push({ word: entry, line });
      else if ('comment' in entry) break;
      else if (entry.op === 'glob') tokens.push({ word: (entry as { pattern: string }).pattern, line });
      else tokens.push({ op: entry.op, line });
    }
    tokens.push({ op: ';', line });
    if (tokens.length > MAX_TOKENS) throw new Error('it is too long to read');
  });
  return tokens;
}

/** Walks the statements that run in production and records each simple command run. */
class Interpreter {
  private position = 0;

  constructor(
    private readonly tokens: Token[],
    private readonly executed: { argv: string[]; line: number; exec: boolean }[],
  ) {}

  run(): void {
    this.statements(new Set(), true);
  }

  private peek(): Token | undefined {
    return this.tokens[this.position];
  }

  private isWord(token: Token | undefined, ...words: string[]): boolean {
    return token !== undefined && 'word' in token && (words.length === 0 || words.includes(token.word));
  }

  private isOp(token: Token | undefined, ...ops: string[]): boolean {
    return token !== undefined && 'op' in token && ops.includes(token.op);
  }

  private skipSeparators(): void {
    while (this.isOp(this.peek(), ';', '&&')) this.position++;
  }

  /** Statements until one of `terminators` (a keyword at the start of a statement) or the end. */
  private statements(terminators: ReadonlySet<string>, live: boolean): void {
    for (;;) {
      this.skipSeparators();
      const token = this.peek();
      if (token === undefined) return;
      if ('word' in token && terminators.has(token.word)) return;
      if (this.isOp(token, ';;')) return;
      this.statement(live);
      if (live && this.executed.at(-1)?.exec) {
        // exec replaced the shell: nothing after it runs.
        live = false;
      }
    }
  }

  private statement(live: boolean): void {
    const token = this.peek()!;
    if (this.isWord(token, 'if')) return this.ifStatement(live);
    if (this.isWord(token, 'case')) return this.caseStatement(live);
    if (this.isWord(token, 'while', 'until', 'for', 'function', 'select') || this.isOp(token, '(', '{')) {
      if (live) throw new CannotTell(`line ${token.line} has a ${'word' in token ? token.word : 'grouped'} block`);
      return this.skipBlock();
    }
    const words: string[] = [];
    const line = token.line;
    let pipeline = false;
    for (let next = this.peek(); next !== undefined && !this.isOp(next, ';', '&&', ';;'); next = this.peek()) {
      if ('op' in next) {
        if (next.op === '||' && live) throw new CannotTell(`line ${line} runs "${words.join(' ')} ||", whose outcome depends on the run`);
        pipeline = true;
      }
      if ('word' in next) words.push(next.word);
      this.position++;
    }
    if (!live || words.length === 0) return;
    if (pipeline) throw new CannotTell(`line ${line} pipes or backgrounds "${words.join(' ')}", which can't be a container command`);
    const exec = words[0] === 'exec';
    const argv = exec ? words.slice(1) : words;
    if (argv.length === 0) return;
    this.executed.push({ argv, line, exec });
  }

  /** `if cond; then …; elif cond; then …; else …; fi`. */
  private ifStatement(live: boolean): void {
    this.position++; // if
    let taken = false;
    for (;;) {
      const condition = this.condition();
      const chosen = live && !taken && this.evaluate(condition);
      this.expectWord('then');
      this.statements(new Set(['elif', 'else', 'fi']), chosen);
      if (chosen) taken = true;
      const keyword = this.peek();
      this.position++;
      if (this.isWord(keyword, 'elif')) continue;
      if (this.isWord(keyword, 'else')) {
        this.statements(new Set(['fi']), live && !taken);
        this.expectWord('fi');
      } else if (!this.isWord(keyword, 'fi')) {
        throw new CannotTell(`line ${keyword?.line ?? '?'}: an if without fi`);
      }
      return;
    }
  }

  /** The test words up to `then` (`[ "$NODE_ENV" = production ]`, `test -z x`, `[ a ] && [ b ]`). */
  private condition(): { words: string[]; line: number }[] {
    const parts: { words: string[]; line: number; joiner?: string }[] = [{ words: [], line: this.peek()?.line ?? 0 }];
    for (let token = this.peek(); token !== undefined && !this.isWord(token, 'then'); token = this.peek()) {
      if ('op' in token) {
        if (token.op === '&&' || token.op === '||') parts.push({ words: [], line: token.line, joiner: token.op });
        else if (token.op !== ';') throw new CannotTell(`line ${token.line} tests with "${token.op}"`);
      } else {
        parts.at(-1)!.words.push(token.word);
      }
      this.position++;
    }
    return parts;
  }

  private evaluate(parts: { words: string[]; line: number; joiner?: string }[]): boolean {
    let result = this.test(parts[0]!);
    for (const part of parts.slice(1)) {
      const value = this.test(part);
      result = part.joiner === '&&' ? result && value : result || value;
    }
    return result;
  }

  /** One test command; anything but a comparison of known strings can't be told. */
  private test({ words, line }: { words: string[]; line: number }): boolean {
    let inner = words;
    let negate = false;
    if (inner[0] === '!') [negate, inner] = [true, inner.slice(1)];
    // [[ a == b* ]] compares with a pattern; [ a = b ] and test compare strings.
    const patterns = inner[0] === '[[';
    if (inner[0] === '[' && inner.at(-1) === ']') inner = inner.slice(1, -1);
    else if (patterns && inner.at(-1) === ']]') inner = inner.slice(1, -1);
    else if (inner[0] === 'test') inner = inner.slice(1);
    else throw new CannotTell(`line ${line} tests "${words.join(' ')}", which depends on the run`);
    if (inner[0] === '!') [negate, inner] = [!negate, inner.slice(1)];
    const known = (value: string) => {
      if (value.includes('$')) throw new CannotTell(`line ${line} tests ${value}, which isn't known before the run`);
      return value;
    };
    let result: boolean;
    if (inner.length === 3 && ['=', '==', '!='].includes(inner[1]!)) {
      const same = patterns ? globMatches(known(inner[2]!), known(inner[0]!)) : known(inner[0]!) === known(inner[2]!);
      result = inner[1] === '!=' ? !same : same;
    } else if (inner.length === 2 && (inner[0] === '-z' || inner[0] === '-n')) {
      const empty = known(inner[1]!) === '';
      result = inner[0] === '-z' ? empty : !empty;
    } else if (inner.length === 1) {
      result = known(inner[0]!) !== '';
    } else {
      throw new CannotTell(`line ${line} tests "${words.join(' ')}", which depends on the run`);
    }
    return negate ? !result : result;
  }

  /** `case word in pattern|pattern) …;; *) …;; esac`. */
  private caseStatement(live: boolean): void {
    const start = this.peek()!;
    this.position++; // case
    const subject = this.peek();
    if (!this.isWord(subject)) throw new CannotTell(`line ${start.line}: a case without a word`);
    this.position++;
    this.skipSeparators();
    this.expectWord('in');
    const value = (subject as { word: string }).word;
    let taken = false;
    for (;;) {
      this.skipSeparators();
      const token = this.peek();
      if (token === undefined) throw new CannotTell(`line ${start.line}: a case without esac`);
      if (this.isWord(token, 'esac')) {
        this.position++;
        return;
      }
      const patterns: string[] = [];
      if (this.isOp(token, '(')) this.position++;
      for (let next = this.peek(); next !== undefined && !this.isOp(next, ')'); next = this.peek()) {
        if ('word' in next) patterns.push(next.word);
        this.position++;
      }
      this.position++; // )
      let matches = false;
      if (live && !taken) {
        if (value.includes('$') && !patterns.every((pattern) => pattern === '*')) {
          throw new CannotTell(`line ${start.line} chooses on ${value}, which isn't known before the run`);
        }
        matches = patterns.some((pattern) => globMatches(pattern, value));
      }
      this.statements(new Set(['esac']), matches);
      if (matches) taken = true;
      if (this.isOp(this.peek(), ';;')) this.position++;
    }
  }

  private expectWord(word: string): void {
    this.skipSeparators();
    if (!this.isWord(this.peek(), word)) throw new CannotTell(`line ${this.peek()?.line ?? '?'}: expected ${word}`);
    this.position++;
  }

  /** Skips a block not taken (a loop or a function in a branch that doesn't run), by its keywords. */
  private skipBlock(): void {
    const closers: Record<string, string> = { while: 'done', until: 'done', for: 'done', select: 'done', '(': ')', '{': '}' };
    let depth = 0;
    for (let token = this.peek(); token !== undefined; token = this.peek()) {
      const text = 'word' in token ? token.word : token.op;
      this.position++;
      if (text in closers) depth++;
      else if (Object.values(closers).includes(text) && --depth <= 0) return;
    }
  }
}

/** A case pattern (`prod*`, `production`, `*`) against a known value. */
function globMatches(pattern: string, value: string): boolean {
  const source = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${source}$`).test(value);
}
