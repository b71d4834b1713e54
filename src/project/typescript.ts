/**
 * The TypeScript compiler's settings the image depends on: which tsconfig the build script
 * compiles with (tsconfig.build.json for `nest build` or `tsc -p …`), following `extends`, and
 * where tsc writes each source file's JavaScript.
 */
import path from 'node:path';
import { globSync } from 'tinyglobby';
import { parse as parseJsonc, printParseErrorCode, type ParseError } from 'jsonc-parser';
import { UserError } from '../errors.js';
import { normaliseRelative } from './config-text.js';
import type { Project } from './project.js';

/** Extensions tsc turns into JavaScript, and what it writes instead. */
const COMPILED_EXTENSIONS: Record<string, string> = { '.ts': '.js', '.mts': '.mjs', '.cts': '.cjs', '.tsx': '.js' };
/** How many `extends` a tsconfig may chain before it is treated as a loop. */
const MAX_EXTENDS = 8;

interface TsconfigFile {
  extends?: unknown;
  compilerOptions?: { rootDir?: unknown; outDir?: unknown; baseUrl?: unknown; paths?: unknown; noEmit?: unknown; allowJs?: unknown };
  include?: unknown;
  exclude?: unknown;
  files?: unknown;
}

/** The options that decide where compiled output goes, as the build resolves them. */
export interface TypescriptOutput {
  /** The tsconfig the build compiles with, relative to the project root. */
  tsconfig: string;
  rootDir?: string;
  outDir?: string;
  include: string[];
  exclude: string[];
  /** compilerOptions.noEmit and allowJs, `extends` followed. */
  noEmit?: boolean;
  allowJs?: boolean;
  /** The tsconfig's `files` list. */
  files?: string[];
}

/** Whether `file` is TypeScript that the image runs compiled (src/x.ts → dist/x.js). */
export function isTypeScript(file: string): boolean {
  return path.posix.extname(file) in COMPILED_EXTENSIONS && !file.endsWith('.d.ts');
}

/**
 * The tsconfig the build script compiles with: `tsc -p <file>`, `nest build` (nest-cli.json's
 * tsConfigPath, else tsconfig.build.json when there is one), else tsconfig.json.
 */
