import type { PackageManagerAdapter, PackageManagerId } from '../types.js';
import { npm } from './npm.js';

/** Every supported package manager. Order breaks ties between lockfiles (first wins). */
export const packageManagers: readonly PackageManagerAdapter[] = [npm];

export function packageManagerById(id: PackageManagerId): PackageManagerAdapter | undefined {
  return packageManagers.find((pm) => pm.id === id);
}
