import path from 'node:path';
import type { Project } from '../../project/project.js';
import { UserError } from '../../errors.js';
import type { FrameworkAdapter } from '../types.js';
import { frameworkPort, healthRoute, moduleBase, moduleFiles, readConfig, urlPath } from './shared.js';
import { stringProperty } from '../../project/config-text.js';

const CONFIG_FILES = ['nuxt.config.ts', 'nuxt.config.js', 'nuxt.config.mjs', 'nuxt.config.mts'];
/** Nitro presets that build a Node server in .output/server/index.mjs. */
const NODE_PRESETS = new Set(['node-server', 'node_server', 'node', 'node-cluster', 'node_cluster']);

/**
 * Nuxt (Nitro's node-server preset): `nuxt build` writes a self-contained server to .output —
 * its own traced node_modules included — so the runtime image copies .output alone and installs
 * no dependencies. Nitro listens on every interface and reads PORT.
 */
export const nuxt: FrameworkAdapter = {
  id: 'nuxt',
  label: 'Nuxt',
  // `nuxt start`/`preview` serve the built .output: the container runs that server directly.
  serverFromScript: ([program, ...args]) =>
    (program === 'nuxt' || program === 'nuxi') && (args[0] === 'start' || args[0] === 'preview') ? { argv: ['node', '.output/server/index.mjs'] } : undefined,
  detect(project) {
    if (!project.hasDependency('nuxt')) return undefined;
    // The config is optional: Nuxt's defaults build the node-server preset.
    const config = readConfig(project, CONFIG_FILES);
    const preset = config && stringProperty(config.text, 'preset');
    if (config && preset !== undefined && !NODE_PRESETS.has(preset)) {
      throw new UserError(
        `${project.abs(config.file)}: nitro preset '${preset}' doesn't build a Node server: remove it (or set preset: 'node-server') to run .output/server/index.mjs in the container`,
      );
    }
    const health = healthRoute(routes(project));
    return {
      evidence: 'dependency nuxt',
      start: { value: ['node', '.output/server/index.mjs'], source: "Nuxt's build output (.output)" },
      port: frameworkPort(project, 'Nuxt', 3000),
      ...(health ? { healthPath: health } : {}),
      outputDirs: ['.output', '.nuxt'],
      runtime: { copy: [{ from: '.output', to: '.output' }], needsProductionDependencies: false },
      buildEnv: { NUXT_TELEMETRY_DISABLED: '1' },
    };
  },
};

/**
 * Nitro's file routes: server/api/x.ts → /api/x, server/routes/x.ts → /x; `index` names the
 * folder, a `.get` suffix limits the method (other methods can't answer a health check).
 */
function* routes(project: Project): Generator<[string, string]> {
  for (const [root, prefix] of [
    ['server/api', 'api'],
    ['server/routes', ''],
  ] as const) {
    for (const file of moduleFiles(project, root)) {
      const base = moduleBase(file) ?? '';
      const method = /\.(get|post|put|patch|delete|head|options)$/.exec(base)?.[1];
      if (method !== undefined && method !== 'get') continue;
      const name = method ? base.slice(0, -method.length - 1) : base;
      const segments = [...path.posix.dirname(file).slice(root.length).split('/'), name === 'index' ? '' : name];
      if (segments.some((segment) => segment.includes('['))) continue;
      yield [urlPath(prefix, ...segments), file];
    }
  }
}
