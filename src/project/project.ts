import { readdirSync, realpathSync, statSync, type Dirent } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { UserError } from '../errors.js';
import { isInside, readRegularText, realPathInside } from '../shared/files.js';

/** The parts of package.json that detection reads. */
export interface PackageJson {
  name?: string;
  type?: 'module' | 'commonjs';
  main?: string;
  scripts?: Record<string, string>;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  engines?: Record<string, string>;
  packageManager?: string;
  volta?: Record<string, string>;
  workspaces?: string[] | { packages?: string[] };
}

/** Directories never worth scanning for sources. */
const IGNORED_DIRS = new Set(['node_modules', '.git', 'dist', 'build', '.next', '.nuxt', '.output', '.svelte-kit', 'coverage', '.turbo', '.cache', '.yarn']);

/** Sources larger than this are bundles or generated code, not worth scanning (and a 2,000-file scan must stay fast). */
const MAX_SOURCE_BYTES = 2 * 1024 * 1024;

/**
 * Read-only view of the project directory. Detection only ever reads files through it, never
 * runs project code; malformed files become one-line errors that name the file.
 *
 * The project may be hostile (a repository just cloned): every path is checked to stay inside it,
 * links that lead out of it are refused, so are named pipes and devices, files are read up to a
 * size limit, and package.json's fields have the types detection relies on.
 */
export class Project {
  private readonly textCache = new Map<string, string | undefined>();
  /** The real path (links resolved) of what every file read must stay inside: the project, or the workspace it is part of. */
  private readonly realRoot: string;
  /** The folder paths must stay inside: the project, or (for a workspace's package) the workspace root. */
  private readonly boundary: string;
  readonly packageJson: PackageJson;

  /**
   * `within`: for a package of a workspace, the workspace root, which its files may name
   * ("extends": "../../tsconfig.base.json") and which the image holds.
   */
  constructor(
    readonly root: string,
    { within }: { within?: string } = {},
  ) {
    let stats;
    try {
      stats = statSync(root);
    } catch {
      throw new UserError(`${root}: not found: run create-migrating-stack in (or pass) the directory of a Node.js project`);
    }
    if (!stats.isDirectory()) throw new UserError(`${root}: not a directory: pass the directory of a Node.js project (the folder with its package.json)`);
    this.boundary = path.resolve(within ?? root);
    this.realRoot = realpathSync(this.boundary);
    const manifest = this.readJson<unknown>('package.json');
    if (manifest === undefined) {
      throw new UserError(`${path.join(root, 'package.json')}: not found: run create-migrating-stack in (or pass) the directory of a Node.js project`);
    }
    if (typeof manifest !== 'object' || manifest === null || Array.isArray(manifest)) {
      throw new UserError(`${path.join(root, 'package.json')}: expected a JSON object: fix the file`);
    }
    this.packageJson = checkManifest(manifest as Record<string, unknown>, path.join(root, 'package.json'));
  }

  abs(rel: string): string {
    return path.join(this.root, rel);
  }

  /**
   * The absolute path of a project path. A path that leaves the project ("../shared", "/etc")
   * is a UserError: the image holds the project only, so nothing outside it is read or copied.
   */
  private locate(rel: string): string {
    if (rel.includes('\0')) throw new UserError(`${this.abs(rel)}: a path with a NUL character: fix the name`);
    const absolute = path.resolve(this.root, rel);
    if (!isInside(this.boundary, absolute)) {
      throw new UserError(
        `${absolute}: outside the project (${this.boundary}), which is all the image contains: name a path inside the project (it was given as "${rel}")`,
      );
    }
    return absolute;
  }

  /** The real path of a project path (links followed), undefined when nothing is there; a UserError when a link leads out of the project. */
  private resolve(rel: string): string | undefined {
    return realPathInside(this.realRoot, this.locate(rel));
  }

  exists(rel: string): boolean {
    return this.resolve(rel) !== undefined;
  }

  isDirectory(rel: string): boolean {
    const real = this.resolve(rel);
    if (real === undefined) return false;
    try {
      return statSync(real).isDirectory();
    } catch {
      return false;
    }
  }

  /** The first of `candidates` that exists, or undefined. */
  firstExisting(candidates: readonly string[]): string | undefined {
    return candidates.find((c) => this.exists(c));
  }

  /** A file's text (UTF-8, without a byte order mark); undefined when there is no such file (or a folder is there). */
  readText(rel: string): string | undefined {
    if (!this.textCache.has(rel)) {
      const real = this.resolve(rel);
      const text = real === undefined ? undefined : readRegularText(real, { shown: this.abs(rel), directoryIsAbsent: true });
      this.textCache.set(rel, text);
    }
    return this.textCache.get(rel);
  }

  readJson<T>(rel: string): T | undefined {
    const text = this.readText(rel);
    if (text === undefined) return undefined;
    try {
      return JSON.parse(text) as T;
    } catch (error) {
      throw new UserError(`${this.abs(rel)}: invalid JSON (${firstLine((error as Error).message)}): fix the syntax`);
    }
  }

  readYaml<T>(rel: string): T | undefined {
    const text = this.readText(rel);
    if (text === undefined) return undefined;
    try {
      return parseYaml(text) as T;
    } catch (error) {
      throw new UserError(`${this.abs(rel)}: invalid YAML (${firstLine((error as Error).message)}): fix the syntax`);
    }
  }

  /** Entries of a directory (names only), sorted so that detection is deterministic. */
  list(rel: string): string[] {
    return this.entries(rel).map((entry) => entry.name);
  }

