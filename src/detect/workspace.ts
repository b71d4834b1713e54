/**
 * One app of a workspace (monorepo): the root holds the package manager, its lockfile and
 * configuration, the Node version and .npmrc; the app's folder holds what the app is; the
 * migration tool may be set up in the app or in a workspace it depends on (packages/db). The
 * image installs the subset of the workspace the app needs, with the manager's own workspace
 * tooling, from the root's files and the manifests of that subset only.
 */
import path from 'node:path';
import semver from 'semver';
import type { PackageManagerDocker, PackageManagerId } from '../adapters/types.js';
import { UserError } from '../errors.js';
import type { Detected } from '../project/detected.js';
import { Project } from '../project/project.js';
import { catalogRange, readWorkspaceLayout, workspaceDependencies, type WorkspaceLayout, type WorkspacePackage } from '../project/workspace.js';

/** Which app of which workspace: decided before detection (--app, the saved answer, the folder it ran in, the prompt). */
export interface WorkspaceSelection {
  /** The workspace root (absolute). */
  root: string;
  /** The app's folder relative to the root ("apps/api"). */
  app: string;
  /** How it was chosen, for the summary ("--app", "the folder it ran in", …). */
  source: string;
}

/** A workspace package the app depends on. */
export interface WorkspaceMember {
  /** Its folder relative to the root. */
  dir: string;
  name?: string;
  /** Whether it has a build script (the image builds it before the app). */
  build: boolean;
  /** Its install hooks (postinstall, prepare, …) by name. */
  installHooks: Record<string, string>;
}

export interface WorkspaceFacts {
  /** The workspace root (absolute): the build context. */
  root: string;
  /** The app's folder relative to the root. */
  app: string;
  appName?: string;
  /** How the app was chosen. */
  source: string;
  /** The folder the files are written to, relative to the root ("" for the root itself). */
  output: string;
  /** Where the workspaces are declared. */
  declaredIn: string;
  /** The workspace patterns (apps/*, packages/*): kept out of the build context, but for the app's subset. */
  patterns: string[];
  /** The workspaces the app depends on, transitively, dependencies first. */
  members: WorkspaceMember[];
  /** The root package.json's install hooks by name. */
  rootInstallHooks: Record<string, string>;
  /** turbo.json at the root (Turborepo). */
  turbo: boolean;
  /** The turbo the root's lockfile installs (pnpm's), when the repository uses Turborepo: the image prunes the workspace with it. */
  turboVersion?: string;
}

/** The projects detection reads in a workspace. */
export interface OpenWorkspace {
  facts: WorkspaceFacts;
  layout: WorkspaceLayout;
  /** The root, the app, and where the files are written. */
  root: Project;
  app: Project;
  output: Project;
  /** The app's workspace dependencies, each as a project of its own. */
  dependencies: { member: WorkspacePackage; project: Project }[];
}

/** Install hooks the managers run for a package itself (npm's lifecycle order). */
const INSTALL_HOOKS = ['preinstall', 'install', 'postinstall', 'prepublish', 'preprepare', 'prepare', 'postprepare'] as const;

function hooksOf(scripts: Record<string, string> | undefined): Record<string, string> {
  return Object.fromEntries(INSTALL_HOOKS.filter((name) => typeof scripts?.[name] === 'string').map((name) => [name, scripts![name]!]));
}

/** The workspace of a selection, read; a UserError when the root declares no workspaces or the app isn't one of them. */
export function openWorkspace(outputDir: string, selection: WorkspaceSelection): OpenWorkspace {
  const root = new Project(selection.root);
  const layout = readWorkspaceLayout(root);
  if (!layout)
    throw new UserError(`${root.abs('package.json')}: declares no workspaces (package.json#workspaces, pnpm-workspace.yaml): --app is for a workspace root`);
  const member = layout.packages.find((pkg) => pkg.dir === selection.app);
  if (!member) {
    throw new UserError(
      `--app ${selection.app}: not a workspace of ${root.root} (its workspaces: ${layout.packages.map((pkg) => pkg.dir).join(', ') || 'none'}): name one of them`,
    );
  }
  const app = new Project(path.join(root.root, member.dir), { within: root.root });
  const outputRel = path.relative(path.resolve(selection.root), path.resolve(outputDir)).split(path.sep).join('/');
  const output = outputRel === '' ? root : outputRel === member.dir ? app : new Project(outputDir);
  const dependencies = workspaceDependencies(layout, member).map((dependency) => ({
    member: dependency,
    project: new Project(path.join(root.root, dependency.dir), { within: root.root }),
  }));
  return {
    layout,
    root,
    app,
    output,
    dependencies,
    facts: {
      root: root.root,
      app: member.dir,
      ...(member.name ? { appName: member.name } : {}),
      source: selection.source,
      output: outputRel,
      declaredIn: layout.declaredIn,
      patterns: layout.patterns,
      members: dependencies.map(({ member: dependency, project }) => ({
        dir: dependency.dir,
        ...(dependency.name ? { name: dependency.name } : {}),
        build: typeof project.packageJson.scripts?.build === 'string',
        installHooks: hooksOf(project.packageJson.scripts),
      })),
      rootInstallHooks: hooksOf(root.packageJson.scripts),
      turbo: root.exists('turbo.json'),
    },
  };
}

