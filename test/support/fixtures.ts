import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
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

/** An empty scratch directory. */
export function scratchDir(label: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), `cms-${label}-`));
  created.push(dir);
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
