import { UserError } from '../../errors.js';
import type { PackageManagerAdapter } from '../types.js';
import { noLockfileWarning } from './shared.js';

interface LockEntry {
  version?: unknown;
  dependencies?: Record<string, LockEntry>;
}

interface PackageLock {
  packages?: Record<string, LockEntry | undefined>;
  dependencies?: Record<string, LockEntry>;
}

export const npm: PackageManagerAdapter = {
  id: 'npm',
  label: 'npm',
  lockfiles: ['package-lock.json', 'npm-shrinkwrap.json'],
  hoistsDependencies: true,
  lockedPackages(project) {
    const file = this.lockfiles.find((name) => project.exists(name));
    const lock = file ? project.readJson<PackageLock>(file) : undefined;
    if (file && (typeof lock !== 'object' || lock === null)) throw new UserError(`${project.abs(file)}: not a lockfile: run npm install to regenerate it`);
    const names = new Set<string>();
    // lockfileVersion 2 and 3: "node_modules/a/node_modules/@scope/b" → "@scope/b".
    for (const key of Object.keys(lock?.packages ?? {})) {
      const name = key.split('node_modules/').at(-1);
      if (name) names.add(name);
    }
    // lockfileVersion 1: nested "dependencies".
    const walk = (deps: PackageLock['dependencies']) => {
      for (const [name, entry] of Object.entries(deps ?? {})) {
        names.add(name);
        walk(entry.dependencies);
      }
    };
    walk(lock?.dependencies);
    return names;
  },
  lockedVersion(project, name) {
    const file = this.lockfiles.find((candidate) => project.exists(candidate));
    const lock = file ? project.readJson<PackageLock>(file) : undefined;
    const entry: LockEntry | undefined = lock?.packages?.[`node_modules/${name}`] ?? lock?.dependencies?.[name];
    return typeof entry?.version === 'string' ? entry.version : undefined;
  },
  docker(project, version) {
    const lockfile = this.lockfiles.find((file) => project.exists(file));
    return {
      // The Node image bundles an npm; install the project's pinned one only when it names one.
      setup: version ? [`npm install --global npm@${version}`] : [],
      env: { NPM_CONFIG_UPDATE_NOTIFIER: 'false', NPM_CONFIG_FUND: 'false', NPM_CONFIG_AUDIT: 'false' },
      installFiles: ['package.json', ...(lockfile ? [lockfile] : []), ...(project.exists('.npmrc') ? ['.npmrc'] : [])],
      cacheTarget: '/root/.npm',
      // Without a lockfile, npm ci refuses: a plain install resolves the ranges of package.json.
      installAll: lockfile ? 'npm ci' : 'npm install',
      installProd: lockfile ? 'npm ci --omit=dev' : 'npm install --omit=dev',
      pruneToProduction: 'npm prune --omit=dev',
      runScript: 'npm run',
      warnings: lockfile ? [] : [noLockfileWarning('npm install', 'package-lock.json')],
      ...(lockfile ? {} : { unlocked: true as const }),
    };
  },
};