/** A package name safe in a shell word and in a manager's filter (npm's rules for names). */
const PACKAGE_NAME = /^(@[a-z0-9][\w.-]*\/)?[a-z0-9][\w.-]*$/i;

/**
 * How a manager installs the app's subset of the workspace: the root's install files plus the
 * package.json of the app and of each workspace it depends on (nothing else of the workspace, so
 * that a change elsewhere leaves the install layer cached), and the manager's own filtered install.
 */
export function workspaceInstall(manager: PackageManagerId, docker: PackageManagerDocker, workspace: OpenWorkspace): PackageManagerDocker {
  const { facts } = workspace;
  if (docker.unlocked) {
    throw new UserError(
      `${workspace.root.root}: the workspace has no lockfile: run ${manager} install at its root and commit the lockfile (the image installs one app's part of it)`,
    );
  }
  const name = facts.appName;
  const manifests = [facts.app, ...facts.members.map((member) => member.dir)].map((dir) => `${dir}/package.json`);
  const needsName = (tool: string) => {
    if (!name || !PACKAGE_NAME.test(name)) {
      throw new UserError(`${workspace.app.abs('package.json')}: ${tool} selects the app's workspace by its package name: give it a "name" (e.g. "@acme/api")`);
    }
    return name;
  };
  let installAll: string;
  let installProd: string;
  switch (manager) {
    case 'pnpm': {
      // The app and the workspaces it depends on ("<name>..."), from the root's lockfile and catalogs.
      const filter = `--filter ${needsName('pnpm --filter')}...`;
      installAll = docker.installAll.replace(/^pnpm install /, `pnpm install ${filter} `);
      installProd = docker.installProd.replace(/^pnpm install /, `pnpm install ${filter} `);
      break;
    }
    case 'npm':
      installAll = `npm ci --workspace ${facts.app}`;
      installProd = `npm ci --workspace ${facts.app} --omit=dev`;
      break;
    case 'yarn': {
      const yarn = docker.runScript.replace(/ run$/, '');
      if (!docker.installProd.includes('workspaces focus')) {
        throw new UserError(
          `${workspace.root.abs('yarn.lock')}: Yarn 1 can't install one workspace alone (Yarn 2+ has yarn workspaces focus): not supported yet; run create-migrating-stack on a Yarn 4 workspace, or generate for the whole repository's own Dockerfile by hand`,
        );
      }
      installAll = `${yarn} workspaces focus ${needsName('yarn workspaces focus')}`;
      installProd = `${yarn} workspaces focus ${needsName('yarn workspaces focus')} --production`;
      break;
    }
    case 'bun': {
      const filter = `--filter ${needsName('bun install --filter')}`;
      installAll = docker.installAll.replace(/^bun install /, `bun install ${filter} `);
      installProd = docker.installProd.replace(/^bun install /, `bun install ${filter} `);
      break;
    }
  }
  const { pruneToProduction: _dropped, ...rest } = docker;
  return { ...rest, installFiles: [...docker.installFiles, ...manifests], installAll, installProd };
}

/**
 * The version of a package a workspace member installs: the root lockfile's entry for that member
 * (pnpm's importers, npm's packages), else the lowest its range allows (a catalog: range looked up
 * in the catalogs).
 */
