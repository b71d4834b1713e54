/**
 * detect: project directory → facts, as plain data. Reads files only; never runs project code.
 * Every fact carries its source so that the prompts and the summary can say where a value came
 * from, and a problem with one option (a framework, a migration tool, a package manager) is kept
 * as that option's gap instead of stopping detection: it matters only if the option is chosen.
 */
import path from 'node:path';
import { parse as parseDotenv } from 'dotenv';
import semver from 'semver';
import { databases } from '../adapters/databases/index.js';
import { frameworks } from '../adapters/frameworks/index.js';
import { orms } from '../adapters/orms/index.js';
import { packageManagers } from '../adapters/package-managers/index.js';
import type { DatabaseId, DetectionContext, FrameworkDetection, OrmDetection, PackageManagerDocker, PackageManagerId } from '../adapters/types.js';
import { UserError } from '../errors.js';
import { isGap, settle, type Detected, type Gap } from '../project/detected.js';
import { Project } from '../project/project.js';
import { relativeExtends, tsconfigExtends } from '../project/typescript.js';
import { deployableApps, readWorkspaceLayout } from '../project/workspace.js';
import { envTemplates, type EnvTemplate } from '../project/env-files.js';
import { stripManagedBlock } from '../shared/managed-block.js';
import { mayDeclareEnvSchema, readEnvSchema, type EnvVariableDeclaration } from '../project/env-schema.js';
import { projectSources, scanEnvironmentVariables, scanHealthPath, scanPort, type PortFinding } from '../project/source-scan.js';
import { writableDirectories, type WritableDirectory } from '../project/writable-dirs.js';
import { projectIgnoreFiles, type IgnoreFile } from '../project/ignore-files.js';
import { detectTypescriptBuild, type TypescriptBuildFacts } from './build.js';
import { nativeModulesIn } from './native-modules.js';
import { ownContainerFiles, type OwnContainerFiles } from './own-files.js';
import { DEFAULT_NODE_MAJOR, detectNodeMajor, type NodeVersionFacts } from './node-version.js';
import { detectPackageManager, type PackageManagerFacts } from './package-manager.js';
import {
  lockedTurbo,
  openWorkspace,
  workspaceInstall,
  workspaceLockedPackages,
  workspacePackageVersion,
  type OpenWorkspace,
  type WorkspaceFacts,
  type WorkspaceSelection,
} from './workspace.js';

/** Scripts of the project itself that package managers run when they install it (npm's lifecycle order). */
const INSTALL_HOOKS = ['preinstall', 'install', 'postinstall', 'prepublish', 'preprepare', 'prepare', 'postprepare'] as const;

/** What one adapter found: its detection, or why the project can't use it as it stands. */
export type AdapterFinding<D> = { id: string; detection: D } | { id: string; gap: string };

export type DependencyKind = 'production' | 'development' | 'optional';

/**
 * An ORM's detection (its configuration read with the parser, connection parts included). In a
 * workspace, the package it is set up in (the app's, or a workspace the app depends on): its
 * paths are relative to that package, and its migrate command runs there.
 */
export type OrmFacts = OrmDetection & { workspacePackage?: { dir: string; dependencies: Record<string, DependencyKind> } };

