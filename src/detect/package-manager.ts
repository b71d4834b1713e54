import semver from 'semver';
import { packageManagers } from '../adapters/package-managers/index.js';
import type { Detected, PackageManagerId } from '../adapters/types.js';
import { PACKAGE_MANAGER_IDS } from '../adapters/types.js';
import { UserError } from '../errors.js';
import type { Project } from './project.js';

export interface PackageManagerFacts {
  manager?: Detected<PackageManagerId>;
  version?: Detected<string>;
  warnings: string[];
}

/**
 * The package manager: package.json#packageManager first (it also pins the version), then the
 * lockfiles. Two lockfiles → a warning that says which one wins.
 */
export function detectPackageManager(project: Project): PackageManagerFacts {
  const warnings: string[] = [];
  const found = packageManagers.flatMap((pm) =>
    pm.lockfiles.filter((file) => project.exists(file)).map((file) => ({ id: pm.id, file })),
  );

  const field = project.packageJson.packageManager;
  if (field !== undefined) {
    const parsed = parsePackageManagerField(field, project);
    const others = found.filter((lock) => lock.id !== parsed.id);
    if (others.length > 0) {
      warnings.push(`package.json#packageManager says ${parsed.id}, but ${others.map((l) => l.file).join(', ')} also exist: ${parsed.id} wins; delete the stale lockfile`);
    }
    return {
      manager: { value: parsed.id, source: 'package.json#packageManager' },
      version: { value: parsed.version, source: 'package.json#packageManager' },
      warnings,
    };
  }

  const first = found[0];
  if (!first) return { warnings };
  const distinct = [...new Set(found.map((lock) => lock.id))];
  if (distinct.length > 1) {
    warnings.push(`several lockfiles found (${found.map((l) => l.file).join(', ')}): using ${first.file}; delete the others or set package.json#packageManager`);
  }
  const adapter = packageManagers.find((pm) => pm.id === first.id)!;
  const version = adapter.versionFromProject?.(project);
  return { manager: { value: first.id, source: first.file }, ...(version ? { version } : {}), warnings };
}

/** "pnpm@9.12.3+sha512.abc" → { id: 'pnpm', version: '9.12.3' }. */
export function parsePackageManagerField(field: string, project: Project): { id: PackageManagerId; version: string } {
  const match = /^([a-z]+)@([^+]+)(\+.*)?$/.exec(field.trim());
  const id = match?.[1];
  const version = match?.[2];
  if (!match || !id || !version || !semver.valid(version)) {
    throw new UserError(`${project.abs('package.json')}: "packageManager": "${field}" is not <name>@<exact version> (e.g. "npm@10.9.2"): fix the field`);
  }
  if (!(PACKAGE_MANAGER_IDS as readonly string[]).includes(id)) {
    throw new UserError(`${project.abs('package.json')}: "packageManager" names ${id}, which is not one of ${PACKAGE_MANAGER_IDS.join(', ')}: fix the field or pass --pm`);
  }
  return { id: id as PackageManagerId, version };
}
