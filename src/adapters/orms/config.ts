/**
 * What every migration tool's adapter needs to read its JavaScript/TypeScript configuration with
 * the real parser (src/project/js-module.ts), never by running it: the module, paths, strings,
 * environment variables and connection parts as values, and one-line errors naming the file.
 */
import path from 'node:path';
import { UserError } from '../../errors.js';
import { CONNECTION_PARTS, normaliseRelative, type ConnectionPart } from '../../project/config-text.js';
import type { Detected } from '../../project/detected.js';
import {
  asString,
  branches,
  ConfigSyntaxError,
  describe,
  envVariable,
  property,
  readModule,
  type JsModule,
  type JsValue,
  type ReadOptions,
} from '../../project/js-module.js';
import type { Project } from '../../project/project.js';
import { resolvePathAlias } from '../../project/typescript.js';

/** Extensions a tool's JavaScript/TypeScript configuration can have. */
export const SCRIPT_EXTENSIONS = ['.ts', '.mts', '.cts', '.js', '.mjs', '.cjs'];

/** Folders where projects keep their database configuration, besides the root. */
export const CONFIG_DIRS = ['config', 'src', 'db', 'database', 'src/config', 'src/database', 'src/db'];

/**
 * Parses a configuration file (and, lazily, the project files it imports, tsconfig `paths`
 * aliases included), as the tool loads it from `options.workingDirectory` (default: the root).
 * A syntax error is a UserError naming the file and line.
 */
export function readConfig(project: Project, file: string, options: ReadOptions = {}): JsModule {
  try {
    return readModule(
      {
        readText: (rel) => project.readText(rel),
        exists: (rel) => project.exists(rel),
        isDirectory: (rel) => project.isDirectory(rel),
        resolveAlias: (specifier) => resolvePathAlias(project, specifier),
      },
      file,
      options,
    );
  } catch (error) {
    if (error instanceof ConfigSyntaxError) {
      throw new UserError(`${project.abs(error.file)}:${error.line}:${error.column}: ${error.message}: fix the syntax (the file is read, never run)`);
    }
    throw error;
  }
}

/** The configuration a module exports: `export default`/`module.exports`, else its only named export. */
export function exportedConfig(module: JsModule): JsValue | undefined {
  if (module.defaultExport !== undefined) return module.defaultExport;
  const named = [...module.named.values()];
  return named.length === 1 ? named[0] : undefined;
}

/**
 * A path option of a configuration, relative to the project root. A plain string is resolved
 * from `base` (the project root, where the tools run, or the configuration's own folder, for tools
 * that resolve from there); a computed path (`path.join(__dirname, …)`) is already resolved.
 * Undefined when absent; a UserError when it can't be read or leaves the project.
 */
export function pathOption(
  project: Project,
  value: JsValue | undefined,
  where: { file: string; option: string; base: string; example: string },
): string | undefined {
  if (value === undefined || (value.kind === 'literal' && value.value === undefined)) return undefined;
  const text = asString(value);
  const location = text !== undefined ? normaliseRelative(path.posix.join(where.base, text)) : value.kind === 'path' ? value.path : undefined;
  if (location === undefined) {
    throw new UserError(
      `${project.abs(where.file)}: can't read ${where.option} (${describe(value)}) without running the file: write it as a string or path.join(__dirname, …) (e.g. ${where.example})`,
    );
  }
  if (location.startsWith('/') || location === '..' || location.startsWith('../')) {
    throw new UserError(
      `${project.abs(where.file)}: ${where.option} (${location}) is outside the project, which is all the image contains: move it into the project`,
    );
  }
  return location;
}

/** The first environment variable a value reads itself (a variable, or one branch of a ternary): never one inside a built-up text. */
export function variableOf(value: JsValue | undefined): string | undefined {
  for (const option of branches(value)) if (option.kind === 'env') return option.name;
  return undefined;
}

/** A URL variable found in a configuration, with its source. */
export function urlVariable(value: JsValue | undefined, source: string): Detected<string> | undefined {
  const name = variableOf(value);
  return name ? { value: name, source } : undefined;
}

/** The names configs give each part of a connection. */
const PART_KEYS: Record<ConnectionPart, readonly string[]> = {
  host: ['host', 'hostname'],
  port: ['port'],
  user: ['user', 'username'],
  password: ['password'],
  database: ['database', 'dbName', 'db'],
};

/**
 * Variables a connection object reads its parts from (`{ host: process.env.DB_HOST, … }`), when
 * it builds the connection out of them; undefined when it reads no host from a variable.
 */
export function connectionParts(connection: JsValue | undefined, source: string): Detected<Partial<Record<ConnectionPart, string>>> | undefined {
  const parts: Partial<Record<ConnectionPart, string>> = {};
  for (const part of CONNECTION_PARTS) {
    for (const key of PART_KEYS[part]) {
      const name = variableOf(property(connection, key)) ?? envVariable(property(connection, key))?.name;
      if (name) {
        parts[part] = name;
        break;
      }
    }
  }
  return parts.host ? { value: parts, source } : undefined;
}

/** Whether a value is (or may be) SQLite's in-memory database, which lives and dies with one process. */
export function isInMemory(value: JsValue | undefined): boolean {
  return branches(value).some((option) => {
    const text = asString(option) ?? (option.kind === 'env' ? asString(option.fallback) : undefined);
    return text !== undefined && /^(?:file:|sqlite:\/*)?:memory:/.test(text);
  });
}

/** The one-line error for an in-memory SQLite database. */
export function inMemoryError(project: Project, file: string, option: string, fix: string): UserError {
  return new UserError(
    `${project.abs(file)}: ${option} is SQLite's in-memory database (:memory:), which lives only as long as one process: the migrate container's tables would vanish before the app starts; ${fix}`,
  );
}

/** The string value of a property (certain: the same in every branch), or undefined. */
export function stringOption(value: JsValue | undefined, ...keys: string[]): string | undefined {
  return asString(property(value, ...keys));
}

/**
 * Every value inside `value`, itself first, depth first: object properties, array elements, the
 * options of a oneOf and the arguments of a library call (`createPool({ uri })`), so that a
 * driver's options can be found wherever a configuration nests them.
 */
export function* valuesWithin(value: JsValue | undefined, depth = 0): Generator<JsValue> {
  if (value === undefined || depth > 24) return;
  yield value;
  switch (value.kind) {
    case 'object':
      for (const item of value.properties.values()) yield* valuesWithin(item, depth + 1);
      break;
    case 'array':
      for (const item of value.elements) yield* valuesWithin(item, depth + 1);
      break;
    case 'oneOf':
      for (const item of value.options) yield* valuesWithin(item, depth + 1);
      break;
    case 'unknown':
      for (const item of value.call?.args ?? []) yield* valuesWithin(item, depth + 1);
      break;
    default:
      break;
  }
}