export interface ProjectFacts {
  /** The project directory (for messages). */
  root: string;
  /** A name for images and the compose project, from package.json#name or the folder. */
  name: string;
  /** package.json's dependencies by name, and which list each is in. */
  dependencies: Record<string, DependencyKind>;
  packageManager: PackageManagerFacts;
  /** How each package manager would install this project, or why it can't. */
  installs: Record<PackageManagerId, PackageManagerDocker | Gap>;
  /** Whether each path an install copies is a file or a directory (absent: missing). */
  paths: Record<string, 'file' | 'directory'>;
  node: NodeVersionFacts;
  /** Every framework the project matches, most specific first; plain Node always last. */
  frameworks: AdapterFinding<FrameworkDetection>[];
  /** Every package the lockfile installs, transitive ones included. */
  lockedPackages: string[];
  /** Native modules in the lockfile (they need compilers in the install stages). */
  nativeModules: string[];
  buildScript?: Detected<string>;
  /** The TypeScript build's output folder, and the compiler to run when there is no build script. */
  typescript?: TypescriptBuildFacts;
  /** Dockerfile and .dockerignore that are the project's own (never written by create-migrating-stack). */
  ownFiles: OwnContainerFiles;
  /** The project's .gitignore files, their patterns as .dockerignore lines: kept out of the build context too. */
  ignoreFiles: IgnoreFile[];
  /** Folders the app writes into relative to its working directory (uploads, caches). */
  writableDirectories: WritableDirectory[];
  /** The project's own install hooks (postinstall, prepare, …) by name: they run on every install of the project. */
  installHooks: Record<string, string>;
  /** Port (and the variable the app reads it from) and health route found by reading the sources (frameworks may know better). */
  port?: PortFinding;
  healthPath?: Detected<string>;
  /** Every migration tool set up in the project (more than one → the user picks). */
  orms: AdapterFinding<OrmFacts>[];
  /** The database the project's drivers or .env.example point at (when the ORM's config doesn't say). */
  database?: Detected<DatabaseId>;
  /** The variable .env.example gives a database URL (when the ORM's config doesn't say). */
  urlVariable?: Detected<string>;
  /** Environment variables the sources read (process.env.X). */
  environmentVariables: string[];
  /** The project's env templates (.env.example first, then .env.sample, config/dev/.env.example, …), parsed. */
  envTemplates: EnvTemplate[];
  /** Variables the project's env schemas (zod, envalid, env-schema, convict, joi, t3-env) declare. */
  envSchema: EnvVariableDeclaration[];
  /** The project's own .env.example, parsed, and as text. */
  envExample?: Record<string, string>;
  envExampleText: string;
  /** The project's CI configuration: a .github/ folder, and its .gitlab-ci.yml's text. */
  ci: { github: boolean; githubWorkflow?: string; gitlabPipeline?: string };
  /** Warnings about the project as a whole; the chosen adapters' own come with their detections. */
  warnings: string[];
  /**
   * Present for one app of a workspace (monorepo): then `root` is the app's folder, the package
   * manager, installs, paths and ignore files are the workspace root's (paths relative to it).
   */
  workspace?: WorkspaceFacts;
}

/** What the user tells detection before it runs (a flag, or a saved answer). */
export interface DetectOptions {
  /** The migration tool's configuration file (--orm-config), as given. */
  ormConfig?: string | null | undefined;
  /** Where that value came from, for messages ("--orm-config", "migrating-stack.json"). */
  ormConfigOrigin?: string;
  /** One app of a workspace: `root` (where the files are written) is its folder or the workspace root. */
  workspace?: WorkspaceSelection | undefined;
}

