import path from 'node:path';
import type { Project } from '../../project/project.js';
import { UserError } from '../../errors.js';
import type { FrameworkAdapter } from '../types.js';
import { frameworkPort, healthRoute, importedAs, moduleBase, moduleFiles, readConfig, requireProductionDependency, urlPath } from './shared.js';
import { callArguments, normaliseRelative, stringProperty } from '../../project/config-text.js';

const CONFIG_FILES = ['astro.config.mjs', 'astro.config.ts', 'astro.config.js', 'astro.config.mts', 'astro.config.cjs', 'astro.config.cts'];
const NODE_ADAPTER = '@astrojs/node';
const ADD_ADAPTER = `npx astro add node, or: npm install ${NODE_ADAPTER} and set adapter: node({ mode: 'standalone' })`;

/**
 * Astro with @astrojs/node in standalone mode: `astro build` writes a Node server to
 * dist/server/entry.mjs that imports astro and the adapter from node_modules (production
 * dependencies). It binds localhost unless HOST says otherwise. Without that adapter (static
 * output, another host's adapter, middleware mode) there is no server to run: detection stops
 * and says what to change.
 */
export const astro: FrameworkAdapter = {
  id: 'astro',
  label: 'Astro',
  detect(project) {
    if (!project.hasDependency('astro')) return undefined;
    const config = readConfig(project, CONFIG_FILES);
    const file = project.abs(config?.file ?? 'astro.config.mjs');
    const adapter = config && importedAs(config.text, String.raw`@astrojs/[\w-]+|astro-[\w-]+`);
    const adapterCall = config && /\badapter\s*:\s*([A-Za-z_$][\w$]*)\s*\(/.exec(config.text)?.[1];
    if (!config || !adapterCall)
      throw new UserError(`${file}: no server adapter: every page is prerendered and there is no Node server to run: ${ADD_ADAPTER}`);
    const nodeAdapter = importedAs(config.text, NODE_ADAPTER);
    if (!nodeAdapter || nodeAdapter.name !== adapterCall) {
      throw new UserError(
        `${file}: the adapter${adapter && adapter.name === adapterCall ? ` ${adapter.specifier}` : ''} doesn't build a Node server: ${ADD_ADAPTER}`,
      );
    }
    const mode = stringProperty(callArguments(config.text, nodeAdapter.name) ?? '', 'mode');
    if (mode !== 'standalone') {
      throw new UserError(
        `${file}: ${NODE_ADAPTER} ${mode ? `mode '${mode}'` : 'without a mode'} builds no server of its own: set adapter: ${nodeAdapter.name}({ mode: 'standalone' })`,
      );
    }
    const entry = 'the server (dist/server/entry.mjs) imports it';
    requireProductionDependency(project, NODE_ADAPTER, entry);
    requireProductionDependency(project, 'astro', entry);

    const outDir = normaliseRelative(stringProperty(config.text, 'outDir') ?? 'dist');
    const serverDir = normaliseRelative(path.posix.join(outDir, stringProperty(config.text, 'server') ?? 'server'));
    const serverEntry = stringProperty(config.text, 'serverEntry') ?? 'entry.mjs';
    const srcDir = normaliseRelative(stringProperty(config.text, 'srcDir') ?? 'src');
    const configPort = Number(/\bserver\s*:\s*\{[^}]*\bport\s*:\s*(\d{2,5})\b/.exec(config.text)?.[1]);
    const health = healthRoute(routes(project, `${srcDir}/pages`), stringProperty(config.text, 'base') ?? '');
    return {
      evidence: 'dependency astro',
      start: { value: ['node', `${serverDir}/${serverEntry}`], source: `${config.file} (${NODE_ADAPTER} standalone)` },
      port: frameworkPort(project, 'Astro', 4321, configPort > 0 ? { value: configPort, source: config.file } : undefined),
      ...(health ? { healthPath: health } : {}),
      outputDirs: [outDir, '.astro'],
      // The standalone server listens on localhost only unless HOST is set.
      env: { HOST: '0.0.0.0' },
      buildEnv: { ASTRO_TELEMETRY_DISABLED: '1' },
    };
  },
};

/** Endpoints under src/pages: health.ts → /health, api/health/index.ts → /api/health; `_x` is ignored. */
function* routes(project: Project, pages: string): Generator<[string, string]> {
  for (const file of moduleFiles(project, pages)) {
    const base = moduleBase(file) ?? '';
    const segments = [...path.posix.dirname(file).slice(pages.length).split('/'), base === 'index' ? '' : base];
    if (segments.some((segment) => segment.startsWith('_') || segment.includes('['))) continue;
    yield [urlPath(...segments), file];
  }
}
