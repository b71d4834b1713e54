/**
 * detect: project directory → facts. Reads files only; never runs project code. Every fact
 * carries its source so that the prompts and the summary can say where a value came from.
 */
import path from 'node:path';
import { parse as parseDotenv } from 'dotenv';
import { globSync } from 'tinyglobby';
import { databases } from '../adapters/databases/index.js';
import { frameworks } from '../adapters/frameworks/index.js';
import { orms } from '../adapters/orms/index.js';
import type { DatabaseId, Detected, FrameworkDetection, OrmDetection } from '../adapters/types.js';
import { UserError } from '../errors.js';
import { connectionPartsIn, type ConnectionPart } from '../adapters/orms/config-text.js';
import { packageManagerById } from '../adapters/package-managers/index.js';
import { nativeModulesIn } from './native-modules.js';
import { detectNodeMajor, type NodeVersionFacts } from './node-version.js';
import { detectPackageManager, type PackageManagerFacts } from './package-manager.js';
import { Project } from './project.js';
import { projectSources, scanEnvironmentVariables, scanHealthPath, scanPort } from './source-scan.js';

export interface ProjectFacts {
  project: Project;
  /** A name for images and the compose project, from package.json#name or the folder. */
  name: string;
  packageManager: PackageManagerFacts;
  node: NodeVersionFacts;
  /** Every framework the project matches, most specific first; plain Node always last. */
  frameworks: { id: string; detection: FrameworkDetection }[];
  /** Every package the lockfile installs, transitive ones included. */
  lockedPackages: ReadonlySet<string>;
  /** Native modules in the lockfile (they need compilers in the install stages). */
  nativeModules: string[];
  buildScript?: Detected<string>;
  /** Port and health route found by reading the sources (frameworks may know better). */
  port?: Detected<number>;
  healthPath?: Detected<string>;
  /** Every migration tool set up in the project (more than one → the user picks). */
  orms: { id: string; detection: OrmDetection }[];
  /** Database engines the project points at, best evidence first, per ORM that was found. */
  databaseFor(ormId: string | undefined): Detected<DatabaseId> | undefined;
  urlVariableFor(ormId: string | undefined): Detected<string> | undefined;
  /** Variables the ORM's config builds the connection from instead of a URL (DB_HOST, …). */
  connectionPartsFor(ormId: string | undefined): Detected<Partial<Record<ConnectionPart, string>>> | undefined;
  /** Environment variables the sources read (process.env.X). */
  environmentVariables: string[];
  /** The project's own .env.example, parsed. */
  envExample?: Record<string, string>;
  warnings: string[];
}

export function detectProject(root: string): ProjectFacts {
  const project = new Project(root);
  rejectWorkspaceRoot(project);

  const packageManager = detectPackageManager(project);
  const node = detectNodeMajor(project);
  const matching = detectFrameworks(project);
  const sources = projectSources(project);
  const envExample = readEnvExample(project);

  const orm = orms.flatMap((adapter) => {
    const detection = adapter.detect(project);
    return detection ? [{ id: adapter.id, detection }] : [];
  });

  const scripts = project.packageJson.scripts ?? {};
  const port = scanPort(project, sources);
  const healthPath = scanHealthPath(project, sources);
  const manager = packageManager.manager ? packageManagerById(packageManager.manager.value) : undefined;
  const locked = manager?.lockedPackages(project) ?? new Set<string>();

  return {
    project,
    name: imageName(project),
    packageManager,
    node,
    frameworks: matching,
    lockedPackages: locked,
    nativeModules: nativeModulesIn(locked),
    ...(scripts.build !== undefined ? { buildScript: { value: 'build', source: 'package.json#scripts.build' } } : {}),
    ...(port ? { port } : {}),
    ...(healthPath ? { healthPath } : {}),
    orms: orm,
    databaseFor: (ormId) => orm.find((o) => o.id === ormId)?.detection.database ?? databaseFromProject(project, envExample),
    urlVariableFor: (ormId) => orm.find((o) => o.id === ormId)?.detection.urlVariable ?? urlVariableFromEnvExample(envExample),
    connectionPartsFor: (ormId) => {
      const configFile = orm.find((o) => o.id === ormId)?.detection.configFile;
      const parts = configFile ? connectionPartsIn(project.readText(configFile) ?? '') : {};
      return parts.host ? { value: parts, source: configFile! } : undefined;
    },
    environmentVariables: scanEnvironmentVariables(project, sources),
    ...(envExample ? { envExample } : {}),
    warnings: [
      ...packageManager.warnings,
      ...node.warnings,
      ...(matching[0]?.detection.warnings ?? []),
      ...orm.flatMap((o) => o.detection.warnings ?? []),
      ...otherComposeFiles(project),
    ],
  };
}

function detectFrameworks(project: Project): ProjectFacts['frameworks'] {
  return frameworks.flatMap((adapter) => {
    const detection = adapter.detect(project);
    return detection ? [{ id: adapter.id, detection }] : [];
  });
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

function readEnvExample(project: Project): Record<string, string> | undefined {
  const text = project.readText('.env.example');
  return text === undefined ? undefined : parseDotenv(text);
}

/**
 * Monorepos aren't supported yet: a workspace root would get a Dockerfile for no app at all.
 * Stop, listing the workspaces, so that the user can point at one app.
 */
function rejectWorkspaceRoot(project: Project): void {
  const field = project.packageJson.workspaces;
  const pnpmWorkspace = project.readYaml<{ packages?: string[] } | null>('pnpm-workspace.yaml');
  const patterns = [...(Array.isArray(field) ? field : (field?.packages ?? [])), ...(pnpmWorkspace?.packages ?? [])];
  if (patterns.length === 0) return;
  const manifests = globSync(
    patterns.filter((pattern) => !pattern.startsWith('!')).map((pattern) => `${pattern.replace(/\/+$/, '')}/package.json`),
    { cwd: project.root, ignore: ['**/node_modules/**', ...patterns.filter((p) => p.startsWith('!')).map((p) => p.slice(1))] },
  );
  const workspaces = manifests.map((manifest) => path.posix.dirname(manifest)).sort();
  const listed = workspaces.length > 0 ? workspaces.join(', ') : `none yet (${patterns.join(', ')})`;
  throw new UserError(
    `${project.abs('package.json')}: a workspace root; its workspaces: ${listed}: run create-migrating-stack in one app's directory${workspaces[0] ? ` (e.g. create-migrating-stack ${workspaces[0]})` : ''}; monorepo support is not there yet`,
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