export function detectProject(root: string, options: DetectOptions = {}): ProjectFacts {
  // One app of a workspace: the root holds the package manager, its lockfile and the Node
  // version; the app's folder what the app is; the generated files go where it ran (the project's
  // own Dockerfile, .env.example and CI are looked for there).
  const workspace = options.workspace ? openWorkspace(root, options.workspace) : undefined;
  const project = workspace?.app ?? new Project(root);
  if (!workspace) rejectWorkspaceRoot(project);
  const base = workspace?.root ?? project;
  const output = workspace?.output ?? project;

  const packageManager = detectPackageManager(base);
  const detectedManager = packageManager.manager?.value;
  const ormConfig = options.ormConfig ? ormConfigPath(project, options.ormConfig, options.ormConfigOrigin ?? '--orm-config') : undefined;
  const node = workspace ? workspaceNodeMajor(base, project) : detectNodeMajor(project);
  const nodeMajor = node.major?.value ?? DEFAULT_NODE_MAJOR;
  const context = inWorkspace(detectionContext(project, detectedManager, ormConfig, nodeMajor), workspace, detectedManager, project);
  const sources = projectSources(project);
  const envExampleText = output.readText('.env.example');
  const envExample = envExampleText === undefined ? undefined : parseDotenv(stripManagedBlock(envExampleText));

  const frameworkFindings = frameworks.flatMap((adapter) => finding(adapter.id, () => adapter.detect(project, context)));
  const appOrms = orms.flatMap((adapter) => finding(adapter.id, () => adapter.detect(project, context)));
  const ormFindings = workspace ? workspaceOrms(workspace, appOrms, detectedManager, nodeMajor) : appOrms;
  const installs = Object.fromEntries(
    packageManagers.map((adapter) => [
      adapter.id,
      settle(() => {
        const docker = adapter.docker(base, adapter.id === detectedManager ? packageManager.version?.value : undefined);
        return workspace ? workspaceInstall(adapter.id, docker, workspace) : docker;
      }),
    ]),
  ) as ProjectFacts['installs'];
  // The project's own dependencies are installed with or without a lockfile (which may be missing).
  const subset = workspace ? settle(() => workspaceLockedPackages(workspace, detectedManager)) : undefined;
  const locked = new Set([
    ...(subset && !isGap(subset) ? subset : detectedManager ? packageManagers.find((adapter) => adapter.id === detectedManager)!.lockedPackages(base) : []),
    ...Object.keys(project.allDependencies),
    ...(workspace?.dependencies.flatMap((dependency) => Object.keys(dependency.project.allDependencies)) ?? []),
  ]);

  const scripts = project.packageJson.scripts ?? {};
  const envSchema = readEnvSchemas(project, sources);
  const port = scanPort(project, sources, envSchema);
  const healthPath = scanHealthPath(project, sources);
  const database =
    databaseFromProject(project, envExample) ??
    workspace?.dependencies.map((dependency) => databaseFromProject(dependency.project, undefined)).find((found) => found !== undefined);
  const urlVariable = urlVariableFromEnvExample(envExample);

  return {
    root: project.root,
    name: imageName(project),
    dependencies: dependencyKinds(project),
    packageManager,
    installs,
    paths: pathKinds(base, installs, ormFindings),
    node,
    frameworks: frameworkFindings,
    lockedPackages: [...locked].sort(),
    nativeModules: nativeModulesIn(locked),
    ...(scripts.build !== undefined ? { buildScript: { value: 'build', source: 'package.json#scripts.build' } } : {}),
    ...optional(
      'typescript',
      settle(() => detectTypescriptBuild(project)),
    ),
    ownFiles: ownContainerFiles(output),
    ignoreFiles: projectIgnoreFiles(base),
    writableDirectories: writableDirectories(project, sources),
    installHooks: Object.fromEntries(INSTALL_HOOKS.filter((name) => typeof scripts[name] === 'string').map((name) => [name, scripts[name]!])),
    ...(port ? { port } : {}),
    ...(healthPath ? { healthPath } : {}),
    orms: ormFindings,
    ...(database ? { database } : {}),
    ...(urlVariable ? { urlVariable } : {}),
    environmentVariables: scanEnvironmentVariables(project, sources),
    envTemplates: workspace ? workspaceEnvTemplates(workspace) : envTemplates(project),
    envSchema,
    ...(envExample ? { envExample } : {}),
    envExampleText: envExampleText ?? '',
    ci: ciFacts(output),
    warnings: [...packageManager.warnings, ...node.warnings, ...otherComposeFiles(output)],
    ...(workspace ? { workspace: { ...workspace.facts, ...settledTurbo(workspace, detectedManager) } } : {}),
  };
}

/** `{ key: value }` for a value, nothing for a gap (reported by whoever needs it) or nothing at all. */
function optional<K extends string, T>(key: K, value: T | Gap | undefined): Partial<Record<K, T>> {
  return value === undefined || isGap(value) ? {} : ({ [key]: value } as Record<K, T>);
}

/** In a workspace, versions come from the root's lockfile (the member's entry) and catalogs. */
function inWorkspace(
  context: DetectionContext,
  workspace: OpenWorkspace | undefined,
  manager: PackageManagerId | undefined,
  member: Project,
): DetectionContext {
  return workspace ? { ...context, packageVersion: (name) => workspacePackageVersion(workspace, manager, member, name) } : context;
}

