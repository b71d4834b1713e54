import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { UserError } from '../errors.js';

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

/**
 * Read-only view of the project directory. Detection only ever reads files through it, never
 * runs project code; malformed files become one-line errors that name the file.
 */
export class Project {
  private readonly textCache = new Map<string, string | undefined>();
  readonly packageJson: PackageJson;

  constructor(readonly root: string) {
    const manifest = this.readJson<PackageJson>('package.json');
    if (manifest === undefined) {
      throw new UserError(`${path.join(root, 'package.json')}: not found: run create-migrating-stack in (or pass) the directory of a Node.js project`);
    }
    if (typeof manifest !== 'object' || manifest === null || Array.isArray(manifest)) {
      throw new UserError(`${path.join(root, 'package.json')}: expected a JSON object: fix the file`);
    }
    this.packageJson = manifest;
  }

  abs(rel: string): string {
    return path.join(this.root, rel);
  }

  exists(rel: string): boolean {
    return existsSync(this.abs(rel));
  }

  isDirectory(rel: string): boolean {
    try {
      return statSync(this.abs(rel)).isDirectory();
    } catch {
      return false;
    }
  }

  /** The first of `candidates` that exists, or undefined. */
  firstExisting(candidates: readonly string[]): string | undefined {
    return candidates.find((c) => this.exists(c));
  }

  readText(rel: string): string | undefined {
    if (!this.textCache.has(rel)) {
      let text: string | undefined;
      try {
        text = readFileSync(this.abs(rel), 'utf8');
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT' && (error as NodeJS.ErrnoException).code !== 'EISDIR') {
          throw new UserError(`${this.abs(rel)}: cannot be read (${(error as Error).message}): fix its permissions`);
        }
      }
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
    try {
      return readdirSync(this.abs(rel)).sort();
    } catch {
      return [];
    }
  }

  /**
   * Source files under `dirs` (relative paths, sorted), skipping dependency and output folders.
   * Bounded so that a huge repository can't make detection slow.
   */
  sourceFiles(dirs: readonly string[], extensions: readonly string[], limit = 2000): string[] {
    const found: string[] = [];
    const walk = (rel: string): void => {
      for (const name of this.list(rel)) {
        if (found.length >= limit) return;
        const child = rel === '.' ? name : `${rel}/${name}`;
        if (this.isDirectory(child)) {
          if (!IGNORED_DIRS.has(name) && !name.startsWith('.')) walk(child);
        } else if (extensions.some((ext) => name.endsWith(ext)) && !name.endsWith('.d.ts')) {
          found.push(child);
        }
      }
    };
    for (const dir of dirs) {
      if (dir === '.') {
        for (const name of this.list('.')) {
          if (!this.isDirectory(name) && extensions.some((ext) => name.endsWith(ext))) found.push(name);
        }
      } else if (this.isDirectory(dir)) {
        walk(dir);
      }
    }
    return found;
  }

  /** All dependencies (production, development, optional) by name. */
  get allDependencies(): Record<string, string> {
    const pkg = this.packageJson;
    return { ...pkg.optionalDependencies, ...pkg.devDependencies, ...pkg.dependencies };
  }

  hasDependency(name: string): boolean {
    return name in this.allDependencies;
  }

  isProductionDependency(name: string): boolean {
    return name in (this.packageJson.dependencies ?? {});
  }
}

export function firstLine(text: string): string {
  return text.split('\n')[0]!.trim();
}
