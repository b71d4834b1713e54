import semver from 'semver';
import { LOCKFILE_PRECEDENCE, packageManagerById, packageManagers } from '../adapters/package-managers/index.js';

const MANAGER_IDS: readonly string[] = packageManagers.map((manager) => manager.id);
import type { Detected, PackageManagerId } from '../adapters/types.js';
import { UserError } from '../errors.js';
import type { Project } from '../project/project.js';

export interface PackageManagerFacts {
  manager?: Detected<PackageManagerId>;
  version?: Detected<string>;
  warnings: string[];
}

/**
 * The package manager: package.json#packageManager first (it also pins the version), then
 * devEngines.packageManager, then the lockfiles (LOCKFILE_PRECEDENCE breaks ties), else npm. A lockfile of
 * another manager → a warning that says which one wins. The version comes from package.json, else
 * from the manager's own files (a committed Yarn release); never from a lockfile format.
 */
export function detectPackageManager(project: Project): PackageManagerFacts {
  const warnings: string[] = [];
  const found = LOCKFILE_PRECEDENCE.flatMap((id) => {
    const adapter = packageManagerById(id)!;
    return adapter.lockfiles.filter((file) => project.exists(file)).map((file) => ({ id, file }));
  });

  const declared = declaredPackageManager(project);
  if (declared) {
    const others = found.filter((lock) => lock.id !== declared.id);
    if (others.length > 0) {
      warnings.push(
        `${declared.source} says ${declared.id}, but ${others.map((l) => l.file).join(', ')} also exist: ${declared.id} wins; delete the stale lockfile`,
      );
    }
    const version = declared.version ? { value: declared.version, source: declared.source } : packageManagerById(declared.id)!.versionFromProject?.(project);
    return { manager: { value: declared.id, source: declared.source }, ...(version ? { version } : {}), warnings };
  }

  const first = found[0];
  // No lockfile anywhere and none declared: npm, which every Node image has (its adapter says
  // that the install can't be reproducible until a lockfile is committed).
  if (!first) return { manager: { value: 'npm', source: 'default: no lockfile and no package.json#packageManager' }, warnings };
  const losers = found.filter((lock) => lock.id !== first.id);
  if (losers.length > 0) {
    warnings.push(
      `lockfiles of several package managers (${found.map((l) => l.file).join(', ')}): ${first.file} wins (${first.id}); delete the stale ones or set package.json#packageManager`,
    );
  }
  const version = packageManagerById(first.id)!.versionFromProject?.(project);
  return { manager: { value: first.id, source: first.file }, ...(version ? { version } : {}), warnings };
}

interface DeclaredPackageManager {
  id: PackageManagerId;
  version?: string;
  source: string;
}

/** package.json#packageManager ("pnpm@9.12.3"), else devEngines.packageManager ({ name, version }). */
function declaredPackageManager(project: Project): DeclaredPackageManager | undefined {
  const field = project.packageJson.packageManager;
  if (field !== undefined) return { ...parsePackageManagerField(field, project), source: 'package.json#packageManager' };

  const devEngines = (project.packageJson as { devEngines?: { packageManager?: unknown } }).devEngines;
  const raw = devEngines?.packageManager;
  // The field may list alternatives; the first is the one the project prefers.
  const entry = (Array.isArray(raw) ? raw[0] : raw) as { name?: unknown; version?: unknown } | undefined;
  if (entry === undefined || entry === null) return undefined;
  const source = 'package.json#devEngines.packageManager';
  if (typeof entry.name !== 'string' || !MANAGER_IDS.includes(entry.name)) {
    throw new UserError(`${project.abs('package.json')}: devEngines.packageManager.name must be one of ${MANAGER_IDS.join(', ')}: fix the field or pass --pm`);
  }
  // A range ("^10.0.0") pins nothing: only an exact version counts.
  const version = typeof entry.version === 'string' && semver.valid(entry.version) ? entry.version : undefined;
  return { id: entry.name as PackageManagerId, ...(version ? { version } : {}), source };
}

/** "pnpm@9.12.3+sha512.abc" → { id: 'pnpm', version: '9.12.3' }. */
export function parsePackageManagerField(field: string, project: Project): { id: PackageManagerId; version: string } {
  const match = /^([a-z]+)@([^+]+)(\+.*)?$/.exec(field.trim());
  const id = match?.[1];
  const version = match?.[2];
  if (!match || !id || !version || !semver.valid(version)) {
    throw new UserError(`${project.abs('package.json')}: "packageManager": "${field}" is not <name>@<exact version> (e.g. "npm@10.9.2"): fix the field`);
  }
  if (!MANAGER_IDS.includes(id)) {
    throw new UserError(
      `${project.abs('package.json')}: "packageManager" names ${id}, which is not one of ${MANAGER_IDS.join(', ')}: fix the field or pass --pm`,
    );
  }
  return { id: id as PackageManagerId, version };
}
