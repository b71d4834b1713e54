/**
 * Workspaces (monorepos), read and never run: the root that declares them (pnpm-workspace.yaml,
 * or package.json#workspaces for npm, Yarn and Bun), its member packages, the workspaces that
 * look like deployable apps, and the workspaces one app depends on (`workspace:` and, where the
 * manager links by name, plain ranges of a member's name).
 */
import { existsSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import { globSync } from 'tinyglobby';
import { UserError } from '../errors.js';
import { Project, type PackageJson } from './project.js';

/** One member of a workspace. */
export interface WorkspacePackage {
  /** Its folder relative to the workspace root, with forward slashes ("apps/api"). */
  dir: string;
  /** package.json#name, when it has one. */
  name?: string;
  manifest: PackageJson;
}

export interface WorkspaceLayout {
  root: Project;
  /** Where the workspaces are declared ("pnpm-workspace.yaml", "package.json#workspaces"). */
  declaredIn: string;
  /** The patterns as declared ("apps/*", "!apps/legacy"), the ones that stay inside the root only. */
  patterns: string[];
  /** Members, by folder. */
  packages: WorkspacePackage[];
  /** Whether a plain range of a member's name links the member (npm, Yarn, Bun; pnpm only with linkWorkspacePackages). */
  linksByName: boolean;
  /** pnpm's catalogs (pnpm-workspace.yaml), by name ("default" for catalog:). */
  catalogs: Record<string, Record<string, string>>;
}

/** How far up from a folder the workspace root is looked for. */
const MAX_LEVELS = 12;

/** Dependencies that make a workspace an HTTP server. */
const SERVER_DEPENDENCIES = ['@nestjs/core', 'express', 'fastify', 'koa', '@hono/node-server', '@hapi/hapi', 'restify', 'polka', 'h3'];
/** Dependencies of web frameworks that serve themselves. */
const FRAMEWORK_DEPENDENCIES = ['next', 'nuxt', '@sveltejs/kit', 'astro', '@react-router/dev', '@remix-run/serve', '@remix-run/node', '@tanstack/react-start'];
/** Start scripts that run no server of the app's own (mobile and desktop apps, documentation sites). */
const NOT_A_SERVER_START = /\b(expo|react-native|electron|storybook|docusaurus|vitepress)\b/;

/** The workspaces a folder declares, or undefined when it declares none. */
export function readWorkspaceLayout(root: Project): WorkspaceLayout | undefined {
  const field = root.packageJson.workspaces;
  const fromPackageJson = Array.isArray(field) ? field : (field?.packages ?? []);
  const pnpmConfig = root.readYaml<Record<string, unknown> | null>('pnpm-workspace.yaml');
  const pnpm = typeof pnpmConfig === 'object' && pnpmConfig !== null && !Array.isArray(pnpmConfig) ? pnpmConfig : undefined;
  const fromPnpm = Array.isArray(pnpm?.packages) ? pnpm.packages.filter((item): item is string => typeof item === 'string') : [];
  const declared = fromPnpm.length > 0 ? fromPnpm : fromPackageJson;
  if (declared.length === 0) return undefined;
  // Patterns that leave the root ("../..", "/") are never walked, nor are links: a hostile
  // package.json must not make detection crawl the disk.
  const patterns = declared.filter((pattern) => !pattern.replace(/^!/, '').startsWith('/') && !pattern.split('/').includes('..'));
  const manifests = globSync(
    patterns.filter((pattern) => !pattern.startsWith('!')).map((pattern) => `${pattern.replace(/\/+$/, '')}/package.json`),
    {
      cwd: root.root,
      ignore: [
        '**/node_modules/**',
        ...patterns.filter((pattern) => pattern.startsWith('!')).map((pattern) => `${pattern.slice(1).replace(/\/+$/, '')}/package.json`),
      ],
      followSymbolicLinks: false,
    },
  );
  const packages = manifests
    .map((manifest) => path.posix.dirname(manifest))
    .filter((dir) => dir !== '.')
    .sort()
    .flatMap((dir) => {
      let manifest: unknown;
      try {
        manifest = root.readJson<unknown>(`${dir}/package.json`);
      } catch (error) {
        // A member whose package.json can't be read is reported when it is the app; otherwise it doesn't matter.
        if (error instanceof UserError) return [];
        throw error;
      }
      if (typeof manifest !== 'object' || manifest === null || Array.isArray(manifest)) return [];
      const pkg = manifest as PackageJson;
      return [{ dir, ...(typeof pkg.name === 'string' ? { name: pkg.name } : {}), manifest: pkg }];
    });
  return {
    root,
    declaredIn: fromPnpm.length > 0 ? 'pnpm-workspace.yaml' : 'package.json#workspaces',
    patterns,
    packages,
    linksByName: fromPnpm.length === 0 || pnpm?.linkWorkspacePackages === true || pnpm?.linkWorkspacePackages === 'deep',
    catalogs: pnpmCatalogs(pnpm),
  };
}

function pnpmCatalogs(config: Record<string, unknown> | undefined): Record<string, Record<string, string>> {
  const strings = (value: unknown): Record<string, string> =>
    typeof value === 'object' && value !== null && !Array.isArray(value)
      ? Object.fromEntries(Object.entries(value).filter((entry): entry is [string, string] => typeof entry[1] === 'string'))
      : {};
  const named = typeof config?.catalogs === 'object' && config.catalogs !== null ? (config.catalogs as Record<string, unknown>) : {};
  return { ...Object.fromEntries(Object.entries(named).map(([name, entries]) => [name, strings(entries)])), default: strings(config?.catalog) };
}

/**
 * The workspace root a folder is a member of, looked for in the folders above it (up to the
 * repository's root, a folder with .git): undefined when there is none, or when the folder isn't
 * one of its workspaces.
 */
export function workspaceAbove(dir: string): { layout: WorkspaceLayout; member: WorkspacePackage } | undefined {
  let real: string;
  try {
    real = realpathSync(dir);
  } catch {
    return undefined;
  }
  let current = real;
  for (let level = 0; level < MAX_LEVELS; level++) {
    const parent = path.dirname(current);
    if (parent === current) return undefined;
    current = parent;
    if (existsSync(path.join(current, 'package.json'))) {
      const layout = readLayoutQuietly(current);
      if (layout) {
        const rel = path.relative(current, real).split(path.sep).join('/');
        const member = layout.packages.find((candidate) => candidate.dir === rel);
        return member ? { layout, member } : undefined;
      }
    }
    if (isDirectory(path.join(current, '.git'))) return undefined;
  }
  return undefined;
}

function readLayoutQuietly(dir: string): WorkspaceLayout | undefined {
  try {
    return readWorkspaceLayout(new Project(dir));
  } catch (error) {
    // A folder above with a broken package.json is not the project's business.
    if (error instanceof UserError) return undefined;
    throw error;
  }
}

function isDirectory(file: string): boolean {
  try {
    return statSync(file).isDirectory();
  } catch {
    return false;
  }
}

/** A workspace that looks deployable, and why. */
export interface AppCandidate {
  dir: string;
  name?: string;
  /** "server": an HTTP server library; "framework": a web framework; "start": a start script only. */
  kind: 'server' | 'framework' | 'start';
  /** What shows it ("express", "next", "scripts.start"). */
  evidence: string;
}

/** The workspaces that look like deployable apps (a server, a web framework, or a start script): servers first. */
export function deployableApps(layout: WorkspaceLayout): AppCandidate[] {
  const rank = { server: 0, framework: 1, start: 2 } as const;
  return layout.packages
    .flatMap((pkg): AppCandidate[] => {
      const dependencies = { ...pkg.manifest.dependencies, ...pkg.manifest.devDependencies };
      const named = (names: readonly string[]) => names.find((name) => Object.hasOwn(dependencies, name));
      const start = pkg.manifest.scripts?.start;
      const runsItself = start !== undefined && !NOT_A_SERVER_START.test(start);
      // A mobile or desktop app may depend on a server library (an Expo app on express for its dev server): its start script tells.
      if (start !== undefined && !runsItself) return [];
      const base = { dir: pkg.dir, ...(pkg.name ? { name: pkg.name } : {}) };
      const server = named(SERVER_DEPENDENCIES);
      if (server) return [{ ...base, kind: 'server', evidence: server }];
      const framework = named(FRAMEWORK_DEPENDENCIES);
      if (framework) return [{ ...base, kind: 'framework', evidence: framework }];
      return runsItself ? [{ ...base, kind: 'start', evidence: 'scripts.start' }] : [];
    })
    .sort((a, b) => rank[a.kind] - rank[b.kind] || (a.dir < b.dir ? -1 : a.dir > b.dir ? 1 : 0));
}

/** The member a --app value names: its folder ("apps/api", "./apps/api/") or its package name ("@acme/api"). */
export function findMember(layout: WorkspaceLayout, value: string): WorkspacePackage | undefined {
  const folder = path.posix.normalize(value.trim().replace(/\\/g, '/')).replace(/^\.\//, '').replace(/\/+$/, '');
  return layout.packages.find((pkg) => pkg.dir === folder) ?? layout.packages.find((pkg) => pkg.name === value.trim());
}

/** Protocols of a dependency spec that never point at a workspace member by name. */
const OTHER_SOURCES = /^(npm:|file:|link:|portal:|patch:|git(\+[a-z]+)?:|github:|https?:|catalog:|jsr:)/;

/**
 * The workspaces `app` depends on, transitively (all dependency kinds: the full install and the
 * build need them), dependencies before their dependents; the app itself is not among them.
 */
export function workspaceDependencies(layout: WorkspaceLayout, app: WorkspacePackage): WorkspacePackage[] {
  const byName = new Map(layout.packages.filter((pkg) => pkg.name).map((pkg) => [pkg.name!, pkg]));
  const ordered: WorkspacePackage[] = [];
  const seen = new Set<string>([app.dir]);
  const visit = (pkg: WorkspacePackage): void => {
    const manifest = pkg.manifest;
    const specs = { ...manifest.optionalDependencies, ...manifest.devDependencies, ...manifest.dependencies };
    for (const [name, spec] of Object.entries(specs).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      const member = byName.get(name);
      if (!member || seen.has(member.dir) || typeof spec !== 'string') continue;
      const linked = spec.startsWith('workspace:') || (layout.linksByName && !OTHER_SOURCES.test(spec));
      if (!linked) continue;
      seen.add(member.dir);
      visit(member);
      ordered.push(member);
    }
  };
  visit(app);
  return ordered;
}

/** A dependency's range, with `catalog:` / `catalog:<name>` looked up in pnpm's catalogs. */
export function catalogRange(layout: WorkspaceLayout, name: string, spec: string): string {
  const catalog = /^catalog:(.*)$/.exec(spec.trim());
  if (!catalog) return spec;
  return layout.catalogs[catalog[1] || 'default']?.[name] ?? spec;
}
