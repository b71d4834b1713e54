import { UserError } from '../../errors.js';
import type { Project } from '../../project/project.js';
import type { PackageManagerAdapter } from '../types.js';
import { defaultVersionWarning, noLockfileWarning, npmGlobalInstall, patchEntries, present } from './shared.js';

const LOCKFILE = 'pnpm-lock.yaml';

/**
 * The pnpm installed when the project pins none, by the major of pnpm-lock.yaml's
 * lockfileVersion: the newest release of a line that reads that format with --frozen-lockfile.
 * (lockfileVersion is a format, not a pnpm version: it only narrows the choice.)
 */
export const PNPM_DEFAULT_VERSIONS: Readonly<Record<string, string>> = { '9': '10.34.9', '6': '8.15.9', '5': '7.33.7' };

/** pnpm's store as root, set explicitly so the BuildKit cache mount is the store pnpm really uses. */
const STORE = '/root/.local/share/pnpm/store';

interface PnpmLock {
  lockfileVersion?: string | number;
  /** v6+: the project's own dependencies, each { specifier, version }. */
  importers?: Record<string, Partial<Record<'dependencies' | 'devDependencies' | 'optionalDependencies', Record<string, unknown>>>>;
  /** v5 and older: name → version. */
  dependencies?: Record<string, unknown>;
  devDependencies?: Record<string, unknown>;
  packages?: Record<string, unknown>;
  snapshots?: Record<string, unknown>;
}

function readLock(project: Project): PnpmLock | undefined {
  const lock = project.readYaml<PnpmLock>(LOCKFILE);
  if (lock === undefined) return undefined;
  if (typeof lock !== 'object' || lock === null || lock.lockfileVersion === undefined) {
    throw new UserError(`${project.abs(LOCKFILE)}: not a pnpm lockfile (no lockfileVersion): run pnpm install to regenerate it`);
  }
  return lock;
}

/**
 * "/@scope/name@1.2.3(peer@4.5.6)" (v6), "@scope/name@1.2.3(peer@4)" (v9) or
 * "/@scope/name/1.2.3_peer@4" (v5) → "@scope/name".
 */
export function pnpmPackageName(key: string, lockfileMajor: number): string | undefined {
  const bare = key.replace(/^\//, '').replace(/\(.*$/, '');
  if (lockfileMajor < 6) {
    const segments = bare.split('/');
    return (bare.startsWith('@') ? segments.slice(0, 2) : segments.slice(0, 1)).join('/') || undefined;
  }
  const at = bare.indexOf('@', 1);
  return at > 0 ? bare.slice(0, at) : bare || undefined;
}

export const pnpm: PackageManagerAdapter = {
  id: 'pnpm',
  label: 'pnpm',
  lockfiles: [LOCKFILE],
  hoistsDependencies: false,
  // Only package.json#packageManager pins pnpm (handled by detection): the lockfile has no version.
  lockedPackages(project) {
    const lock = readLock(project);
    const major = Math.floor(Number(lock?.lockfileVersion ?? 9));
    const names = new Set<string>();
    for (const key of [...Object.keys(lock?.packages ?? {}), ...Object.keys(lock?.snapshots ?? {})]) {
      const name = pnpmPackageName(key, major);
      if (name) names.add(name);
    }
    return names;
  },
  lockedVersion(project, name) {
    const lock = readLock(project);
    const root = lock?.importers?.['.'];
    const entry =
      root?.dependencies?.[name] ??
      root?.devDependencies?.[name] ??
      root?.optionalDependencies?.[name] ??
      lock?.dependencies?.[name] ??
      lock?.devDependencies?.[name];
    const version = typeof entry === 'string' ? entry : (entry as { version?: unknown } | undefined)?.version;
    // "1.2.3(pg@8.13.1)": peers in parentheses.
    return typeof version === 'string' && /^\d/.test(version) ? version.replace(/[(_].*$/, '') : undefined;
  },
  docker(project, version) {
    const warnings: string[] = [];
    const locked = project.exists(LOCKFILE);
    let pinned = version;
    if (!pinned) {
      // Without a lockfile, the newest line.
      const format = locked ? String(readLock(project)?.lockfileVersion ?? '') : '9';
      pinned = PNPM_DEFAULT_VERSIONS[format.split('.')[0] ?? ''];
      if (!pinned) {
        throw new UserError(
          `${project.abs(LOCKFILE)}: lockfileVersion "${format}" and no pnpm version pinned: add "packageManager": "pnpm@<version>" (pnpm --version) to package.json`,
        );
      }
      warnings.push(
        defaultVersionWarning('pnpm', pinned, locked ? `the default for lockfileVersion ${format}` : 'the newest line: there is no lockfile', 'pnpm'),
      );
    }
    const manifest = project.packageJson as { pnpm?: { patchedDependencies?: Record<string, unknown> } };
    const workspace = project.readYaml<{ patchedDependencies?: Record<string, unknown> } | null>('pnpm-workspace.yaml');
    const patches = patchEntries([...Object.values(manifest.pnpm?.patchedDependencies ?? {}), ...Object.values(workspace?.patchedDependencies ?? {})]);
    return {
      setup: [npmGlobalInstall('pnpm', pinned)],
      // Read by npm (which installs pnpm) and by pnpm itself.
      env: { NPM_CONFIG_UPDATE_NOTIFIER: 'false' },
      installFiles: ['package.json', ...(locked ? [LOCKFILE] : []), ...present(project, ['.npmrc', '.pnpmfile.cjs', 'pnpm-workspace.yaml']), ...patches],
      cacheTarget: STORE,
      installAll: `pnpm install ${locked ? '--frozen-lockfile' : '--no-frozen-lockfile'} --store-dir ${STORE}`,
      installProd: `pnpm install --prod ${locked ? '--frozen-lockfile' : '--no-frozen-lockfile'} --store-dir ${STORE}`,
      runScript: 'pnpm run',
      warnings: locked ? warnings : [...warnings, noLockfileWarning('pnpm install', LOCKFILE)],
      ...(locked ? {} : { unlocked: true as const }),
    };
  },
};
