import path from 'node:path';
import type { Project } from '../../project/project.js';
import { UserError } from '../../errors.js';
import type { FrameworkAdapter } from '../types.js';
import { frameworkPort, healthRoute, importedAs, moduleBase, moduleFiles, readConfig, urlPath, type ConfigText } from './shared.js';
import { callArguments, normaliseRelative, stringProperty } from '../../project/config-text.js';

/** Where the adapter is configured: the sveltekit() Vite plugin (Kit ≥ 2.62), or svelte.config.js before Kit 3. */
const CONFIG_FILES = ['vite.config.ts', 'vite.config.js', 'vite.config.mts', 'vite.config.mjs', 'svelte.config.js', 'svelte.config.ts', 'svelte.config.mjs'];
const ADAPTER_MODULE = String.raw`@sveltejs/adapter-[\w-]+|svelte-adapter-[\w-]+`;
const NODE_ADAPTER = '@sveltejs/adapter-node';

/**
 * SvelteKit with @sveltejs/adapter-node: `vite build` writes a Node server to build/ (`node
 * build`), bundling devDependencies and importing production dependencies from node_modules.
 * adapter-node listens on 0.0.0.0 and reads PORT. Any other adapter builds no Node server:
 * detection stops and says how to switch.
 */
export const sveltekit: FrameworkAdapter = {
  id: 'sveltekit',
  label: 'SvelteKit',
  detect(project) {
    if (!project.hasDependency('@sveltejs/kit')) return undefined;
    const config = adapterConfig(project);
    const adapter = config && importedAs(config.text, ADAPTER_MODULE);
    if (!config || !adapter) {
      const file = config?.file ?? 'vite.config.js';
      throw new UserError(
        `${project.abs(file)}: no SvelteKit adapter found: npm install --save-dev ${NODE_ADAPTER} and pass \`adapter: adapter()\` (import adapter from '${NODE_ADAPTER}') to sveltekit() so that vite build writes a Node server`,
      );
    }
    if (adapter.specifier !== NODE_ADAPTER) {
      throw new UserError(
        `${project.abs(config.file)}: ${adapter.specifier} doesn't build a Node server: npm install --save-dev ${NODE_ADAPTER} and import adapter from '${NODE_ADAPTER}' instead`,
      );
    }
    if (!project.hasDependency(NODE_ADAPTER)) {
      throw new UserError(
        `${project.abs('package.json')}: ${config.file} imports ${NODE_ADAPTER}, which is not a dependency: npm install --save-dev ${NODE_ADAPTER}`,
      );
    }

    const options = callArguments(config.text, adapter.name) ?? '';
    const out = normaliseRelative(stringProperty(options, 'out') ?? 'build');
    const envPrefix = stringProperty(options, 'envPrefix');
    // kit.paths.base prefixes every route.
    const basePath = /\bpaths\s*:\s*\{[^}]*\bbase\s*:\s*['"`]([^'"`]*)['"`]/.exec(config.text)?.[1] ?? '';
    const health = healthRoute(routes(project), basePath);
    return {
      evidence: 'dependency @sveltejs/kit',
      start: { value: ['node', out], source: `${config.file} (${NODE_ADAPTER})` },
      port: frameworkPort(project, 'adapter-node', 3000),
      ...(health ? { healthPath: health } : {}),
      outputDirs: [out, '.svelte-kit'],
      warnings: envPrefix
        ? [
            `${config.file}: adapter-node reads ${envPrefix}PORT and ${envPrefix}HOST (envPrefix), not the PORT the image sets: set ${envPrefix}PORT in the app's environment`,
          ]
        : [],
    };
  },
};

/** The config file that imports an adapter, else the first config file there is. */
function adapterConfig(project: Project): ConfigText | undefined {
  const configs = CONFIG_FILES.filter((file) => project.exists(file)).map((file) => readConfig(project, [file])!);
  return configs.find((config) => importedAs(config.text, ADAPTER_MODULE)) ?? configs[0];
}

/** src/routes/<path>/+server.js → /<path>; groups "(x)" don't count, parameters "[x]" can't be probed. */
function* routes(project: Project): Generator<[string, string]> {
  const root = 'src/routes';
  for (const file of moduleFiles(project, root)) {
    if (moduleBase(file) !== '+server') continue;
    const segments = path.posix.dirname(file).slice(root.length).split('/').filter(Boolean);
    if (segments.some((segment) => segment.includes('['))) continue;
    yield [urlPath(...segments.filter((segment) => !/^\(.*\)$/.test(segment))), file];
  }
}
