/**
 * The project's .gitignore files as .dockerignore patterns: what git leaves out of a clone (a
 * local SQLite file, caches, editor state) stays out of the build context too, so that a local
 * build sees what CI sees, and nothing local is baked into an image or busts its source layer.
 *
 * .gitignore and .dockerignore read patterns differently: a .gitignore pattern without a slash
 * matches at any depth, relative to the .gitignore's folder; a .dockerignore pattern is always
 * anchored at the context root (Go's filepath.Match, plus `**`), and knows no directory-only
 * patterns. `dockerignoreMatches` is moby's matching, to tell which paths a set of patterns leaves
 * out.
 */
import path from 'node:path';
import { hasControlCharacter } from '../shared/syntax.js';
import type { Project } from './project.js';

export interface IgnoreFile {
  /** The .gitignore, relative to the project root. */
  file: string;
  /** Its patterns, as .dockerignore lines. */
  patterns: string[];
}

/** Folders whose .gitignore files are never read: dependencies, VCS data, build output. */
const SKIPPED_DIRS = new Set(['node_modules', '.git']);
/** Enough for any real project; bounded so that a huge tree can't slow detection down. */
const MAX_IGNORE_FILES = 50;

/** The project's .gitignore files (the root's first), with their patterns translated. */
export function projectIgnoreFiles(project: Project): IgnoreFile[] {
  const files = ['.gitignore', ...nestedIgnoreFiles(project, '.', 0)].slice(0, MAX_IGNORE_FILES);
  return files.flatMap((file) => {
    const text = project.readText(file);
    if (text === undefined) return [];
    const dir = path.posix.dirname(file);
    const patterns = text.split(/\r?\n/).flatMap((line) => {
      const pattern = gitignoreToDockerignore(line, dir === '.' ? '' : dir);
      return pattern === undefined ? [] : [pattern];
    });
    return patterns.length > 0 ? [{ file, patterns }] : [];
  });
}

function nestedIgnoreFiles(project: Project, dir: string, depth: number): string[] {
  if (depth > 4) return [];
  return project.list(dir).flatMap((name) => {
    const child = dir === '.' ? name : `${dir}/${name}`;
    if (SKIPPED_DIRS.has(name) || !safeIsDirectory(project, child)) return [];
    return [...(safeIsFile(project, `${child}/.gitignore`) ? [`${child}/.gitignore`] : []), ...nestedIgnoreFiles(project, child, depth + 1)];
  });
}

function safeIsDirectory(project: Project, rel: string): boolean {
  try {
    return project.isDirectory(rel);
  } catch {
    // A link out of the project: not the project's.
    return false;
  }
}

function safeIsFile(project: Project, rel: string): boolean {
  try {
    return project.exists(rel) && !project.isDirectory(rel);
  } catch {
    return false;
  }
}

/**
 * One .gitignore line as a .dockerignore pattern (undefined for a blank line, a comment, or a
 * line no .dockerignore could hold). `dir` is the .gitignore's folder relative to the root ('' for
 * the root's).
 */
export function gitignoreToDockerignore(line: string, dir = ''): string | undefined {
  // Trailing spaces are dropped unless escaped.
  let pattern = line.replace(/(?<!\\)\s+$/, '');
  if (pattern === '' || pattern.startsWith('#') || hasControlCharacter(pattern)) return undefined;
  // "\#", "\!": a literal first character, escaped the same way in .dockerignore.
  const negated = pattern.startsWith('!');
  if (negated) pattern = pattern.slice(1);
  // Directory-only ("build/"): .dockerignore has no such patterns; the folder's name matches it.
  pattern = pattern.replace(/\/+$/, '');
  if (pattern === '' || pattern === '/') return undefined;
  // A slash at the start or in the middle anchors the pattern at the .gitignore's folder; otherwise
  // it matches at any depth below it.
  const anchored = pattern.includes('/');
  pattern = pattern.replace(/^\/+/, '');
  if (!anchored && !pattern.startsWith('**')) pattern = `**/${pattern}`;
  if (dir) pattern = `${dir}/${pattern}`;
  // Character classes: git negates with "!" (and "^"), Go's filepath.Match with "^" only.
  pattern = pattern.replace(/\[!/g, '[^');
  return `${negated ? '!' : ''}${pattern}`;
}

/** A .dockerignore pattern as a regular expression over a slash-separated path, as moby compiles it. */
function patternRegExp(pattern: string): RegExp {
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i]!;
    if (ch === '*') {
      if (pattern[i + 1] === '*') {
        i++;
        if (pattern[i + 1] === '/') i++;
        source += i + 1 >= pattern.length ? '.*' : '(.*/)?';
      } else {
        source += '[^/]*';
      }
    } else if (ch === '?') {
      source += '[^/]';
    } else if (ch === '[') {
      const end = pattern.indexOf(']', i + 1);
      if (end === -1) {
        source += '\\[';
      } else {
        source += pattern.slice(i, end + 1).replace(/\\/g, '\\\\');
        i = end;
      }
    } else if (ch === '\\' && i + 1 < pattern.length) {
      i++;
      source += pattern[i]!.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    } else {
      source += ch.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    }
  }
  return new RegExp(`^${source}$`);
}

/**
 * Whether .dockerignore `patterns` leave `file` (relative, slash-separated) out of the context:
 * the last pattern that matches it or one of its parent folders decides, `!` patterns taking it
 * back in.
 */
export function dockerignoreMatches(patterns: readonly string[], file: string): boolean {
  const segments = path.posix.normalize(file).split('/');
  const prefixes = segments.map((_, index) => segments.slice(0, index + 1).join('/'));
  let excluded = false;
  for (const raw of patterns) {
    const negated = raw.startsWith('!');
    const pattern = path.posix.normalize(negated ? raw.slice(1) : raw).replace(/^\/+/, '');
    const regExp = patternRegExp(pattern);
    if (prefixes.some((prefix) => regExp.test(prefix))) excluded = !negated;
  }
  return excluded;
}