export function buildTsconfig(project: Project): string {
  const build = project.packageJson.scripts?.build ?? compilerWithoutBuildScript(project) ?? '';
  const named = /\btsc\b[^&|;]*?(?:-p|--project)[\s=]+['"]?([^\s'"]+)/.exec(build)?.[1];
  if (named) {
    const file = normaliseRelative(named);
    return project.isDirectory(file) ? `${file}/tsconfig.json` : file;
  }
  if (/\bnest\s+build\b/.test(build)) {
    const nestCli = project.readJson<{ compilerOptions?: { tsConfigPath?: unknown } }>('nest-cli.json');
    const configured = nestCli?.compilerOptions?.tsConfigPath;
    if (typeof configured === 'string') return normaliseRelative(configured);
    if (project.exists('tsconfig.build.json')) return 'tsconfig.build.json';
  }
  return 'tsconfig.json';
}

/** rootDir, outDir and include of the build's tsconfig, `extends` followed (a child's settings win). */
export function typescriptOutput(project: Project): TypescriptOutput | undefined {
  const tsconfig = buildTsconfig(project);
  const result: TypescriptOutput = { tsconfig, include: [], exclude: [] };
  let file: string | undefined = tsconfig;
  let found = false;
  for (let depth = 0; file !== undefined && depth < MAX_EXTENDS; depth++) {
    const config = readTsconfig(project, file);
    if (config === undefined) break;
    found = true;
    const dir = path.posix.dirname(file);
    // Paths in a tsconfig are relative to the file that sets them.
    const relative = (value: unknown) => (typeof value === 'string' && value !== '' ? normaliseRelative(path.posix.join(dir, value)) : undefined);
    result.rootDir ??= relative(config.compilerOptions?.rootDir);
    result.outDir ??= relative(config.compilerOptions?.outDir);
    if (typeof config.compilerOptions?.noEmit === 'boolean') result.noEmit ??= config.compilerOptions.noEmit;
    if (typeof config.compilerOptions?.allowJs === 'boolean') result.allowJs ??= config.compilerOptions.allowJs;
    if (result.files === undefined && Array.isArray(config.files)) {
      result.files = config.files.filter((entry): entry is string => typeof entry === 'string').map((entry) => normaliseRelative(path.posix.join(dir, entry)));
    }
    if (result.include.length === 0 && Array.isArray(config.include)) {
      result.include = config.include
        .filter((entry): entry is string => typeof entry === 'string')
        .map((entry) => normaliseRelative(path.posix.join(dir, entry)));
    }
    if (result.exclude.length === 0 && Array.isArray(config.exclude)) {
      result.exclude = config.exclude
        .filter((entry): entry is string => typeof entry === 'string')
        .map((entry) => normaliseRelative(path.posix.join(dir, entry)));
    }
    // Only a relative extends is a project file; a package's base config (@tsconfig/node20) sets no output paths.
    file = relativeExtends(file, config.extends);
  }
  return found ? result : undefined;
}

/**
 * The project path a bare import specifier stands for through compilerOptions.paths of
 * tsconfig.json (`extends` followed): "@/env" with `"@/*": ["./src/*"]` → "src/env". Undefined
 * when no alias matches (a package).
 */
export function resolvePathAlias(project: Project, specifier: string): string | undefined {
  let file: string | undefined = 'tsconfig.json';
  for (let depth = 0; file !== undefined && depth < MAX_EXTENDS; depth++) {
    const config = readTsconfig(project, file);
    if (config === undefined) return undefined;
    const dir = path.posix.dirname(file);
    const paths = config.compilerOptions?.paths;
    if (typeof paths === 'object' && paths !== null && !Array.isArray(paths)) {
      const baseUrl = config.compilerOptions?.baseUrl;
      const base = typeof baseUrl === 'string' ? path.posix.join(dir, baseUrl) : dir;
      for (const [pattern, targets] of Object.entries(paths as Record<string, unknown>)) {
        const target = Array.isArray(targets) && typeof targets[0] === 'string' ? targets[0] : undefined;
        if (target === undefined) continue;
        const star = pattern.indexOf('*');
        if (star === -1) {
          if (pattern === specifier) return normaliseRelative(path.posix.join(base, target));
          continue;
        }
        const prefix = pattern.slice(0, star);
        const suffix = pattern.slice(star + 1);
        if (specifier.length >= prefix.length + suffix.length && specifier.startsWith(prefix) && specifier.endsWith(suffix)) {
          const matched = specifier.slice(prefix.length, specifier.length - suffix.length);
          return normaliseRelative(path.posix.join(base, target.replace('*', matched)));
        }
      }
      return undefined;
    }
    file = relativeExtends(file, config.extends);
  }
  return undefined;
}

/** compilerOptions.outDir of the build's tsconfig, normalised ("./dist/" → "dist"), if any. */
export function typescriptOutDir(project: Project): string | undefined {
  return typescriptOutput(project)?.outDir;
}

/**
 * The build's rootDir and outDir. Without rootDir, tsc uses the common folder of its inputs: the
 * one folder `include` names, else the project root. Throws a UserError naming the file when the
 * image could not get compiled output (`why` says what needs it).
 */
export function typescriptDirectories(project: Project, why: string): { rootDir: string; outDir: string } {
  const output = typescriptOutput(project);
  const file = project.abs(output?.tsconfig ?? 'tsconfig.json');
  if (!output) throw new UserError(`${file}: not found, and ${why}: add one with compilerOptions.outDir`);
  if (output.outDir === undefined) throw new UserError(`${file}: no compilerOptions.outDir, and ${why}: set outDir (e.g. "dist")`);
  if (!project.packageJson.scripts?.build && !compileCommand(project)) {
    throw new UserError(`${project.abs('package.json')}: no "build" script, and ${why}: add "build": "tsc"`);
  }
  // A folder the build excludes whole (tsconfig.build.json's "test") adds no input files.
  const excluded = new Set(output.exclude.map((entry) => entry.replace(/\/(\*\*(\/\*)?)?$/, '')));
  const tops = output.include.map((entry) => entry.split('/')[0]!).filter((top) => !excluded.has(top));
  const inferred = tops.length > 0 && tops.every((top) => top === tops[0] && !/[*.]/.test(top)) ? tops[0]! : '.';
  return { rootDir: output.rootDir ?? commonSourceDirectory(project, output) ?? inferred, outDir: output.outDir };
}

/**
 * Where tsc writes the JavaScript of a TypeScript source file or folder (src/migrate.ts →
 * dist/migrate.js, src/migrations → dist/migrations); JavaScript paths stay as they are.
 */
export function compiledJavaScriptPath(project: Project, sourcePath: string, why: string): string {
  const extension = path.posix.extname(sourcePath);
  const file = isTypeScript(sourcePath);
  if (!file && extension !== '') return sourcePath;
  const { rootDir, outDir } = typescriptDirectories(project, why);
  const relative = path.posix.relative(rootDir, sourcePath);
  if (relative.startsWith('..')) {
    throw new UserError(
      `${project.abs('tsconfig.json')}: ${sourcePath} is outside compilerOptions.rootDir (${rootDir}), so tsc won't compile it, and ${why}: move it under ${rootDir}/ or fix rootDir`,
    );
  }
  const compiled = file ? relative.slice(0, -extension.length) + COMPILED_EXTENSIONS[extension]! : relative;
  return normaliseRelative(path.posix.join(outDir, compiled));
}

/**
 * The command that compiles a TypeScript project that has no "build" script, run directly in the
 * build stage: `nest build` for NestJS with its CLI installed, else the project's own tsc on the
 * build's tsconfig. Undefined when the project has a build script, no compiler, no tsconfig with
 * an outDir, or a tsconfig that emits nothing (noEmit).
 */
export function compileCommand(project: Project): string | undefined {
  if (project.packageJson.scripts?.build !== undefined) return undefined;
  const script = compilerWithoutBuildScript(project);
  if (script === undefined) return undefined;
  const output = typescriptOutput(project);
  if (output?.outDir === undefined || output.noEmit === true) return undefined;
  return `node_modules/.bin/${script}`;
}

/** What a "build" script would say for a project without one: `nest build` or `tsc -p <tsconfig>`. */
function compilerWithoutBuildScript(project: Project): string | undefined {
  if (project.packageJson.scripts?.build !== undefined) return undefined;
  if (project.hasDependency('@nestjs/cli') && project.hasDependency('@nestjs/core')) return 'nest build';
  if (!project.hasDependency('typescript')) return undefined;
  const tsconfig = project.firstExisting(['tsconfig.build.json', 'tsconfig.json']);
  return tsconfig === undefined ? undefined : `tsc -p ${tsconfig}`;
}

/** Extensions of the files tsc takes as inputs (JavaScript too with allowJs). */
const TS_INPUTS = ['.ts', '.tsx', '.mts', '.cts'];
const JS_INPUTS = ['.js', '.jsx', '.mjs', '.cjs'];
/** Input files looked at to find their common folder: enough for any real project, bounded for a huge one. */
const MAX_INPUTS = 5000;

/**
 * tsc's own rootDir when none is set: the longest common folder of the files it compiles (its
 * `files` and what `include` matches, minus `exclude`, node_modules and the outDir). Declaration
 * files don't count. Undefined when no input file is found.
 */
function commonSourceDirectory(project: Project, output: TypescriptOutput): string | undefined {
  const extensions = output.allowJs ? [...TS_INPUTS, ...JS_INPUTS] : TS_INPUTS;
  // A pattern without a wildcard or an extension names a folder: everything in it.
  const pattern = (entry: string) => (/[*?]/.test(entry) || path.posix.extname(entry) !== '' ? entry : `${entry}/**/*`);
  const include = output.include.length > 0 || output.files ? output.include : ['**/*'];
  let inputs: string[];
  try {
    inputs =
      include.length === 0
        ? []
        : globSync(include.map(pattern), {
            cwd: project.root,
            ignore: ['**/node_modules/**', '**/.git/**', ...(output.outDir ? [`${output.outDir}/**`] : []), ...output.exclude.map(pattern)],
            onlyFiles: true,
            expandDirectories: false,
            // A link may lead out of the project: tsc's inputs are the project's own files.
            followSymbolicLinks: false,
          });
  } catch {
    return undefined;
  }
  const files = [...(output.files ?? []), ...inputs.slice(0, MAX_INPUTS)].filter(
    (file) => extensions.some((extension) => file.endsWith(extension)) && !/\.d\.[cm]?ts$/.test(file),
  );
  if (files.length === 0) return undefined;
  let common = path.posix.dirname(normaliseRelative(files[0]!)).split('/');
  for (const file of files.slice(1)) {
    const parts = path.posix.dirname(normaliseRelative(file)).split('/');
    let same = 0;
    while (same < common.length && same < parts.length && common[same] === parts[same]) same++;
    common = common.slice(0, same);
  }
  const dir = common.join('/');
  return dir === '' || dir === '.' ? '.' : dir;
}

/** The source a compiled path came from (dist/migrations → src/migrations), when it lies in outDir. */
export function sourcePathOf(project: Project, compiledPath: string, why: string): string {
  const { rootDir, outDir } = typescriptDirectories(project, why);
  const inside = compiledPath === outDir || compiledPath.startsWith(`${outDir}/`);
  return inside ? normaliseRelative(path.posix.join(rootDir, path.posix.relative(outDir, compiledPath))) : compiledPath;
}

/**
 * The file a tsconfig's `extends` names when it is a relative path ("../tsconfig.base" beside
 * `file` → "tsconfig.base.json"); undefined for a package's config (@tsconfig/node20) or none.
 */
export function relativeExtends(file: string, extended: unknown): string | undefined {
  if (typeof extended !== 'string' || !extended.startsWith('.')) return undefined;
  const target = normaliseRelative(path.posix.join(path.posix.dirname(file), extended));
  return target.endsWith('.json') ? target : `${target}.json`;
}

/** A tsconfig's `extends` as written (a relative path, or a package's config), if it has one. */
export function tsconfigExtends(project: Project, file: string): string | undefined {
  const extended = readTsconfig(project, file)?.extends;
  return typeof extended === 'string' ? extended : undefined;
}

/**
 * The tsconfig files a tool reading `file` loads: it, then each file its relative `extends` name
 * (a package's config is installed with the dependencies).
 */
export function tsconfigChain(project: Project, file: string): string[] {
  const files: string[] = [];
  for (let next: string | undefined = file; next !== undefined && files.length < MAX_EXTENDS; next = relativeExtends(next, tsconfigExtends(project, next))) {
    if (files.includes(next) || !project.exists(next) || project.isDirectory(next)) break;
    files.push(next);
  }
  return files;
}

function readTsconfig(project: Project, file: string): TsconfigFile | undefined {
  const text = project.readText(file);
  if (text === undefined) return undefined;
  const errors: ParseError[] = [];
  const config = parseJsonc(text, errors, { allowTrailingComma: true }) as unknown;
  if (errors[0]) {
    throw new UserError(`${project.abs(file)}: invalid JSON (${printParseErrorCode(errors[0].error)} at offset ${errors[0].offset}): fix the syntax`);
  }
  return typeof config === 'object' && config !== null && !Array.isArray(config) ? config : {};
}