/** The turbo version the root locks; nothing when the lockfile can't tell (its gap is the package manager's). */
function settledTurbo(workspace: OpenWorkspace, manager: PackageManagerId | undefined): { turboVersion?: string } {
  const turbo = settle(() => lockedTurbo(workspace, manager));
  return isGap(turbo) ? {} : turbo;
}

/**
 * Install files plus the tsconfig files they extend elsewhere in the workspace: a shared config
 * package (`"extends": "@repo/tsconfig/base.json"`, a workspace: link) or a relative path out of
 * the package (`../../tsconfig.base.json`). The install stage has only the manifests of the
 * other workspaces, and a tool that loads its TypeScript config (prisma.config.ts) reads them.
 */
function withExtendedTsconfigs(workspace: OpenWorkspace, files: string[]): string[] {
  const all = [...files];
  const memberFile = (specifier: string): string | undefined => {
    const member = workspace.dependencies.find(({ member: { name } }) => name !== undefined && (specifier === name || specifier.startsWith(`${name}/`)));
    if (!member) return undefined;
    const subpath = specifier.slice(member.member.name!.length + 1) || 'tsconfig.json';
    return `${member.member.dir}/${subpath.endsWith('.json') ? subpath : `${subpath}.json`}`;
  };
  // The install files' tsconfig*.json, then every file they extend (up to 8: a loop ends there).
  for (let index = 0; index < all.length && all.length < files.length + 8; index++) {
    const file = all[index]!;
    if (index < files.length ? !/(^|\/)tsconfig[^/]*\.json$/.test(file) : !file.endsWith('.json')) continue;
    const specifier = tsconfigExtends(workspace.root, file);
    if (specifier === undefined) continue;
    const next = relativeExtends(file, specifier) ?? memberFile(specifier);
    if (next !== undefined && !next.startsWith('..') && !all.includes(next) && workspace.root.exists(next)) all.push(next);
  }
  return all;
}

/** The root's Node version sources, else the app's own. */
function workspaceNodeMajor(root: Project, app: Project): NodeVersionFacts {
  const fromRoot = detectNodeMajor(root);
  return fromRoot.major ? fromRoot : detectNodeMajor(app);
}

/**
 * The migration tools of a workspace app: its own, then those of the workspaces it depends on
 * (packages/db) that it has none of; each with the package it lives in, its install files
 * relative to the workspace root.
 */
function workspaceOrms(
  workspace: OpenWorkspace,
  appOrms: AdapterFinding<OrmFacts>[],
  manager: PackageManagerId | undefined,
  nodeMajor: number,
): AdapterFinding<OrmFacts>[] {
  const inPackage = (found: AdapterFinding<OrmFacts>, dir: string, project: Project): AdapterFinding<OrmFacts> =>
    'gap' in found
      ? found
      : {
          id: found.id,
          detection: {
            ...found.detection,
            ...(found.detection.installFiles
              ? {
                  installFiles: withExtendedTsconfigs(
                    workspace,
                    found.detection.installFiles.map((file) => path.posix.join(dir, file)),
                  ),
                }
              : {}),
            workspacePackage: { dir, dependencies: dependencyKinds(project) },
          },
        };
  const all = appOrms.map((found) => inPackage(found, workspace.facts.app, workspace.app));
  for (const { member, project } of workspace.dependencies) {
    const context = inWorkspace(detectionContext(project, manager, undefined, nodeMajor), workspace, manager, project);
    for (const adapter of orms) {
      if (all.some((found) => found.id === adapter.id)) continue;
      all.push(...finding(adapter.id, () => adapter.detect(project, context)).map((found) => inPackage(found, member.dir, project)));
    }
  }
  return all;
}

/** The app's env templates, then the workspace root's (a shared .env.example is common in monorepos). */
function workspaceEnvTemplates(workspace: OpenWorkspace): EnvTemplate[] {
  const own = envTemplates(workspace.app);
  const shared =
    workspace.root === workspace.app
      ? []
      : envTemplates(workspace.root).map((template) => ({ ...template, file: `${path.posix.relative(workspace.facts.app, '.')}/${template.file}` }));
  return [...own, ...shared];
}

