/**
 * Nx's `serve` (`nx serve`, `nx serve api`, `nx run api:serve`): a development server that runs the
 * build target's output with node, through nx, a devDependency. The container runs that output
 * directly; where it is comes from project.json (read, never by running nx).
 */
import path from 'node:path';
import { UserError } from '../errors.js';
import { normaliseRelative } from './config-text.js';
import type { Project } from './project.js';

interface NxTarget {
  executor?: unknown;
  options?: Record<string, unknown>;
}
interface NxProject {
  name?: unknown;
  targets?: Record<string, NxTarget>;
}

/** Executors of `serve` that run a build target's output with node (@nx, and @nrwl before Nx 16). */
const NODE_SERVE = /^@(nx|nrwl)\/(js|node):(node|execute)$/;
/** Build executors whose output entry is <outputPath>/<main's name>.js (they write that file, a wrapper for bundle: false included). */
const BUNDLERS = /^@(nx|nrwl)\/(esbuild:esbuild|webpack:webpack|node:webpack|rspack:rspack|rollup:rollup)$/;
/** Build executors that keep the source tree: <outputPath>/<main relative to the project>.js. */
const COMPILERS = /^@(nx|nrwl)\/js:(tsc|swc)$/;
/** Folders Nx workspaces keep applications in, for `nx serve <name>`. */
const PROJECT_FOLDERS = ['.', 'apps', 'packages'];

/** A JSON value that should be a string, as text ('' when it isn't one). */
const textOf = (value: unknown): string => (typeof value === 'string' ? value : '');

/** The project name and target of `nx serve [name]` / `nx run name:serve[:configuration]`; undefined for other nx commands. */
function serveTarget(args: readonly string[]): { name: string | undefined; target: string } | undefined {
  const positional = args.filter((arg) => !arg.startsWith('-'));
  if (positional[0] === 'run' && positional[1]) {
    const [name, target] = positional[1].split(':');
    return target ? { name, target } : undefined;
  }
  if (positional[0] === 'serve' || positional[0] === 'start') return { name: positional[1], target: positional[0] };
  return undefined;
}

/** project.json of the named project (or the root's, which a standalone Nx app has), with its folder. */
function findProject(project: Project, name: string | undefined): { file: string; dir: string; config: NxProject } | undefined {
  const candidates = PROJECT_FOLDERS.flatMap((folder) => (folder === '.' ? ['project.json'] : name ? [`${folder}/${name}/project.json`] : []));
  for (const file of candidates) {
    const config = project.readJson<NxProject>(file);
    if (!config || typeof config !== 'object') continue;
    if (name === undefined || config.name === name || file !== 'project.json') return { file, dir: path.posix.dirname(file), config };
  }
  return undefined;
}

/**
 * `node <the build's entry>` for an nx serve command, or undefined when the command isn't one.
 * Throws a UserError naming project.json when the serve or build target can't be read.
 */
export function nxServeCommand(project: Project, args: readonly string[], source: string): { argv: string[]; warning: string } | undefined {
  const serve = serveTarget(args);
  if (!serve) return undefined;
  const found = findProject(project, serve.name);
  const fix = `pass --start "node <the build's entry file>"`;
  if (!found) throw new UserError(`${project.abs('package.json')}: ${source} runs nx ${args.join(' ')}, but no project.json of that project was found: ${fix}`);
  const where = project.abs(found.file);
  const serveConfig = found.config.targets?.[serve.target];
  const executor = textOf(serveConfig?.executor);
  const buildTarget = serveConfig?.options?.buildTarget ?? serveConfig?.options?.buildTargetName;
  if (!NODE_SERVE.test(executor) || typeof buildTarget !== 'string') {
    throw new UserError(`${where}: target "${serve.target}" (executor ${executor || 'none'}) doesn't run a build's output with node: ${fix}`);
  }
  const [buildProject, buildName = 'build'] = buildTarget.split(':');
  const built = buildProject === found.config.name || buildProject === undefined ? found : findProject(project, buildProject);
  const build = built?.config.targets?.[buildName];
  const buildExecutor = textOf(build?.executor);
  const outputPath = build?.options?.outputPath;
  const main = build?.options?.main;
  if (!built || typeof outputPath !== 'string' || typeof main !== 'string') {
    throw new UserError(`${where}: the build target ${buildTarget} has no outputPath and main to run: ${fix}`);
  }
  const mainInProject = path.posix.relative(built.dir, normaliseRelative(main));
  const output = normaliseRelative(outputPath);
  let entry: string;
  if (BUNDLERS.test(buildExecutor)) entry = `${output}/${path.posix.basename(mainInProject).replace(/\.[cm]?[jt]sx?$/, '')}.js`;
  else if (COMPILERS.test(buildExecutor)) entry = `${output}/${mainInProject.replace(/\.[cm]?[jt]sx?$/, '')}.js`;
  else throw new UserError(`${where}: the build target ${buildTarget} uses ${buildExecutor || 'no executor'}, whose output file isn't known here: ${fix}`);
  const argv = ['node', entry];
  return {
    argv,
    warning: `runs nx ${args.join(' ')}, a development server through nx (a devDependency): the container runs the build's output with node instead (${argv.join(' ')}, from ${found.file})`,
  };
}
