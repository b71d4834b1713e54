import { isGap, settle } from '../../project/detected.js';
import type { Project } from '../../project/project.js';
import { resolveStartCommand, type ScriptReading } from '../../project/scripts.js';
import type { Finding, FrameworkAdapter } from '../types.js';
import { dependencyEvidence, frameworkPort, healthRoute, MODULE_EXTENSIONS, moduleBase, readConfig, requireProductionDependency, urlPath } from './shared.js';
import { callArguments, normaliseRelative, stringProperty } from '../../project/config-text.js';

const VITE_CONFIGS = ['vite.config.ts', 'vite.config.js', 'vite.config.mts', 'vite.config.mjs'];
const CLASSIC_CONFIGS = ['remix.config.js', 'remix.config.mjs', 'remix.config.cjs'];

/**
 * Remix v2, built with Vite (build/server/index.js) or the classic compiler (build/index.js), and
 * served by `remix-serve` (from @remix-run/serve, a production dependency) or by the project's
 * own server (`node server.js`). The runtime image gets the tree and production dependencies.
 */
export const remix: FrameworkAdapter = {
  id: 'remix',
  label: 'Remix',
  detect(project, { scripts }) {
    const evidence = dependencyEvidence(project, ['@remix-run/dev', '@remix-run/serve', '@remix-run/node']);
    if (!evidence) return undefined;
    const vite = readConfig(project, VITE_CONFIGS);
    const viteOptions =
      vite && /@remix-run\/dev/.test(vite.text) ? (callArguments(vite.text, 'remix') ?? callArguments(vite.text, 'vitePlugin') ?? '') : undefined;
    let serverBuild: string;
    let outputDirs: string[];
    if (viteOptions !== undefined) {
      const buildDirectory = normaliseRelative(stringProperty(viteOptions, 'buildDirectory') ?? 'build');
      serverBuild = `${buildDirectory}/server/${stringProperty(viteOptions, 'serverBuildFile') ?? 'index.js'}`;
      outputDirs = [buildDirectory];
    } else {
      const classic = readConfig(project, CLASSIC_CONFIGS);
      serverBuild = normaliseRelative(stringProperty(classic?.text ?? '', 'serverBuildPath') ?? 'build/index.js');
      const assets = normaliseRelative(stringProperty(classic?.text ?? '', 'assetsBuildDirectory') ?? 'public/build');
      outputDirs = [...new Set([serverBuild.split('/')[0]!, assets, '.cache'])];
    }
    const start = serverStart(project, scripts, { binary: 'remix-serve', package: '@remix-run/serve', serverBuild });
    const health = healthRoute(flatRoutes(project, 'app/routes'));
    return {
      evidence,
      ...(start ? { start: start.command } : {}),
      port: frameworkPort(project, 'remix-serve', 3000),
      ...(health ? { healthPath: health } : {}),
      outputDirs,
      warnings: start?.warnings ?? [],
    };
  },
  serverFromScript: ([program, ...args]) => serveBinary('remix-serve', program, args),
};

/** A framework's server CLI runs from node_modules/.bin: the image's PATH doesn't have it (a node script: node still gets the signals). */
export function serveBinary(binary: string, program: string | undefined, args: string[]): { argv: string[] } | undefined {
  return program === binary ? { argv: [`node_modules/.bin/${binary}`, ...args] } : undefined;
}

export interface ServeBinary {
  /** The framework's server CLI, e.g. react-router-serve. */
  binary: string;
  /** The package that provides it, which the runtime image must install. */
  package: string;
  /** The server build it serves by default. */
  serverBuild: string;
}

/**
 * The container's command: scripts.start when it runs the framework's server or node (a custom
 * server), else the framework's server on the default build. The server CLI runs from
 * node_modules/.bin (a node script: node itself gets the signals).
 */
export function serverStart(project: Project, scripts: ScriptReading, serve: ServeBinary): { command: Finding<string[]>; warnings: string[] } | undefined {
  const resolved = settle(() => serverCommand(project, scripts, serve));
  return isGap(resolved) ? { command: resolved, warnings: [] } : resolved;
}

function serverCommand(project: Project, scripts: ScriptReading, serve: ServeBinary): { command: Finding<string[]>; warnings: string[] } | undefined {
  const warnings: string[] = [];
  const binary = `node_modules/.bin/${serve.binary}`;
  if (project.packageJson.scripts?.start !== undefined) {
    const start = resolveStartCommand(project, scripts)!;
    if (start.argv[0] === binary) requireProductionDependency(project, serve.package, `scripts.start runs ${serve.binary}`);
    if (start.argv[0] === 'node' || start.argv[0] === binary) return { command: { value: start.argv, source: start.source }, warnings: start.warnings };
    warnings.push(`scripts.start ("${project.packageJson.scripts.start}") is not a production server: the container runs ${serve.binary} ${serve.serverBuild}`);
  }
  if (!project.hasDependency(serve.package)) return undefined;
  requireProductionDependency(project, serve.package, `the container runs ${serve.binary}`);
  return { command: { value: [binary, serve.serverBuild], source: `${serve.package} default` }, warnings };
}

/**
 * Remix's flat routes (also React Router's @react-router/fs-routes): a module, or a folder with a
 * route module, per route under `dir`; dots separate segments, `_index` is the parent, `_x` is a
 * pathless layout, `x_` escapes nesting, `$x` is a parameter (never a fixed health URL).
 */
export function* flatRoutes(project: Project, dir: string): Generator<[string, string]> {
  for (const entry of project.list(dir)) {
    const file = `${dir}/${entry}`;
    let name: string | undefined;
    if (project.isDirectory(file)) {
      const module = project.list(file).find((child) => moduleBase(child) === 'route' && MODULE_EXTENSIONS.some((ext) => child.endsWith(ext)));
      name = module ? entry : undefined;
    } else {
      name = moduleBase(entry);
    }
    if (name === undefined) continue;
    const segments = name
      .replace(/\[\.\]/g, '\u0000')
      .split('.')
      .map((segment) => segment.replace(/\u0000/g, '.'));
    if (segments.some((segment) => segment.startsWith('$') || segment.includes('('))) continue;
    const url = segments.filter((segment) => segment !== '_index' && !segment.startsWith('_')).map((segment) => segment.replace(/_$/, ''));
    yield [urlPath(...url), file];
  }
}
