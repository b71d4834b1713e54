/**
 * Global setup of the layers that run bin/create-migrating-stack.js (cli, e2e, swarm): the binary
 * runs bundle/, so bundle/ is rebuilt first (scripts/bundle.js, a second or two) when a file it is
 * built from is newer than it. `npm test` builds it before any layer runs.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const BUILT = path.join(ROOT, 'bundle/cli.js');
const SOURCES = ['src', 'templates', 'scripts/bundle.js', 'package.json', 'package-lock.json'];

function newest(file: string): number {
  const stat = statSync(file);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...readdirSync(file).map((entry) => newest(path.join(file, entry))));
}

export default function buildBundle(): void {
  const sources = SOURCES.map((source) => path.join(ROOT, source)).filter((source) => existsSync(source));
  if (existsSync(BUILT) && statSync(BUILT).mtimeMs >= Math.max(...sources.map(newest))) return;
  execFileSync(process.execPath, [path.join(ROOT, 'scripts/bundle.js')], { cwd: ROOT, stdio: 'inherit' });
}
