/**
 * Helpers shared by the package-manager adapters other than npm: each of them is installed in
 * the image with npm from the npm registry, at an exact version.
 */
import path from 'node:path';
import semver from 'semver';
import type { Project } from '../../project/project.js';

/** The entries of `candidates` (files or directories) that exist in the project, in order. */
export function present(project: Project, candidates: readonly string[]): string[] {
  return candidates.filter((candidate) => project.exists(candidate));
}

/**
 * `npm install --global <pkg>@<version>`. `force` replaces binaries of the same name that the
 * base image may already have (official Node images up to 22 bundle Yarn 1 in /usr/local/bin).
 */
export function npmGlobalInstall(pkg: string, version: string, { force = false } = {}): string {
  return `npm install --global${force ? ' --force' : ''} ${pkg}@${version}`;
}

/** The major of an exact version, or undefined when it isn't one. */
export function majorOf(version: string | undefined): number | undefined {
  return version && semver.valid(version) ? semver.major(version) : undefined;
}

/**
 * The one warning about a project without a lockfile: the image installs without one, and what
 * to commit so that it doesn't have to.
 */
export function noLockfileWarning(install: string, lockfile: string): string {
  return `no lockfile: the image installs with ${install}, so builds aren't reproducible (each may get other versions of the dependencies) until one is committed: run ${install} and commit ${lockfile}`;
}

/** The warning shown when the project pins no version of its manager and a default is installed. */
export function defaultVersionWarning(label: string, version: string, why: string, field: string): string {
  return `the project pins no ${label} version: the image installs ${label} ${version} (${why}); pin yours with "packageManager": "${field}@<version>" in package.json`;
}

/**
 * What to copy for the patch files a package.json field or setting lists (pnpm's
 * patchedDependencies): the directory of each (e.g. patches), or the file itself at the root.
 */
export function patchEntries(paths: readonly unknown[]): string[] {
  const entries = paths
    .filter((value): value is string => typeof value === 'string')
    .map((file) => path.posix.normalize(file.replace(/\\/g, '/')))
    .map((file) => (path.posix.dirname(file) === '.' ? file : path.posix.dirname(file)))
    .filter((entry) => entry !== '.' && !entry.startsWith('..') && !path.posix.isAbsolute(entry));
  return [...new Set(entries)].sort();
}
