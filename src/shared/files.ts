/**
 * Reading the files of a project that may be hostile (a repository cloned a minute ago): only
 * regular files, only inside the project, never more than MAX_FILE_BYTES. A named pipe would block
 * the read forever and a device (`.nvmrc → /dev/zero`) would never end; a link to /etc/passwd or
 * ~/.aws/credentials would copy its content into a generated file. Each is refused with one line
 * naming the file.
 */
import { closeSync, constants, fstatSync, openSync, readSync, realpathSync, statSync, type Stats } from 'node:fs';
import path from 'node:path';
import { UserError } from '../errors.js';

/** The most bytes read from any one file: more than the largest lockfiles real projects commit. */
export const MAX_FILE_BYTES = 64 * 1024 * 1024;

/** O_NOFOLLOW where the platform has it (not on Windows); O_NONBLOCK so that opening a FIFO never waits for a writer. */
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0);

/** What a file that isn't a regular file is, in words. */
export function fileKind(stats: Stats): string {
  if (stats.isDirectory()) return 'a directory';
  if (stats.isFIFO()) return 'a named pipe (FIFO)';
  if (stats.isCharacterDevice()) return 'a character device';
  if (stats.isBlockDevice()) return 'a block device';
  if (stats.isSocket()) return 'a socket';
  if (stats.isSymbolicLink()) return 'a symbolic link';
  return 'not a regular file';
}

/** Whether `file` is `root` or below it (both absolute, both real paths or both lexical). */
export function isInside(root: string, file: string): boolean {
  const relative = path.relative(root, file);
  return relative === '' || !(relative === '..' || relative.startsWith(`..${path.sep}`) || path.isAbsolute(relative));
}

/**
 * The real path of `file` (links followed), or undefined when nothing is there. A UserError when it
 * leads out of `realRoot`, the project's own real path.
 */
export function realPathInside(realRoot: string, file: string): string | undefined {
  let real: string;
  try {
    real = realpathSync(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    if (code === 'ELOOP') throw new UserError(`${file}: a loop of symbolic links: remove the link`);
    throw new UserError(`${file}: cannot be read (${code ?? (error as Error).message}): fix its permissions`);
  }
  if (!isInside(realRoot, real)) {
    throw new UserError(
      `${file}: a symbolic link to ${real}, outside the project (${realRoot}): create-migrating-stack reads only the project's own files; replace the link with the file itself`,
    );
  }
  return real;
}

export interface ReadOptions {
  /** Shown in messages instead of `file` (the path the user knows, before links were followed). */
  shown?: string;
  /** A directory is absent (reading a folder where a file may be) instead of an error. */
  directoryIsAbsent?: boolean;
  maxBytes?: number;
}

/**
 * The bytes of a regular file, or undefined when there is none. Never blocks (a FIFO is refused
 * before it is read, and opened non-blocking in case one took the file's place), never reads more
 * than `maxBytes`, never follows a link at the last step (callers pass a real path, or one they
 * checked is no link).
 */
export function readRegularFile(file: string, options: ReadOptions = {}): Buffer | undefined {
  const shown = options.shown ?? file;
  const maxBytes = options.maxBytes ?? MAX_FILE_BYTES;
  let stats: Stats;
  try {
    stats = statSync(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    if (code === 'ELOOP') throw new UserError(`${shown}: a loop of symbolic links: remove the link`);
    throw new UserError(`${shown}: cannot be read (${code ?? (error as Error).message}): fix its permissions`);
  }
  if (stats.isDirectory() && options.directoryIsAbsent) return undefined;
  assertReadable(stats, shown, maxBytes);

  let fd: number;
  try {
    fd = openSync(file, OPEN_FLAGS);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    if (code === 'ELOOP') throw new UserError(`${shown}: a symbolic link, where a regular file was read a moment before: run again`);
    throw new UserError(`${shown}: cannot be read (${code ?? (error as Error).message}): fix its permissions`);
  }
  try {
    const opened = fstatSync(fd);
    // Something else took the file's place between the check and the open.
    if (opened.ino !== stats.ino || opened.dev !== stats.dev) throw new UserError(`${shown}: changed while it was read: run again`);
    assertReadable(opened, shown, maxBytes);
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(Math.min(Math.max(opened.size - total + 1, 64 * 1024), 1024 * 1024, maxBytes + 1 - total));
      const count = readSync(fd, chunk, 0, chunk.length, null);
      if (count === 0) break;
      total += count;
      if (total > maxBytes) throw tooLarge(shown, maxBytes);
      chunks.push(chunk.subarray(0, count));
    }
    return Buffer.concat(chunks, total);
  } finally {
    closeSync(fd);
  }
}

/** The text of a file read as readRegularFile does, UTF-8, without a byte order mark (npm accepts one in package.json). */
export function readRegularText(file: string, options: ReadOptions = {}): string | undefined {
  const bytes = readRegularFile(file, options);
  if (bytes === undefined) return undefined;
  const text = bytes.toString('utf8');
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

function assertReadable(stats: Stats, shown: string, maxBytes: number): void {
  if (!stats.isFile()) {
    throw new UserError(
      `${shown}: ${fileKind(stats)}, not a regular file: create-migrating-stack reads only regular files; replace it with a file or remove it`,
    );
  }
  if (stats.size > maxBytes) throw tooLarge(shown, maxBytes);
}

function tooLarge(shown: string, maxBytes: number): UserError {
  return new UserError(
    `${shown}: larger than ${Math.round(maxBytes / 1024 / 1024)} MB, the most create-migrating-stack reads from one file: remove it or make it smaller`,
  );
}

/**
 * The text of `rel` in the project at `root`, read as readRegularText does, through links that
 * stay inside the project only; undefined when there is no such file (or no such project).
 */
export function readProjectText(root: string, rel: string): string | undefined {
  let realRoot: string;
  try {
    realRoot = realpathSync(root);
  } catch {
    return undefined;
  }
  const file = path.join(root, rel);
  const real = realPathInside(realRoot, file);
  return real === undefined ? undefined : readRegularText(real, { shown: file });
}
