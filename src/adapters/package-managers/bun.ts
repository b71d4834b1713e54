/**
 * Bun as the package manager only: it installs the dependencies in the image, and the app and the
 * migration tool still run on Node (the runtime image has no Bun).
 */
import { parse as parseJsonc, printParseErrorCode, type ParseError } from 'jsonc-parser';
import type { Project } from '../../project/project.js';
import { UserError } from '../../errors.js';
import type { PackageManagerAdapter } from '../types.js';
import { defaultVersionWarning, noLockfileWarning, npmGlobalInstall, present } from './shared.js';

const TEXT_LOCKFILE = 'bun.lock';
const BINARY_LOCKFILE = 'bun.lockb';

/**
 * Bun installed when the project pins none: it reads bun.lock lockfileVersion 0 to
 * DEFAULT_BUN_MAX_LOCKFILE_VERSION with --frozen-lockfile (Bun 1.3 can't read version 2).
 */
export const DEFAULT_BUN_VERSION = '1.4.5';
const DEFAULT_BUN_MAX_LOCKFILE_VERSION = 2;

/** Bun's install cache as root, set explicitly so the BuildKit cache mount is the one Bun uses. */
const CACHE = '/root/.bun/install/cache';

interface BunLock {
  lockfileVersion?: number;
  /** "name" (or "parent/name" when nested) → ["name@version", registry, info, integrity]. */
  packages?: Record<string, unknown>;
}

function readLock(project: Project): BunLock | undefined {
  const text = project.readText(TEXT_LOCKFILE);
  if (text === undefined) {
    if (project.exists(BINARY_LOCKFILE)) {
      throw new UserError(
        `${project.abs(BINARY_LOCKFILE)}: Bun's binary lockfile can't be read without running Bun: convert it with bun install --save-text-lockfile (Bun 1.1.39 or later), commit bun.lock and delete bun.lockb`,
      );
    }
    return undefined;
  }
  const errors: ParseError[] = [];
  const lock = parseJsonc(text, errors, { allowTrailingComma: true }) as unknown;
  const [error] = errors;
  if (error) {
    const line = text.slice(0, error.offset).split('\n').length;
    throw new UserError(`${project.abs(TEXT_LOCKFILE)}: invalid JSON (${printParseErrorCode(error.error)} at line ${line}): run bun install to regenerate it`);
  }
  if (typeof lock !== 'object' || lock === null || Array.isArray(lock) || typeof (lock as BunLock).lockfileVersion !== 'number') {
    throw new UserError(`${project.abs(TEXT_LOCKFILE)}: not a Bun lockfile (no lockfileVersion): run bun install to regenerate it`);
  }
  return lock;
}

export const bun: PackageManagerAdapter = {
  id: 'bun',
  label: 'Bun',
  lockfiles: [TEXT_LOCKFILE, BINARY_LOCKFILE],
  hoistsDependencies: true,
  // Only package.json#packageManager pins Bun (handled by detection): bun.lock has no version.
  lockedPackages(project) {
    const names = new Set<string>();
    for (const [key, entry] of Object.entries(readLock(project)?.packages ?? {})) {
      const resolved =
        Array.isArray(entry) && typeof entry[0] === 'string'
          ? entry[0]
          : key
              .split('/')
              .slice(key.startsWith('@') ? -2 : -1)
              .join('/');
      const at = resolved.indexOf('@', 1);
      names.add(at > 0 ? resolved.slice(0, at) : resolved);
    }
    return names;
  },
  lockedVersion(project, name) {
    const entry = readLock(project)?.packages?.[name];
    const resolved = Array.isArray(entry) && typeof entry[0] === 'string' ? entry[0] : undefined;
    return resolved?.startsWith(`${name}@`) ? resolved.slice(name.length + 1) : undefined;
  },
  docker(project, version) {
    const warnings: string[] = [];
    let pinned = version;
    if (!pinned) {
      const format = readLock(project)?.lockfileVersion ?? 0;
      if (format > DEFAULT_BUN_MAX_LOCKFILE_VERSION) {
        throw new UserError(
          `${project.abs(TEXT_LOCKFILE)}: lockfileVersion ${format} and no Bun version pinned: add "packageManager": "bun@<version>" (bun --version) to package.json`,
        );
      }
      pinned = DEFAULT_BUN_VERSION;
      warnings.push(defaultVersionWarning('Bun', pinned, `it reads bun.lock lockfileVersion ${format}`, 'bun'));
    }
    const lockfile = project.exists(TEXT_LOCKFILE) ? TEXT_LOCKFILE : project.exists(BINARY_LOCKFILE) ? BINARY_LOCKFILE : undefined;
    if (!lockfile) warnings.push(noLockfileWarning('bun install', TEXT_LOCKFILE));
    return {
      // The npm package brings the binary through an optional per-platform dependency.
      setup: [npmGlobalInstall('bun', pinned)],
      env: { BUN_INSTALL_CACHE_DIR: CACHE },
      installFiles: ['package.json', ...(lockfile ? [lockfile] : []), ...present(project, ['bunfig.toml', '.npmrc'])],
      cacheTarget: CACHE,
      installAll: lockfile ? 'bun install --frozen-lockfile' : 'bun install',
      installProd: lockfile ? 'bun install --production --frozen-lockfile' : 'bun install --production',
      runScript: 'bun run',
      warnings,
      ...(lockfile ? {} : { unlocked: true as const }),
    };
  },
};
