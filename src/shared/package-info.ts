/**
 * Where the tool's package is and its version: read from the checkout here (src/ under vitest, tsc's
 * dist/); scripts/bundle.js replaces this module with one that holds the version as a literal. Kept
 * apart from assets.ts, whose bundled form inlines every template: the command line needs only
 * these two to answer --help and --version.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The package's root folder: the checkout, from src/shared/ and from dist/shared/ alike. */
const ROOT = new URL('../../', import.meta.url);

/** The package's root folder (package.json, bin/, and bundle/ once built). */
export function packageRoot(): string {
  return fileURLToPath(ROOT);
}

/** The tool's version, from its package.json. */
export function toolVersion(): string {
  return (JSON.parse(readFileSync(new URL('package.json', ROOT), 'utf8')) as { version: string }).version;
}
