import type { PackageManagerAdapter, PackageManagerId } from '../types.js';
import { bun } from './bun.js';
import { npm } from './npm.js';
import { pnpm } from './pnpm.js';
import { yarn } from './yarn.js';

/** Every supported package manager, in the order the prompt lists them. */
export const packageManagers: readonly PackageManagerAdapter[] = [npm, pnpm, yarn, bun];

/**
 * Which lockfile wins when a project has several and no package.json#packageManager: the ones
 * only their own manager writes come first, package-lock.json (which any stray `npm install`
 * creates) last. A migration leaves the old lockfile behind (`pnpm import`, `bun install` on a
 * Yarn project), so the newer manager's comes before the older one's.
 */
export const LOCKFILE_PRECEDENCE: readonly PackageManagerId[] = ['pnpm', 'bun', 'yarn', 'npm'];

export function packageManagerById(id: PackageManagerId): PackageManagerAdapter | undefined {
  return packageManagers.find((pm) => pm.id === id);
}