/** What the adapters of one kind tell another kind's detection, from the registries. */
/** `nodeMajor`: the Node line the image runs, when the caller has decided it (else read from the project). */
export function detectionContext(project?: Project, manager?: PackageManagerId, ormConfig?: string, nodeMajor?: number): DetectionContext {
  const cliNames = new Set(orms.flatMap((orm) => orm.cliNames));
  const lockfile = manager ? packageManagers.find((adapter) => adapter.id === manager) : undefined;
  return {
    ...(ormConfig ? { ormConfig } : {}),
    packageVersion: (name) => (project ? packageVersion(project, lockfile, name) : undefined),
    scripts: {
      serverOf: (argv) => frameworks.map((framework) => framework.serverFromScript?.(argv)).find((server) => server !== undefined),
      // "npm run migrate", "node migrate.js", "knex migrate:latest", "npx prisma migrate deploy"
      isMigration: (argv) => argv.some((word) => /migrat/i.test(word) || cliNames.has(path.posix.basename(word))),
      // The image's node:<major> is that line's newest release: 22 and later strip types by default.
      nodeRunsTypescript: (nodeMajor ?? (project && detectNodeMajor(project).major?.value) ?? DEFAULT_NODE_MAJOR) >= 22,
    },
  };
}

/** The declarations of every env schema in the sources (files that mention a schema library only). */
function readEnvSchemas(project: Project, sources: readonly string[]): EnvVariableDeclaration[] {
  const declarations = sources
    .filter((file) => mayDeclareEnvSchema(project.readText(file) ?? ''))
    .flatMap((file) => {
      // A file the parser can't read is the configuration adapters' business (they report it); here it just declares nothing.
      try {
        return readEnvSchema(project, file);
      } catch {
        return [];
      }
    });
  const seen = new Set<string>();
  return declarations.filter((declaration) => !seen.has(declaration.name) && seen.add(declaration.name));
}

/** One adapter's finding: nothing when it isn't used, a gap when it is but can't be, else its detection. */
function finding<D>(id: string, detect: () => D | undefined): AdapterFinding<D>[] {
  const result = settle(detect);
  if (result === undefined) return [];
  return isGap(result) ? [{ id, gap: result.gap }] : [{ id, detection: result }];
}

/** The locked version of a dependency, else the lowest its package.json range allows. */
function packageVersion(project: Project, manager: (typeof packageManagers)[number] | undefined, name: string): Detected<string> | undefined {
  const range = project.allDependencies[name];
  if (range === undefined) return undefined;
  let locked: string | undefined;
  try {
    locked = manager?.lockedVersion?.(project, name);
  } catch (error) {
    // An unreadable lockfile is the package manager's gap; the range still tells.
    if (!(error instanceof UserError)) throw error;
  }
  if (locked && semver.valid(locked)) return { value: locked, source: `${name} ${locked} in the lockfile` };
  const lowest = semver.validRange(range) ? semver.minVersion(range)?.version : undefined;
  return lowest ? { value: lowest, source: `${name} ${range} in package.json` } : undefined;
}

/** --orm-config as a path relative to the project root; a UserError when it leaves the project or names no file. */
function ormConfigPath(project: Project, raw: string, origin: string): string {
  const relative = path.posix.normalize(path.relative(project.root, path.resolve(project.root, raw)).split(path.sep).join('/'));
  if (relative === '..' || relative.startsWith('../') || path.isAbsolute(relative)) {
    throw new UserError(`${origin} ${raw}: outside the project (${project.root}), which is all the image contains: name a file inside it`);
  }
  if (!project.exists(relative) || project.isDirectory(relative)) {
    throw new UserError(`${origin} ${raw}: ${project.abs(relative)} is not a file: name the migration tool's configuration file (e.g. config/knexfile.js)`);
  }
  return relative;
}

function dependencyKinds(project: Project): Record<string, DependencyKind> {
  const { dependencies, devDependencies, optionalDependencies } = project.packageJson;
  const kinds: Record<string, DependencyKind> = {};
  // Later lists win, as in npm: a package in dependencies is a production dependency.
  for (const [list, kind] of [
    [optionalDependencies, 'optional'],
    [devDependencies, 'development'],
    [dependencies, 'production'],
  ] as const) {
    for (const name of Object.keys(list ?? {})) kinds[name] = kind;
  }
  return kinds;
}

