import { posix } from 'node:path';
import type { Project } from '../../project/project.js';
import { UserError } from '../../errors.js';
import type { FrameworkAdapter } from '../types.js';
import { flatRoutes, serveBinary, serverStart } from './remix.js';
import { frameworkPort, healthRoute, readConfig, urlPath } from './shared.js';
import { callArguments, normaliseRelative, stringProperty } from '../../project/config-text.js';

const CONFIG_FILES = ['react-router.config.ts', 'react-router.config.js', 'react-router.config.mts', 'react-router.config.mjs'];

/**
 * React Router 7+ in framework mode (@react-router/dev, Remix's successor): `react-router build`
 * writes build/server/index.js, served by `react-router-serve` (from @react-router/serve, a
 * production dependency) or by the project's own server. SPA mode (`ssr: false`) builds no
 * server: detection stops and says so.
 */
export const reactRouter: FrameworkAdapter = {
  id: 'react-router',
  label: 'React Router (framework mode)',
  detect(project, { scripts }) {
    if (!project.hasDependency('@react-router/dev')) return undefined;
    const config = readConfig(project, CONFIG_FILES);
    if (config && /\bssr\s*:\s*false\b/.test(config.text)) {
      throw new UserError(
        `${project.abs(config.file)}: ssr: false (SPA mode) builds static files with no Node server to run: set ssr: true, or serve build/client with any static web server`,
      );
    }
    const buildDirectory = normaliseRelative(stringProperty(config?.text ?? '', 'buildDirectory') ?? 'build');
    const serverBuild = `${buildDirectory}/server/${stringProperty(config?.text ?? '', 'serverBuildFile') ?? 'index.js'}`;
    const appDirectory = normaliseRelative(stringProperty(config?.text ?? '', 'appDirectory') ?? 'app');
    const start = serverStart(project, scripts, { binary: 'react-router-serve', package: '@react-router/serve', serverBuild });
    const basename = stringProperty(config?.text ?? '', 'basename') ?? '';
    const health = healthRoute(routes(project, appDirectory), basename);
    return {
      evidence: 'dependency @react-router/dev',
      ...(start ? { start: start.command } : {}),
      port: frameworkPort(project, 'react-router-serve', 3000),
      ...(health ? { healthPath: health } : {}),
      outputDirs: [buildDirectory, '.react-router'],
      warnings: start?.warnings ?? [],
    };
  },
  serverFromScript: ([program, ...args]) => serveBinary('react-router-serve', program, args),
};

/**
 * Routes of app/routes.ts: `route('health', 'routes/health.ts')` calls with a fixed path, and the
 * file conventions of flatRoutes() when it is used. Paths nested under prefix() or a parent
 * route's path are not resolved.
 */
function* routes(project: Project, appDirectory: string): Generator<[string, string]> {
  const config = readConfig(
    project,
    ['ts', 'js', 'mts', 'mjs'].map((ext) => `${appDirectory}/routes.${ext}`),
  );
  if (!config) return;
  const { text } = config;
  for (const match of text.matchAll(/(?<![\w$.])route\(\s*(['"`])([^'"`]*)\1\s*,\s*(['"`])([^'"`]*)\3/g)) {
    const path = match[2]!;
    if (!path.includes(':') && !path.includes('*')) yield [urlPath(path), posix.join(appDirectory, match[4]!)];
  }
  const flat = callArguments(text, 'flatRoutes');
  if (flat !== undefined) {
    yield* flatRoutes(project, `${appDirectory}/${normaliseRelative(stringProperty(flat, 'rootDirectory') ?? 'routes')}`);
  }
}
