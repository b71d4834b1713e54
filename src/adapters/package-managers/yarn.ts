/**
 * Yarn 1 ("classic") and Yarn 2+ ("berry"), told apart by the version the project pins, then by
 * .yarnrc.yml (berry's configuration file), then by the lockfile format (berry's is YAML with
 * __metadata). Berry is supported with `nodeLinker: node-modules` only: under Plug'n'Play there
 * is no node_modules/.bin for the migrate target to run the tool's own binary from.
 */
import { parse as parseYaml } from 'yaml';
import type { Project } from '../../project/project.js';
import { firstLine } from '../../project/project.js';
import { UserError } from '../../errors.js';
import { plainProjectPath } from '../../shared/syntax.js';
import type { Detected, PackageManagerAdapter, PackageManagerDocker } from '../types.js';
import { defaultVersionWarning, majorOf, noLockfileWarning, npmGlobalInstall, present } from './shared.js';
import { yarnLockfile } from '../../shared/assets.js';

const LOCKFILE = 'yarn.lock';
const BERRY_RC = '.yarnrc.yml';
const CLASSIC_RC = '.yarnrc';

/** Yarn 1 installed when the project pins none: the last release of the line. */
export const YARN_CLASSIC_DEFAULT = '1.22.22';
/**
 * Yarn 2+ installed when the project pins none, and the yarn.lock `__metadata.version` it
 * writes: --immutable fails when the installed Yarn would rewrite the lockfile's format, so the
 * default is used only for lockfiles of that format.
 */
export const YARN_BERRY_DEFAULT = '4.18.1';
export const YARN_BERRY_DEFAULT_LOCKFILE_FORMAT = 10;

/** Where Yarn 1 and Yarn 2+ keep their download caches as root, set explicitly in the image. */
const CLASSIC_CACHE = '/usr/local/share/.cache/yarn';
const BERRY_GLOBAL_FOLDER = '/root/.yarn/berry';

export type YarnFlavor = 'classic' | 'berry';

interface YarnRc {
  nodeLinker?: unknown;
  yarnPath?: unknown;
  plugins?: unknown;
}

function readBerryRc(project: Project): YarnRc | undefined {
  const rc = project.readYaml<YarnRc | null>(BERRY_RC);
  if (rc === undefined) return undefined;
  if (rc === null) return {}; // an empty file: every setting at its default
  if (typeof rc !== 'object' || Array.isArray(rc)) throw new UserError(`${project.abs(BERRY_RC)}: expected key: value settings: fix the file`);
  return rc;
}

/** The version in a release file name: ".yarn/releases/yarn-4.5.3.cjs" → "4.5.3". */
function versionInReleasePath(releasePath: string): string | undefined {
  return /yarn-(\d+\.\d+\.\d+(?:-[\w.]+)?)\.c?js$/.exec(releasePath)?.[1];
}

/** Yarn 1's `yarn-path` setting in .yarnrc (a yarn-path "…" line). */
function classicYarnPath(project: Project): string | undefined {
  const text = project.readText(CLASSIC_RC);
  return text ? /^\s*yarn-path\s+"?([^"\n]+?)"?\s*$/m.exec(text)?.[1] : undefined;
}

/** __metadata.version of a berry lockfile, or undefined for a Yarn 1 lockfile. */
function berryLockfileFormat(project: Project): number | undefined {
  const text = project.readText(LOCKFILE);
  if (text === undefined || !/^__metadata:/m.test(text)) return undefined;
  const version = Number(/^__metadata:\s*\n\s+version:\s*(\d+)/m.exec(text)?.[1]);
  return Number.isFinite(version) ? version : 0;
}

export function yarnFlavor(project: Project, version: string | undefined): YarnFlavor {
  const major = majorOf(version);
  if (major !== undefined) return major >= 2 ? 'berry' : 'classic';
  return project.exists(BERRY_RC) || berryLockfileFormat(project) !== undefined ? 'berry' : 'classic';
}