/** File or directory, for every path an install may copy. */
function pathKinds(project: Project, installs: ProjectFacts['installs'], ormFindings: AdapterFinding<OrmFacts>[]): ProjectFacts['paths'] {
  const candidates = [
    ...Object.values(installs).flatMap((install) => (isGap(install) ? [] : install.installFiles)),
    ...ormFindings.flatMap((orm) => ('detection' in orm ? (orm.detection.installFiles ?? []) : [])),
  ];
  const kinds: ProjectFacts['paths'] = {};
  for (const candidate of candidates) {
    if (project.exists(candidate)) kinds[candidate] = project.isDirectory(candidate) ? 'directory' : 'file';
  }
  return kinds;
}

/** Driver packages first (what the code really uses), then URLs in .env.example. */
function databaseFromProject(project: Project, envExample: Record<string, string> | undefined): Detected<DatabaseId> | undefined {
  for (const database of databases) {
    const driver = database.drivers.find((name) => project.hasDependency(name));
    if (driver) return { value: database.id, source: `dependency ${driver}` };
  }
  for (const value of Object.values(envExample ?? {})) {
    const scheme = /^([a-z0-9+]+):/i.exec(value)?.[1]?.toLowerCase();
    const database = databases.find((db) => scheme && db.urlSchemes.includes(scheme));
    if (database) return { value: database.id, source: '.env.example' };
  }
  return undefined;
}

function urlVariableFromEnvExample(envExample: Record<string, string> | undefined): Detected<string> | undefined {
  const schemes = databases.flatMap((db) => db.urlSchemes).filter((scheme) => scheme !== 'file');
  const entry = Object.entries(envExample ?? {}).find(([, value]) => schemes.some((scheme) => value.startsWith(`${scheme}://`)));
  return entry ? { value: entry[0], source: '.env.example' } : undefined;
}

/**
 * A workspace root detected without an app chosen (generate chooses one first: plan/workspace-app.ts)
 * would get a Dockerfile for no app at all. Stop, listing the workspaces, so that the user can point at one.
 * A workspace file that matches no package (pnpm-workspace.yaml kept for pnpm's settings) makes no workspace.
 */
function rejectWorkspaceRoot(project: Project): void {
  const layout = readWorkspaceLayout(project);
  if (!layout || layout.packages.length === 0) return;
  const example = deployableApps(layout)[0]?.dir ?? layout.packages[0]?.dir;
  throw new UserError(
    `${project.abs('package.json')}: a workspace root; its workspaces: ${layout.packages.map((pkg) => pkg.dir).join(', ')}: pass --app <workspace>${example ? ` (e.g. --app ${example})` : ''}, or run create-migrating-stack in the app's folder`,
  );
}

/**
 * Compose reads compose.yaml before the older names: a project's own docker-compose.yml would
 * silently stop being used.
 */
function otherComposeFiles(project: Project): string[] {
  return ['compose.yml', 'docker-compose.yaml', 'docker-compose.yml']
    .filter((file) => project.exists(file))
    .map(
      (file) =>
        `${file} exists: docker compose will use the generated compose.yaml instead; move what you still need from ${file} into compose.override.yaml and delete it`,
    );
}

/** A docker-safe name: lowercase letters, digits, dashes. */
function imageName(project: Project): string {
  const raw = project.packageJson.name ?? project.root.split(/[\\/]/).filter(Boolean).at(-1) ?? 'app';
  const name = raw
    .replace(/^@[^/]+\//, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return name || 'app';
}

function ciFacts(project: Project): ProjectFacts['ci'] {
  const gitlabPipeline = project.readText('.gitlab-ci.yml');
  const githubWorkflow = project.readText('.github/workflows/deploy.yml');
  return {
    github: project.isDirectory('.github'),
    ...(githubWorkflow !== undefined ? { githubWorkflow } : {}),
    ...(gitlabPipeline !== undefined ? { gitlabPipeline } : {}),
  };
}
