import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export const REPO_ROOT = path.resolve(import.meta.dirname, '../..');
export const FIXTURES = path.join(REPO_ROOT, 'fixtures');

/** Fixture projects (each directory of fixtures/). */
export function fixtureNames(): string[] {
  return readdirSync(FIXTURES, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
}

const created: string[] = [];

/** A scratch copy of a fixture (without node_modules), removed by removeScratchCopies(). */
export function copyFixture(name: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), `cms-${name}-`));
  cpSync(path.join(FIXTURES, name), dir, {
    recursive: true,
    filter: (source) => !source.split(path.sep).includes('node_modules') && !source.split(path.sep).includes('dist'),
  });
  created.push(dir);
  return dir;
}

/** A scratch copy of a fixture with package.json changed by `edit`, and `files` replaced (null: removed). */
export function fixtureWith(fixture: string, edit: (pkg: Record<string, unknown>) => void, files: Record<string, string | null> = {}): string {
  const dir = copyFixture(fixture);
  const pkg = JSON.parse(read(dir, 'package.json')) as Record<string, unknown>;
  edit(pkg);
  writeFileSync(path.join(dir, 'package.json'), JSON.stringify(pkg, null, 2));
  for (const [file, text] of Object.entries(files)) {
    if (text === null) rmSync(path.join(dir, file), { recursive: true, force: true });
    else writeFileSync(path.join(dir, file), text);
  }
  return dir;
}

/** An empty scratch directory. */
export function scratchDir(label: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), `cms-${label}-`));
  created.push(dir);
  return dir;
}

export interface ScratchProject {
  /** Written as package.json (2-space JSON) unless `files` has a package.json of its own. */
  packageJson?: Record<string, unknown>;
  /** Relative path → content; the folders of nested paths are created. */
  files?: Record<string, string>;
}

/** A scratch project made of `packageJson` and `files`, removed by removeScratchCopies(). */
export function scratchProject({ packageJson, files = {} }: ScratchProject = {}): string {
  const dir = scratchDir('project');
  const all = { ...(packageJson ? { 'package.json': JSON.stringify(packageJson, null, 2) } : {}), ...files };
  for (const [file, content] of Object.entries(all)) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), content);
  }
  return dir;
}

export function removeScratchCopies(): void {
  for (const dir of created.splice(0)) rmSync(dir, { recursive: true, force: true });
}

export function read(dir: string, file: string): string {
  return readFileSync(path.join(dir, file), 'utf8');
}

/** Every file in dir, recursively, relative, sorted. */
export function listFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)))
    .sort();
}

/** An adapter's detection in the facts, failing the test when the adapter reported a gap instead. */
export function detectionOf<D>(finding: { id: string; detection: D } | { id: string; gap: string } | undefined): D {
  if (finding === undefined) throw new Error('no such adapter finding');
  if ('gap' in finding) throw new Error(`${finding.id}: ${finding.gap}`);
  return finding.detection;
}