/** Package names of a Yarn 1 lockfile: "@scope/a@^1.0.0" keys → "@scope/a". */
function classicPackages(project: Project, text: string): Set<string> {
  return new Set(Object.keys(classicLock(project, text)).map(nameBeforeRange));
}

/** The entries of a Yarn 1 lockfile, by descriptor ("@scope/a@^1.0.0"); a UserError naming the file when it can't be read. */
function classicLock(project: Project, text: string): Record<string, unknown> {
  // The parser never returns on an unterminated string (it grows the string until memory runs
  // out): the format has no multi-line strings, so an odd number of quotes on a line is that.
  const unterminated = text.split('\n').findIndex((line) => !line.trimStart().startsWith('#') && (line.replace(/\\./g, '').match(/"/g)?.length ?? 0) % 2 === 1);
  if (unterminated >= 0) {
    throw new UserError(
      `${project.abs(LOCKFILE)}: not a readable Yarn lockfile (unterminated string on line ${unterminated + 1}): run yarn install to regenerate it`,
    );
  }
  let parsed: ReturnType<ReturnType<typeof yarnLockfile>['parse']>;
  try {
    parsed = yarnLockfile().parse(text, project.abs(LOCKFILE));
  } catch (error) {
    throw new UserError(`${project.abs(LOCKFILE)}: not a readable Yarn lockfile (${firstLine((error as Error).message)}): run yarn install to regenerate it`);
  }
  if (parsed.type !== 'success') {
    throw new UserError(`${project.abs(LOCKFILE)}: has unresolved merge conflict markers: run yarn install to resolve them, then commit it`);
  }
  return parsed.object;
}

/** Package names of a berry lockfile (YAML): each entry's resolution "a@npm:1.2.3" → "a". */
function berryPackages(project: Project, text: string): Set<string> {
  const names = new Set<string>();
  for (const [key, entry] of Object.entries(berryLock(project, text))) {
    if (key === '__metadata') continue;
    const resolution = (entry as { resolution?: unknown } | null)?.resolution;
    names.add(nameBeforeRange(typeof resolution === 'string' ? resolution : key.split(',')[0]!.trim()));
  }
  return names;
}

/** The entries of a berry lockfile (YAML), by their comma-joined descriptors; a UserError naming the file when it can't be read. */
function berryLock(project: Project, text: string): Record<string, unknown> {
  let lock: unknown;
  try {
    lock = parseYaml(text);
  } catch (error) {
    throw new UserError(`${project.abs(LOCKFILE)}: invalid YAML (${firstLine((error as Error).message)}): run yarn install to regenerate it`);
  }
  if (typeof lock !== 'object' || lock === null) throw new UserError(`${project.abs(LOCKFILE)}: not a Yarn lockfile: run yarn install to regenerate it`);
  return lock as Record<string, unknown>;
}

/**
 * The version a lockfile (either format) installs of a direct dependency: the entry of the
 * descriptor package.json asks for ("knex@^3.1.0", berry's "knex@npm:^3.1.0"), else the only
 * version the lockfile has of the package.
 */
function lockedVersionIn(project: Project, text: string, name: string): string | undefined {
  const berry = berryLockfileFormat(project) !== undefined;
  const lock = berry ? berryLock(project, text) : classicLock(project, text);
  const range = project.allDependencies[name];
  const wanted = range === undefined ? [] : [`${name}@${range}`, `${name}@npm:${range}`];
  const versions = new Map<string, string>();
  for (const [key, entry] of Object.entries(lock)) {
    const version = (entry as { version?: unknown } | null)?.version;
    if (key === '__metadata' || typeof version !== 'string') continue;
    for (const descriptor of key.split(',').map((part) => part.trim().replace(/^"|"$/g, ''))) {
      if (nameBeforeRange(descriptor) === name) versions.set(descriptor, version);
    }
  }
  const exact = wanted.map((descriptor) => versions.get(descriptor)).find((version) => version !== undefined);
  const all = new Set(versions.values());
  return exact ?? (all.size === 1 ? [...all][0] : undefined);
}

/** "@scope/a@npm:^1.0.0" or "a@^1.0.0" → the package name (a scope's @ is not a separator). */
function nameBeforeRange(descriptor: string): string {
  const at = descriptor.indexOf('@', 1);
  return at > 0 ? descriptor.slice(0, at) : descriptor;
}

/** What to copy for a release file: its directory (a COPY of several files flattens paths), or itself at the root. */
function copyEntry(file: string): string {
  return file.includes('/') ? file.slice(0, file.lastIndexOf('/')) : file;
}

function classicDocker(project: Project, version: string | undefined): PackageManagerDocker {
  const warnings: string[] = [];
  const pinned = version ?? YARN_CLASSIC_DEFAULT;
  if (!version) warnings.push(defaultVersionWarning('Yarn', pinned, 'the last Yarn 1 release', 'yarn'));
  // A yarn-path release in .yarnrc is what any yarn 1 delegates to: it must be in the image too.
  const releasePath = classicYarnPath(project)?.replace(/^\.\//, '');
  const release = releasePath ? copyEntry(releasePath) : undefined;
  const locked = project.exists(LOCKFILE);
  if (!locked) warnings.push(noLockfileWarning('yarn install', LOCKFILE));
  return {
    setup: [npmGlobalInstall('yarn', pinned, { force: true })],
    env: { YARN_CACHE_FOLDER: CLASSIC_CACHE },
    installFiles: ['package.json', ...(locked ? [LOCKFILE] : []), ...present(project, [CLASSIC_RC, '.npmrc', ...(release ? [release] : [])])],
    cacheTarget: CLASSIC_CACHE,
    installAll: locked ? 'yarn install --frozen-lockfile' : 'yarn install',
    installProd: locked ? 'yarn install --production --frozen-lockfile' : 'yarn install --production',
    runScript: 'yarn run',
    warnings,
    ...(locked ? {} : { unlocked: true as const }),
  };
}

function berryDocker(project: Project, version: string | undefined): PackageManagerDocker {
  const rc = readBerryRc(project) ?? {};
  if (rc.nodeLinker !== 'node-modules') {
    const now =
      rc.nodeLinker === undefined
        ? "Plug'n'Play, Yarn's default"
        : `nodeLinker: ${typeof rc.nodeLinker === 'string' ? rc.nodeLinker : JSON.stringify(rc.nodeLinker)}`;
    throw new UserError(
      `${project.abs(BERRY_RC)}: Yarn uses ${now}, which has no node_modules/.bin for the migrate step: add "nodeLinker: node-modules" to it and run yarn install`,
    );
  }

  const warnings: string[] = [];
  const yarnPath = typeof rc.yarnPath === 'string' ? rc.yarnPath.replace(/^\.\//, '') : undefined;
  if (yarnPath !== undefined && !project.exists(yarnPath)) {
    throw new UserError(`${project.abs(BERRY_RC)}: yarnPath ${yarnPath} does not exist: commit the release (git add -f ${yarnPath}) or remove yarnPath`);
  }
  // Every RUN line holds it among other words (node <yarnPath> install): a plain path only.
  if (yarnPath !== undefined) plainProjectPath(yarnPath, `${project.abs(BERRY_RC)}: yarnPath`);
  let pinned = version ?? (yarnPath ? versionInReleasePath(yarnPath) : undefined);
  if (!pinned && !yarnPath) {
    const format = berryLockfileFormat(project);
    if (format !== undefined && format !== YARN_BERRY_DEFAULT_LOCKFILE_FORMAT) {
      throw new UserError(
        `${project.abs(LOCKFILE)}: written by a Yarn other than ${YARN_BERRY_DEFAULT} (__metadata.version ${format}), and the project pins no Yarn version: add "packageManager": "yarn@<version>" (yarn --version) to package.json`,
      );
    }
    pinned = YARN_BERRY_DEFAULT;
    warnings.push(defaultVersionWarning('Yarn', pinned, `it writes yarn.lock format ${YARN_BERRY_DEFAULT_LOCKFILE_FORMAT}`, 'yarn'));
  }

  // `workspaces focus` (the production-only install) is built into Yarn 4; Yarn 2 and 3 need the plugin.
  const plugins = Array.isArray(rc.plugins) ? rc.plugins.map((plugin) => JSON.stringify(plugin)) : [];
  const major = majorOf(pinned);
  if (major !== undefined && major < 4 && !plugins.some((plugin) => plugin.includes('workspace-tools'))) {
    throw new UserError(
      `${project.abs(BERRY_RC)}: Yarn ${pinned} needs the workspace-tools plugin for a production-only install: run yarn plugin import workspace-tools and commit .yarn/plugins`,
    );
  }

  // A committed release runs as it is; otherwise Yarn's own npm distribution of the CLI.
  const yarn = yarnPath ? `node ${yarnPath}` : 'yarn';
  const releaseDirectory = yarnPath ? copyEntry(yarnPath) : undefined;
  const locked = project.exists(LOCKFILE);
  if (!locked) warnings.push(noLockfileWarning('yarn install', LOCKFILE));
  return {
    setup: yarnPath ? [] : [npmGlobalInstall('@yarnpkg/cli-dist', pinned!, { force: true })],
    // The global cache, whatever the project's enableGlobalCache: the cache mount is that folder.
    env: { YARN_ENABLE_GLOBAL_CACHE: 'true', YARN_GLOBAL_FOLDER: BERRY_GLOBAL_FOLDER, YARN_ENABLE_TELEMETRY: '0' },
    installFiles: [
      'package.json',
      ...(locked ? [LOCKFILE] : []),
      BERRY_RC,
      ...present(project, ['.npmrc', ...(releaseDirectory ? [releaseDirectory] : []), '.yarn/plugins', '.yarn/patches']),
    ],
    cacheTarget: `${BERRY_GLOBAL_FOLDER}/cache`,
    installAll: `${yarn} install ${locked ? '--immutable' : '--no-immutable'}`,
    installProd: `${yarn} workspaces focus --all --production`,
    runScript: `${yarn} run`,
    warnings,
    ...(locked ? {} : { unlocked: true as const }),
    // The image installs into node_modules from the mounted global cache: a committed or local
    // project cache (zero-installs) and install state would only bloat the context and the runtime.
    contextIgnores: ['.yarn/cache', '.yarn/install-state.gz', '.yarn/unplugged', '.pnp.*'],
  };
}

export const yarn: PackageManagerAdapter = {
  id: 'yarn',
  label: 'Yarn',
  lockfiles: [LOCKFILE],
  hoistsDependencies: true,
  versionFromProject(project): Detected<string> | undefined {
    const berryPath = readBerryRc(project)?.yarnPath;
    const berryVersion = typeof berryPath === 'string' ? versionInReleasePath(berryPath) : undefined;
    if (berryVersion) return { value: berryVersion, source: `${BERRY_RC} yarnPath` };
    const classicPath = classicYarnPath(project);
    const classicVersion = classicPath ? versionInReleasePath(classicPath) : undefined;
    return classicVersion ? { value: classicVersion, source: `${CLASSIC_RC} yarn-path` } : undefined;
  },
  lockedPackages(project) {
    const text = project.readText(LOCKFILE);
    if (text === undefined) return new Set();
    return berryLockfileFormat(project) === undefined ? classicPackages(project, text) : berryPackages(project, text);
  },
  lockedVersion(project, name) {
    const text = project.readText(LOCKFILE);
    return text === undefined ? undefined : lockedVersionIn(project, text, name);
  },
  docker(project, version) {
    return yarnFlavor(project, version) === 'berry' ? berryDocker(project, version) : classicDocker(project, version);
  },
};