  private entries(rel: string): Dirent[] {
    const real = this.resolve(rel);
    if (real === undefined) return [];
    try {
      return readdirSync(real, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    } catch {
      return [];
    }
  }

  /**
   * Source files under `dirs` (relative paths, sorted), skipping dependency and output folders,
   * links to folders (a loop, or a tree elsewhere) and links out of the project. Bounded so that
   * a huge repository can't make detection slow: when the bound cuts the scan short, the files
   * in `first` (the entry files) are still in it, first.
   */
  sourceFiles(dirs: readonly string[], extensions: readonly string[], limit = 2000, first: readonly string[] = []): string[] {
    const found: string[] = [];
    const matches = (name: string) => extensions.some((ext) => name.endsWith(ext)) && !name.endsWith('.d.ts');
    const isSource = (child: string, entry: Dirent): boolean => {
      if (!matches(entry.name)) return false;
      if (entry.isFile()) return this.isSmall(child);
      // A link to a file inside the project is read; a link out of it, or to anything else, is not.
      if (!entry.isSymbolicLink()) return false;
      try {
        const real = this.resolve(child);
        return real !== undefined && statSync(real).isFile() && this.isSmall(child);
      } catch {
        return false;
      }
    };
    const walk = (rel: string): boolean => {
      for (const entry of this.entries(rel)) {
        if (found.length >= limit) return false;
        const child = rel === '.' ? entry.name : `${rel}/${entry.name}`;
        if (entry.isDirectory()) {
          if (!IGNORED_DIRS.has(entry.name) && !entry.name.startsWith('.') && !walk(child)) return false;
        } else if (isSource(child, entry)) {
          found.push(child);
        }
      }
      return true;
    };
    let complete = true;
    for (const dir of dirs) {
      if (dir === '.') {
        for (const entry of this.entries('.')) if (!entry.isDirectory() && isSource(entry.name, entry)) found.push(entry.name);
      } else if (this.isScannableDirectory(dir)) {
        complete = walk(dir) && complete;
      }
    }
    if (complete || first.length === 0) return found;
    const entries = first.filter((file) => {
      try {
        return matches(file) && this.exists(file) && !this.isDirectory(file) && this.isSmall(file);
      } catch (error) {
        if (error instanceof UserError) return false;
        throw error;
      }
    });
    return [...new Set([...entries, ...found])];
  }

  /** A directory to scan: a folder, or a link to one inside the project (never one out of it). */
  private isScannableDirectory(rel: string): boolean {
    try {
      return this.isDirectory(rel);
    } catch (error) {
      if (error instanceof UserError) return false;
      throw error;
    }
  }

  private isSmall(rel: string): boolean {
    try {
      return statSync(this.locate(rel)).size <= MAX_SOURCE_BYTES;
    } catch {
      return false;
    }
  }

  /** All dependencies (production, development, optional) by name. */
  get allDependencies(): Record<string, string> {
    const pkg = this.packageJson;
    return { ...pkg.optionalDependencies, ...pkg.devDependencies, ...pkg.dependencies };
  }

  hasDependency(name: string): boolean {
    return Object.hasOwn(this.allDependencies, name);
  }

  isProductionDependency(name: string): boolean {
    return Object.hasOwn(this.packageJson.dependencies ?? {}, name);
  }
}

/**
 * package.json with the types detection relies on, or a UserError naming the field: a number for
 * a name, an object for packageManager, a string for dependencies would otherwise surface as a
 * crash (exit 70) or as `CMD ["[object", "Object]"]`.
 */
function checkManifest(manifest: Record<string, unknown>, file: string): PackageJson {
  const wrong = (field: string, expected: string, value: unknown): UserError =>
    new UserError(`${file}: "${field}" must be ${expected}, not ${describeJson(value)}: fix the field`);
  const string = (field: string, value: unknown): void => {
    if (value !== undefined && typeof value !== 'string') throw wrong(field, 'a string', value);
  };
  const stringMap = (field: string, value: unknown, only?: readonly string[]): void => {
    if (value === undefined) return;
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw wrong(field, 'an object', value);
    for (const [key, item] of Object.entries(value)) if (!only || only.includes(key)) string(`${field}.${key}`, item);
  };
  const stringList = (field: string, value: unknown): void => {
    if (!Array.isArray(value)) throw wrong(field, 'a list of strings', value);
    value.forEach((item, index) => string(`${field}[${index}]`, item));
  };
  for (const field of ['name', 'type', 'main', 'packageManager'] as const) string(field, manifest[field]);
  for (const field of ['scripts', 'dependencies', 'devDependencies', 'optionalDependencies', 'peerDependencies'] as const) stringMap(field, manifest[field]);
  stringMap('engines', manifest.engines, ['node', 'npm', 'pnpm', 'yarn', 'bun']);
  stringMap('volta', manifest.volta, ['node', 'npm', 'pnpm', 'yarn']);
  const workspaces = manifest.workspaces;
  if (workspaces !== undefined) {
    if (typeof workspaces === 'object' && workspaces !== null && !Array.isArray(workspaces)) {
      const packages = (workspaces as { packages?: unknown }).packages;
      if (packages !== undefined) stringList('workspaces.packages', packages);
    } else {
      stringList('workspaces', workspaces);
    }
  }
  return manifest;
}

/** A JSON value's kind, for messages: "a number (42)", "an object". */
function describeJson(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return 'a string';
  if (typeof value === 'number' || typeof value === 'boolean') return `a ${typeof value} (${value})`;
  return `a ${typeof value}`;
}

export function firstLine(text: string): string {
  return text.split('\n')[0]!.trim();
}
