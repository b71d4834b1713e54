/**
 * What the framework adapters have in common: reading config files as text (never running them),
 * turning file-based routes into a health path, the port the project shows, and the packages the
 * runtime image must install.
 */
import path from 'node:path';
import type { Project } from '../../project/project.js';
import { HEALTH_PATHS, scanPort } from '../../project/source-scan.js';
import { UserError } from '../../errors.js';
import type { Detected } from '../types.js';
import { withoutComments } from '../../project/config-text.js';

/** Extensions of route modules (endpoints, loaders, controllers). */
export const MODULE_EXTENSIONS = ['.ts', '.js', '.mts', '.mjs', '.cts', '.cjs', '.tsx', '.jsx'];

export interface ConfigText {
  file: string;
  /** The file's text without comments (a commented-out option doesn't count). */
  text: string;
}

/** The first of `candidates` that exists, read as text. */
export function readConfig(project: Project, candidates: readonly string[]): ConfigText | undefined {
  const file = project.firstExisting(candidates);
  return file === undefined ? undefined : { file, text: withoutComments(project.readText(file) ?? '') };
}

/**
 * The local name a module is imported under: `import node from '@astrojs/node'`,
 * `const node = require('@astrojs/node')`. `module` is a regex source matching the specifier.
 */
export function importedAs(text: string, module: string): { name: string; specifier: string } | undefined {
  const esm = new RegExp(`import\\s+([A-Za-z_$][\\w$]*)\\s*(?:,\\s*\\{[^}]*\\}\\s*)?from\\s*['"](${module})['"]`).exec(text);
  const cjs = new RegExp(`([A-Za-z_$][\\w$]*)\\s*=\\s*require\\(\\s*['"](${module})['"]\\s*\\)`).exec(text);
  const match = esm ?? cjs;
  return match ? { name: match[1]!, specifier: match[2]! } : undefined;
}

/** URL path from segments: empty ones dropped, "/" for none. */
export function urlPath(...segments: string[]): string {
  const parts = segments.flatMap((segment) => segment.split('/')).filter(Boolean);
  return `/${parts.join('/')}`;
}

/** The file name without its module extension ("health.get.ts" → "health.get"), or undefined. */
export function moduleBase(file: string): string | undefined {
  const name = path.posix.basename(file);
  const extension = MODULE_EXTENSIONS.find((ext) => name.endsWith(ext));
  return extension && !name.endsWith('.d.ts') ? name.slice(0, -extension.length) : undefined;
}

/**
 * Routes a framework serves, as URL path → the file that shows it; `routes` yields every
 * candidate and this keeps the most conventional health route (/health before /healthz …),
 * prefixed with the app's base path.
 */
export function healthRoute(routes: Iterable<[string, string]>, basePath = ''): Detected<string> | undefined {
  const found = new Map<string, string>();
  for (const [route, file] of routes) if (!found.has(route)) found.set(route, file);
  const best = HEALTH_PATHS.find((candidate) => found.has(candidate));
  return best ? { value: basePath && basePath !== '/' ? urlPath(basePath, best) : best, source: found.get(best)! } : undefined;
}

/** Module files under `dir` (recursive, relative to the project root, sorted). */
export function moduleFiles(project: Project, dir: string): string[] {
  return project.isDirectory(dir) ? project.sourceFiles([dir], MODULE_EXTENSIONS) : [];
}

/**
 * The port the project shows for a framework server: PORT in .env.example, then what the
 * framework's own configuration or scripts say (`shown`), then the framework's default.
 */
export function frameworkPort(project: Project, label: string, defaultPort: number, shown?: Detected<number>): Detected<number> {
  return scanPort(project, []) ?? shown ?? { value: defaultPort, source: `${label} default` };
}

/** `-p 4000`, `--port 4000` or `--port=4000` in a package.json script. */
export function scriptPort(project: Project, script: string): Detected<number> | undefined {
  const text = project.packageJson.scripts?.[script];
  const port = Number(/(?:^|\s)(?:-p|--port)(?:\s+|=)(\d{2,5})\b/.exec(text ?? '')?.[1]);
  return port > 0 && port < 65536 ? { value: port, source: `package.json#scripts.${script}` } : undefined;
}

/**
 * Fails when a package the running server imports is not a production dependency: the runtime
 * image installs production dependencies only, so the container would crash at start.
 */
export function requireProductionDependency(project: Project, name: string, why: string): void {
  if (project.isProductionDependency(name)) return;
  const file = project.abs('package.json');
  if (project.hasDependency(name)) {
    throw new UserError(
      `${file}: ${name} is a devDependency, but ${why} and the runtime image installs production dependencies only: move it to "dependencies"`,
    );
  }
  throw new UserError(`${file}: ${name} is not a dependency, but ${why}: add it (npm install ${name})`);
}

/** The first dependency of `names` the project has, as evidence ("dependency next"). */
export function dependencyEvidence(project: Project, names: readonly string[]): string | undefined {
  const name = names.find((candidate) => project.hasDependency(candidate));
  return name ? `dependency ${name}` : undefined;
}