export function workspacePackageVersion(
  workspace: OpenWorkspace,
  manager: PackageManagerId | undefined,
  member: Project,
  name: string,
): Detected<string> | undefined {
  const dir = path.relative(workspace.root.root, member.root).split(path.sep).join('/');
  const spec = member.allDependencies[name];
  if (spec === undefined) return undefined;
  let locked: string | undefined;
  try {
    locked = lockedIn(workspace.root, manager, dir, name);
  } catch (error) {
    // An unreadable lockfile is the package manager's gap; the range still tells.
    if (!(error instanceof UserError)) throw error;
  }
  if (locked && semver.valid(locked)) return { value: locked, source: `${name} ${locked} in the lockfile` };
  const range = catalogRange(workspace.layout, name, spec);
  const lowest = semver.validRange(range) ? semver.minVersion(range)?.version : undefined;
  return lowest ? { value: lowest, source: `${name} ${range} in ${dir}/package.json` } : undefined;
}

function lockedIn(root: Project, manager: PackageManagerId | undefined, dir: string, name: string): string | undefined {
  if (manager === 'pnpm') {
    type Entry = { version?: unknown } | string | undefined;
    const lock = root.readYaml<{ importers?: Record<string, Partial<Record<string, Record<string, Entry>>>> }>('pnpm-lock.yaml');
    const importer = lock?.importers?.[dir];
    const entry = importer?.dependencies?.[name] ?? importer?.devDependencies?.[name] ?? importer?.optionalDependencies?.[name];
    const version = typeof entry === 'string' ? entry : entry?.version;
    return typeof version === 'string' && /^\d/.test(version) ? version.replace(/[(_].*$/, '') : undefined;
  }
  if (manager === 'npm') {
    const lock = root.readJson<{ packages?: Record<string, { version?: unknown } | undefined> }>('package-lock.json');
    const entry = lock?.packages?.[`${dir}/node_modules/${name}`] ?? lock?.packages?.[`node_modules/${name}`];
    return typeof entry?.version === 'string' ? entry.version : undefined;
  }
  return undefined;
}

type PnpmEntry = { version?: unknown } | string | undefined;
type PnpmDependencies = Partial<Record<'dependencies' | 'devDependencies' | 'optionalDependencies', Record<string, PnpmEntry>>>;

/**
 * The packages the app's part of the workspace installs, from pnpm's lockfile (v9: importers, then
 * snapshots): what native modules are looked for in, rather than every workspace's. Undefined when
 * the lockfile can't tell (another manager, an older format): then the whole lockfile counts.
 */
export function workspaceLockedPackages(workspace: OpenWorkspace, manager: PackageManagerId | undefined): Set<string> | undefined {
  if (manager !== 'pnpm') return undefined;
  const lock = workspace.root.readYaml<{
    lockfileVersion?: unknown;
    importers?: Record<string, PnpmDependencies>;
    snapshots?: Record<string, PnpmDependencies>;
  }>('pnpm-lock.yaml');
  if (
    !lock?.importers ||
    !lock.snapshots ||
    !/^9(\.|$)/.test(typeof lock.lockfileVersion === 'string' || typeof lock.lockfileVersion === 'number' ? String(lock.lockfileVersion) : '')
  )
    return undefined;
  const names = new Set<string>();
  const seen = new Set<string>();
  const pending: string[] = [];
  const add = (entries: PnpmDependencies | undefined) => {
    for (const list of [entries?.dependencies, entries?.devDependencies, entries?.optionalDependencies]) {
      for (const [name, entry] of Object.entries(list ?? {})) {
        const version = typeof entry === 'string' ? entry : entry?.version;
        if (typeof version !== 'string' || version.startsWith('link:')) continue;
        names.add(name);
        const key = `${name}@${version}`;
        if (!seen.has(key)) {
          seen.add(key);
          pending.push(key);
        }
      }
    }
  };
  for (const dir of [workspace.facts.app, ...workspace.facts.members.map((member) => member.dir)]) add(lock.importers[dir]);
  for (let key = pending.pop(); key !== undefined; key = pending.pop()) add(lock.snapshots[key]);
  return names;
}

/** The turbo the root package.json locks (pnpm's lockfile: the root importer), for a repository with turbo.json. */
export function lockedTurbo(workspace: OpenWorkspace, manager: PackageManagerId | undefined): { turboVersion?: string } {
  if (!workspace.facts.turbo || manager !== 'pnpm' || workspace.root.allDependencies.turbo === undefined) return {};
  const version = lockedIn(workspace.root, manager, '.', 'turbo');
  return version && semver.valid(version) ? { turboVersion: version } : {};
}
