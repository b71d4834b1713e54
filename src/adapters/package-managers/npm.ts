import type { PackageManagerAdapter } from '../types.js';

export const npm: PackageManagerAdapter = {
  id: 'npm',
  label: 'npm',
  lockfiles: ['package-lock.json', 'npm-shrinkwrap.json'],
  docker(project, version) {
    const lockfile = this.lockfiles.find((file) => project.exists(file)) ?? 'package-lock.json';
    const flags = '--no-audit --no-fund';
    return {
      // The Node image bundles an npm; install the project's pinned one only when it names one.
      setup: version ? [`npm install --global npm@${version} ${flags}`] : [],
      installFiles: ['package.json', lockfile, ...(project.exists('.npmrc') ? ['.npmrc'] : [])],
      cacheTarget: '/root/.npm',
      installAll: `npm ci ${flags}`,
      installProd: `npm ci --omit=dev ${flags}`,
      runScript: (script) => `npm run ${script}`,
      warnings: [],
    };
  },
};
