/**
 * Reads JavaScript/TypeScript configuration files (knexfile.js, drizzle.config.ts, data-source.ts,
 * env.ts, …) without running them: the file is parsed with @babel/parser and the small,
 * side-effect-free subset that configs are written in is evaluated — literals, objects and their
 * spreads, local constants, `process.env` reads, `path.join(__dirname, …)`, relative imports,
 * wrappers such as `defineConfig`. Anything else becomes an `unknown` value that keeps its source
 * text, so that callers can say what they could not read. Nothing in the project is ever executed.
 */
import path from 'node:path';
import { parse, type ParserPlugin } from '@babel/parser';
import type * as t from '@babel/types';

const posix = path.posix;

// ───────────────────────────── Public types ─────────────────────────────

/** Read-only access to the project's files; paths are project-relative POSIX paths ("config/knexfile.js"). */
export interface SourceReader {
  readText(rel: string): string | undefined;
  exists(rel: string): boolean;
  isDirectory(rel: string): boolean;
  /**
   * The project path (without extension, as a relative import would name it) that a bare
   * specifier stands for through the project's own aliases (tsconfig `paths`: "@/env" → "src/env"),
   * or undefined for a package.
   */
  resolveAlias?(specifier: string): string | undefined;
}

/**
 * A file that cannot be read as JavaScript/TypeScript: a syntax error, or a file beyond the
 * reader's limits (too large, nested too deeply). `line` and `column` are 1-based; `message` has
 * no position in it, so callers can format "file:line:column: message" themselves.
 */
export class ConfigSyntaxError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    readonly column: number,
    message: string,
  ) {
    super(message);
    this.name = 'ConfigSyntaxError';
  }
}

interface ValueBase {
  /** The value is what a function returns (`export default () => ({…})`): the tool reading the config calls it first. */
  readonly fromFunction?: true;
}

/** A string, number, boolean, null or undefined written in (or computed from literals in) the file. */
export interface LiteralValue extends ValueBase {
  readonly kind: 'literal';
  readonly value: string | number | boolean | null | undefined;
}

/** An object literal, in property order. `incomplete`: a spread or computed key could not be read, so properties may be missing. */
export interface ObjectValue extends ValueBase {
  readonly kind: 'object';
  readonly properties: ReadonlyMap<string, JsValue>;
  readonly incomplete: boolean;
  /** The constructor the object was passed to: `new DataSource({…})` reads as its options, tagged "DataSource". */
  readonly constructedBy?: string;
}

/** An array literal. `incomplete`: a spread could not be read. */
export interface ArrayValue extends ValueBase {
  readonly kind: 'array';
  readonly elements: readonly JsValue[];
  readonly incomplete: boolean;
}

/**
 * A read of an environment variable: `process.env.X`, `process.env['X']`, `const { X } = process.env`,
 * `env('X')` (prisma/config), `Bun.env.X`, `import.meta.env.X`, or `X` of a validated env object.
 */
export interface EnvValue extends ValueBase {
  readonly kind: 'env';
  readonly name: string;
  /** Used when the variable is unset: `?? d`, `|| d`, a destructuring default, convict's default. */
  readonly fallback?: JsValue;
  /** `Number(process.env.X)`, `parseInt(…)`, `String(…)`, `Boolean(…)`, `+process.env.X`. */
  readonly conversion?: 'number' | 'string' | 'boolean';
}

/** Text built from literal text and values not known until run time: `postgres://${process.env.DB_USER}@db/app`. */
export interface TemplateValue extends ValueBase {
  readonly kind: 'template';
  /** Literal strings (never two in a row, never empty) and other values, in order; at least one part is not a literal. */
  readonly parts: readonly JsValue[];
}

/** One of several values, decided at run time: `NODE_ENV === 'production' ? a : b`, `a || b` when `a` is not known. */
export interface OneOfValue extends ValueBase {
  readonly kind: 'oneOf';
  /** Two or more, flattened, in source order. */
  readonly options: readonly JsValue[];
}

/**
 * A location computed from where the config file is: `path.join(__dirname, 'migrations')`,
 * `__dirname + '/migrations'`, `new URL('./x', import.meta.url)`, `path.resolve('db')` (from the
 * working directory of the tool: the project root unless readModule is told otherwise). Relative strings that no path function touched stay literals.
 */
export interface PathValue extends ValueBase {
  readonly kind: 'path';
  /** Normalised POSIX path relative to the project root ("." is the root), or absolute. Globs are kept as written. */
  readonly path: string;
  /** The path is absolute or climbs out of the project ("../shared"): the image does not contain it. */
  readonly outsideProject: boolean;
}

/** Anything the reader does not evaluate. */
export interface UnknownValue extends ValueBase {
  readonly kind: 'unknown';
  /** The source text, shortened, for messages. */
  readonly source: string;
  /** Why it could not be read, when that is more than "not a construct the reader evaluates" (a syntax error in an imported file, a limit). */
  readonly reason?: string;
  /** The call it is the result of, when it is one (`z.string().url()`, `port({ default: 3000 })`). */
  readonly call?: CallInfo;
}

/** A call of a library function, kept so that callers can read schema builders such as zod, joi or envalid. */
export interface CallInfo {
  /**
   * The callee as written ("z.object", "port", "Joi.string"), a named import by its exported name;
   * for a method called on a value, the method's name ("default").
   */
  readonly callee: string;
  /** The package the callee comes from ("zod"), when it is imported or required. */
  readonly module?: string;
  /** The value the method is called on, for method chains (`z.string().url()`: the call `z.string()`). */
  readonly receiver?: JsValue;
  readonly args: readonly JsValue[];
  readonly isNew?: true;
}

export type JsValue = LiteralValue | ObjectValue | ArrayValue | EnvValue | TemplateValue | OneOfValue | PathValue | UnknownValue;

/** A variable the file reads from the environment. */
export interface EnvRead {
  readonly name: string;
  /** The first fallback the file gives it, if any. */
  readonly fallback?: JsValue;
  /** 1-based line of the first read. */
  readonly line: number;
}

/** A parsed JavaScript/TypeScript (or JSON) module; values are evaluated on first use. */
export interface JsModule {
  readonly file: string;
  /** `export default …` or, for CommonJS, `module.exports` (with `exports.x = …` applied). */
  readonly defaultExport: JsValue | undefined;
  /** Named exports: `export const x`, `export { a as b }`, `export * from`, properties of `module.exports`. */
  readonly named: ReadonlyMap<string, JsValue>;
  /**
   * The evaluated arguments of every `new X(…)` and call `X(…)` anywhere in the file, in source order.
   * `name` matches the callee as written ("DataSource", "z.object") or its last part(s) ("object" matches "z.object").
   */
  constructions(name: string): JsValue[][];
  /** Variables read from the environment anywhere in the file, once each, in order of first appearance. */
  envReads(): EnvRead[];
}

// ───────────────────────────── Limits ─────────────────────────────

/** Bounds that keep a hostile or generated file from hanging or exhausting the reader. */
const LIMITS = {
  /** Characters of one file; configs are a few kilobytes. */
  fileSize: 1_000_000,
  /** Files one readModule parses: the config and what it imports. */
  files: 32,
  /** Length of a chain of relative imports. */
  importDepth: 8,
  /** Nested evaluations: expressions within expressions, constants referring to constants. Configs nest a few dozen. */
  evaluationDepth: 120,
  /** Evaluation steps in one readModule, across all its files. */
  steps: 250_000,
  /** Nested calls of the file's own functions. */
  callDepth: 16,
  /** Syntax-tree depth that the whole-file walk (constructions, envReads) descends to. */
  walkDepth: 400,
  /** Characters of a string built by concatenation. */
  stringLength: 100_000,
  /** Properties of one object, elements of one array. */
  collectionSize: 10_000,
  /** Possibilities one oneOf keeps. */
  options: 16,
  /** Characters of source text kept in an unknown value. */
  sourceText: 60,
} as const;

// ───────────────────────────── Value helpers (public) ─────────────────────────────

/**
 * The value at `path` inside `value`: walks object properties (and array indexes); at a oneOf,
 * the first branch in which the whole rest of the path exists. Undefined when absent.
 */
export function property(value: JsValue | undefined, ...path: string[]): JsValue | undefined {
  if (value === undefined || path.length === 0) return value;
  const [key, ...rest] = path as [string, ...string[]];
  if (value.kind === 'oneOf') {
    for (const option of value.options) {
      const found = property(option, ...path);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  if (value.kind === 'object') return property(value.properties.get(key), ...rest);
  if (value.kind === 'array' && /^\d+$/.test(key)) return property(value.elements[Number(key)], ...rest);
  return undefined;
}

/** The string a value certainly is: a string literal, or a oneOf whose branches are all the same string. */
export function asString(value: JsValue | undefined): string | undefined {
  if (value?.kind === 'literal') return typeof value.value === 'string' ? value.value : undefined;
  if (value?.kind !== 'oneOf') return undefined;
  const strings = value.options.map(asString);
  return strings.every((s) => s !== undefined && s === strings[0]) ? strings[0] : undefined;
}

/** The first environment variable read inside a value: the value itself, a part of a template, a branch of a oneOf. */
export function envVariable(value: JsValue | undefined): EnvValue | undefined {
  switch (value?.kind) {
    case 'env':
      return value;
    case 'template':
      return firstDefined(value.parts, envVariable);
    case 'oneOf':
      return firstDefined(value.options, envVariable);
    default:
      return undefined;
  }
}

/** The possible values: the options of a oneOf, else the value itself. */
export function branches(value: JsValue | undefined): JsValue[] {
  if (value === undefined) return [];
  return value.kind === 'oneOf' ? [...value.options] : [value];
}

/** Short human-readable text for a value, for messages ("process.env.DATABASE_URL", "{ client, connection, … }"). */
export function describe(value: JsValue | undefined): string {
  const text = describeValue(value, 0);
  return text.length > 80 ? `${text.slice(0, 79)}…` : text;
}

function describeValue(value: JsValue | undefined, depth: number): string {
  if (value === undefined) return 'nothing';
  if (depth > 3) return '…';
  const inner = (v: JsValue | undefined): string => describeValue(v, depth + 1);
  let text: string;
  switch (value.kind) {
    case 'literal':
      text = typeof value.value === 'string' ? `'${value.value}'` : String(value.value);
      break;
    case 'env': {
      const read = `process.env.${value.name}`;
      const withFallback = value.fallback ? `${read} ?? ${inner(value.fallback)}` : read;
      const conversion = { number: 'Number', string: 'String', boolean: 'Boolean' }[value.conversion ?? 'string'];
      text = value.conversion ? `${conversion}(${withFallback})` : withFallback;
      break;
    }
    case 'template':
      text = `\`${value.parts.map((p) => (p.kind === 'literal' ? String(p.value) : `\${${inner(p)}}`)).join('')}\``;
      break;
    case 'object': {
      const keys = [...value.properties.keys()];
      const listed = keys.slice(0, 4).join(', ') + (keys.length > 4 || value.incomplete ? ', …' : '');
      const body = listed ? `{ ${listed} }` : '{}';
      text = value.constructedBy ? `new ${value.constructedBy}(${body})` : body;
      break;
    }
    case 'array':
      text = `[${value.elements.slice(0, 3).map(inner).join(', ')}${value.elements.length > 3 || value.incomplete ? ', …' : ''}]`;
      break;
    case 'oneOf':
      text = value.options.map(inner).join(' or ');
      break;
    case 'path':
      text = value.path;
      break;
    case 'unknown':
      text = value.source;
      break;
  }
  return value.fromFunction ? `() => ${text}` : text;
}

function firstDefined<T, R>(items: readonly T[], map: (item: T) => R | undefined): R | undefined {
  for (const item of items) {
    const result = map(item);
    if (result !== undefined) return result;
  }
  return undefined;
}

// ───────────────────────────── Value construction ─────────────────────────────

const UNDEFINED: LiteralValue = { kind: 'literal', value: undefined };

function literal(value: LiteralValue['value']): LiteralValue {
  return { kind: 'literal', value };
}

function unknown(source: string, reason?: string, call?: CallInfo): UnknownValue {
  return { kind: 'unknown', source, ...(reason ? { reason } : {}), ...(call ? { call } : {}) };
}

/** An unknown result of an operation on values, keeping the reason an operand could not be read (a cycle, a limit). */
function unknownFrom(source: string, ...operands: readonly (JsValue | undefined)[]): UnknownValue {
  return unknown(
    source,
    firstDefined(operands, (operand) => (operand?.kind === 'unknown' ? operand.reason : undefined)),
  );
}

function objectValue(properties: ReadonlyMap<string, JsValue>, incomplete = false): ObjectValue {
  return { kind: 'object', properties, incomplete };
}

function envRead(name: string): EnvValue {
  return { kind: 'env', name };
}

/** A path relative to the project root (or absolute), normalised. */
function projectPath(location: string): PathValue {
  let normal = posix.normalize(location || '.');
  if (normal.length > 1 && normal.endsWith('/')) normal = normal.slice(0, -1);
  if (normal.startsWith('./')) normal = normal.slice(2);
  return { kind: 'path', path: normal, outsideProject: isOutside(normal) };
}

function isOutside(normalised: string): boolean {
  return normalised.startsWith('/') || normalised === '..' || normalised.startsWith('../');
}

/** Several possible values as one; flattens nested oneOfs and drops repeated literals. */
function oneOf(values: readonly JsValue[], source: () => string): JsValue {
  const options: JsValue[] = [];
  for (const value of values) {
    for (const option of value.kind === 'oneOf' && !value.fromFunction ? value.options : [value]) {
      if (!options.some((known) => sameValue(known, option))) options.push(option);
    }
  }
  if (options.length === 0) return UNDEFINED;
  if (options.length === 1) return options[0]!;
  if (options.length > LIMITS.options) return unknown(source(), 'too many possible values to read');
  return { kind: 'oneOf', options };
}

function sameValue(a: JsValue, b: JsValue): boolean {
  if (a === b) return true;
  if (a.kind === 'literal' && b.kind === 'literal') return Object.is(a.value, b.value) && !a.fromFunction === !b.fromFunction;
  return false;
}

// ───────────────────────────── Internal meanings ─────────────────────────────

/**
 * What the reader knows about some values beyond their public shape: `process.env` is a source
 * of env reads, `path` is the path module, a function can be called with arguments. Kept under a
 * symbol, non-enumerable, so callers (and test equality) see only the public value.
 */
const INTERNAL = Symbol('js-module internal');

type Builtin =
  | 'identity'
  | 'Number'
  | 'parseInt'
  | 'parseFloat'
  | 'String'
  | 'Boolean'
  | 'Object.assign'
  | 'path.join'
  | 'path.resolve'
  | 'path.dirname'
  | 'path.normalize'
  | 'fileURLToPath'
  | 'URL'
  | 'cwd'
  | 'require'
  | 'createRequire'
  | 'prismaEnv'
  | 'createEnv'
  | 'cleanEnv'
  | 'envSchema'
  | 'convict';

type FunctionNode = t.ArrowFunctionExpression | t.FunctionExpression | t.FunctionDeclaration | t.ObjectMethod | t.ClassMethod | t.ClassPrivateMethod;

type Internal =
  /** `process.env` or an object validated from it: every property is an env read (or the override given for it). */
  | { readonly type: 'environment'; readonly overrides?: ReadonlyMap<string, JsValue>; readonly notVariables?: ReadonlySet<string> }
  /** The result of `convict(schema)`: `get('a.b')` reads the schema. */
  | { readonly type: 'convict'; readonly schema: JsValue }
  /** Something imported or required from a package: `members` are the property names read from it. */
  | { readonly type: 'package'; readonly module: string; readonly members: readonly string[] }
  /** A known global object (`process`, `import.meta`, `Object`) whose members are computed on demand. */
  | { readonly type: 'members'; readonly get: (name: string) => JsValue | undefined }
  | { readonly type: 'builtin'; readonly name: Builtin }
  /** A function of the file: evaluated as its return value, and callable with arguments. */
  | { readonly type: 'function'; readonly node: FunctionNode; readonly scope: Scope };

function withInternal<T extends JsValue>(value: T, internal: Internal): T {
  Object.defineProperty(value, INTERNAL, { value: internal, enumerable: false });
  return value;
}

function internalOf(value: JsValue | undefined): Internal | undefined {
  return value ? (value as { [INTERNAL]?: Internal })[INTERNAL] : undefined;
}

function builtinValue(source: string, name: Builtin): UnknownValue {
  return withInternal(unknown(source), { type: 'builtin', name });
}

function membersValue(source: string, members: Readonly<Record<string, () => JsValue>>): UnknownValue {
  return withInternal(unknown(source), { type: 'members', get: (name) => (Object.hasOwn(members, name) ? members[name]!() : undefined) });
}

function environmentValue(source: string, options: { overrides?: ReadonlyMap<string, JsValue>; notVariables?: ReadonlySet<string> } = {}): UnknownValue {
  return withInternal(unknown(source), { type: 'environment', ...options });
}

function packageValue(module: string, members: readonly string[]): UnknownValue {
  const source = members.length === 0 ? `require('${module}')` : `${members.join('.')} (from '${module}')`;
  return withInternal(unknown(source), { type: 'package', module, members });
}

/** Functions of packages that the reader evaluates, by "module:member.path" (module normalised, see packageKey). */
const PACKAGE_BUILTINS = new Map<string, Builtin>([
  ['path:join', 'path.join'],
  ['path:resolve', 'path.resolve'],
  ['path:dirname', 'path.dirname'],
  ['path:normalize', 'path.normalize'],
  ['url:fileURLToPath', 'fileURLToPath'],
  ['url:URL', 'URL'],
  ['module:createRequire', 'createRequire'],
  // Config helpers that return their argument unchanged.
  ['drizzle-kit:defineConfig', 'identity'],
  ['prisma/config:defineConfig', 'identity'],
  ['@mikro-orm:defineConfig', 'identity'],
  ['kysely-ctl:defineConfig', 'identity'],
  ['prisma/config:env', 'prismaEnv'],
  // Validated environments: reading a property reads the variable.
  ['@t3-oss/env:createEnv', 'createEnv'],
  ['envalid:cleanEnv', 'cleanEnv'],
  ['env-schema:', 'envSchema'],
  ['env-schema:envSchema', 'envSchema'],
  ['convict:', 'convict'],
]);

function packageBuiltin(module: string, members: readonly string[]): Builtin | undefined {
  let name = module.replace(/^node:/, '');
  if (name === 'path/posix') name = 'path';
  if (name.startsWith('@mikro-orm/')) name = '@mikro-orm';
  if (name.startsWith('@t3-oss/env-')) name = '@t3-oss/env';
  // A default import of a CommonJS package is its module.exports; path.posix is path on POSIX.
  const rest = members.filter((member, index) => !(index === 0 && member === 'default') && !(name === 'path' && member === 'posix'));
  return PACKAGE_BUILTINS.get(`${name}:${rest.join('.')}`);
}

/** Validated env objects of envalid carry these helpers, which are not variables. */
const ENVALID_HELPERS: ReadonlySet<string> = new Set(['isProduction', 'isProd', 'isDevelopment', 'isDev', 'isTest']);

// ───────────────────────────── Session, modules, scopes ─────────────────────────────

/** State shared by everything one readModule call reads: loaded files and the budgets. */
class Session {
  steps = 0;
  depth = 0;
  callDepth = 0;
  readonly modules = new Map<string, LoadedModule>();
  constructor(
    readonly reader: SourceReader,
    /** Where the tool that loads the file runs, relative to the project root: `process.cwd()` and `path.resolve('x')` start there. */
    readonly workingDirectory: string,
  ) {}
}

interface Scan {
  readonly constructions: { readonly name: string; readonly args: JsValue[] }[];
  readonly envReads: Map<string, EnvRead>;
}

interface LoadedModule {
  readonly file: string;
  defaultExport(): JsValue | undefined;
  namedExport(name: string): JsValue | undefined;
  exportNames(): string[];
  /** `import * as ns from` this module. */
  namespace(): JsValue;
  /** `require()` of this module: module.exports, or the namespace of an ES module (as TypeScript compiles it). */
  requireValue(): JsValue;
  scan(): Scan;
}

/** A value computed once, on first use; a value that needs itself reads as unknown instead of looping. */
class Binding {
  private state: 'pending' | 'computing' | 'done' = 'pending';
  private result: JsValue = UNDEFINED;
  constructor(
    private readonly name: string,
    private readonly compute: () => JsValue,
  ) {}

  value(): JsValue {
    if (this.state === 'done') return this.result;
    if (this.state === 'computing') return unknown(this.name, `${this.name} refers to itself`);
    this.state = 'computing';
    try {
      this.result = this.compute();
    } finally {
      this.state = 'done';
    }
    return this.result;
  }
}

/** Names visible at a point of a module, each bound lazily. */
class Scope {
  private readonly bindings = new Map<string, Binding>();
  private readonly children = new Map<t.Node, Scope>();
  /** Top-level `name.a.b = value;` statements, applied to the object `name` is bound to (in order). */
  readonly assignments = new Map<string, { keys: (string | undefined)[]; value: t.Expression }[]>();

  constructor(
    readonly module: ScriptModule,
    readonly parent: Scope | undefined,
  ) {}

  lookup(name: string): Binding | undefined {
    return this.bindings.get(name) ?? this.parent?.lookup(name);
  }

  declares(name: string): boolean {
    return this.bindings.has(name);
  }

  declare(name: string, compute: () => JsValue): void {
    if (!this.bindings.has(name)) this.bindings.set(name, new Binding(name, compute));
  }

  /** The scope of a block or function inside this one, made once so evaluation and the walk share bindings. */
  child(node: t.Node, create: () => Scope): Scope {
    let scope = this.children.get(node);
    if (!scope) {
      scope = create();
      this.children.set(node, scope);
    }
    return scope;
  }
}

function blockScope(node: t.BlockStatement | t.StaticBlock, parent: Scope): Scope {
  return parent.child(node, () => {
    const scope = new Scope(parent.module, parent);
    declareStatements(scope, node.body);
    return scope;
  });
}

function parseScript(file: string, text: string): t.File {
  const extension = posix.extname(file);
  // TypeScript syntax is a superset that JavaScript configs parse under; decorators appear in
  // TypeORM entities a data source imports.
  const plugins: ParserPlugin[] = ['typescript', 'decorators-legacy'];
  if (extension === '.tsx' || extension === '.jsx') plugins.push('jsx');
  try {
    return parse(text, { sourceType: 'unambiguous', plugins, errorRecovery: false, allowReturnOutsideFunction: true, allowAwaitOutsideFunction: true });
  } catch (error) {
    // The parser recurses per nesting level: a few hundred levels exhaust the stack.
    if (error instanceof RangeError) throw new ConfigSyntaxError(file, 1, 1, 'nested too deeply to read');
    const location = (error as { loc?: { line: number; column: number } }).loc;
    const message = (error as Error).message.replace(/\s*\(\d+:\d+\)$/, '');
    throw new ConfigSyntaxError(file, location?.line ?? 1, (location?.column ?? 0) + 1, message);
  }
}

/** Loads (once per session) a project file; undefined when it cannot be read. */
function loadModule(session: Session, file: string, importDepth: number): LoadedModule | undefined {
  const cached = session.modules.get(file);
  if (cached) return cached;
  if (session.modules.size >= LIMITS.files) throw new ConfigSyntaxError(file, 1, 1, `more than ${LIMITS.files} files imported: not read`);
  const text = session.reader.readText(file);
  if (text === undefined) return undefined;
  if (text.length > LIMITS.fileSize) throw new ConfigSyntaxError(file, 1, 1, `larger than ${LIMITS.fileSize} characters: too large to read`);
  const loaded = file.endsWith('.json')
    ? new JsonModule(file, parseJson(file, text))
    : new ScriptModule(session, file, text, parseScript(file, text), importDepth);
  session.modules.set(file, loaded);
  return loaded;
}

function parseJson(file: string, text: string): JsValue {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    const message = (error as Error).message;
    const offset = Number(/position (\d+)/.exec(message)?.[1] ?? 0);
    const before = text.slice(0, offset).split('\n');
    throw new ConfigSyntaxError(file, before.length, before.at(-1)!.length + 1, message.replace(/ in JSON at position \d+.*$/, ''));
  }
  return jsonValue(raw, 0);
}

function jsonValue(raw: unknown, depth: number): JsValue {
  if (depth > LIMITS.evaluationDepth) return unknown('…', 'nested too deeply to read');
  if (raw === null || typeof raw === 'string' || typeof raw === 'number' || typeof raw === 'boolean') return literal(raw);
  if (Array.isArray(raw)) {
    if (raw.length > LIMITS.collectionSize) return unknown('[…]', 'too large to read');
    return { kind: 'array', elements: raw.map((item) => jsonValue(item, depth + 1)), incomplete: false };
  }
  const entries = Object.entries(raw as Record<string, unknown>);
  if (entries.length > LIMITS.collectionSize) return unknown('{…}', 'too large to read');
  return objectValue(new Map(entries.map(([key, item]) => [key, jsonValue(item, depth + 1)])));
}

const SCRIPT_EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs'];
/** TypeScript sources import each other by the name of the compiled file ("./env.js" is env.ts). */
const TYPESCRIPT_SOURCES: Readonly<Record<string, readonly string[]>> = { '.js': ['.ts', '.tsx'], '.jsx': ['.tsx'], '.mjs': ['.mts'], '.cjs': ['.cts'] };

/** The file a relative specifier names, as Node and TypeScript resolve it (extension, `.js`→`.ts`, index file). */
function resolveModuleFile(reader: SourceReader, target: string): string | undefined {
  const extension = posix.extname(target);
  const candidates: string[] = [];
  if ([...SCRIPT_EXTENSIONS, '.json'].includes(extension)) {
    candidates.push(target);
    for (const source of Object.hasOwn(TYPESCRIPT_SOURCES, extension) ? TYPESCRIPT_SOURCES[extension]! : [])
      candidates.push(target.slice(0, -extension.length) + source);
  }
  if (target !== '.' && target !== '..') candidates.push(...[...SCRIPT_EXTENSIONS, '.json'].map((e) => target + e));
  candidates.push(...[...SCRIPT_EXTENSIONS, '.json'].map((e) => posix.join(target, `index${e}`)));
  return candidates.find((candidate) => reader.exists(candidate) && !reader.isDirectory(candidate));
}

function isRelative(specifier: string): boolean {
  return specifier === '.' || specifier === '..' || specifier.startsWith('./') || specifier.startsWith('../');
}

/** Where a bare specifier points in the project through its aliases, when it does. */
function aliasOf(from: ScriptModule, specifier: string): string | undefined {
  return isRelative(specifier) ? undefined : from.session.reader.resolveAlias?.(specifier);
}

/** A specifier that names a project file: relative, or through one of the project's aliases. */
function isProjectSpecifier(from: ScriptModule, specifier: string): boolean {
  return isRelative(specifier) || aliasOf(from, specifier) !== undefined;
}

/** The module a relative (or aliased) import names, or an unknown value saying why it cannot be read. */
function loadRelative(from: ScriptModule, specifier: string): LoadedModule | UnknownValue {
  const source = `import('${specifier}')`;
  const alias = aliasOf(from, specifier);
  const target = posix.normalize(alias ?? posix.join(from.dir, specifier));
  if (isOutside(target)) return unknown(source, `${specifier} is outside the project`);
  const file = resolveModuleFile(from.session.reader, target);
  if (!file) return unknown(source, `${specifier}: no such file (from ${from.file})`);
  if (from.importDepth + 1 > LIMITS.importDepth) return unknown(source, `imports nested more than ${LIMITS.importDepth} deep`);
  try {
    return loadModule(from.session, file, from.importDepth + 1) ?? unknown(source, `${file} cannot be read`);
  } catch (error) {
    if (error instanceof ConfigSyntaxError) return unknown(source, `${error.file}:${error.line}:${error.column}: ${error.message}`);
    throw error;
  }
}

function importValue(from: ScriptModule, specifier: string, imported: string): JsValue {
  if (!isProjectSpecifier(from, specifier)) return packageValue(specifier, imported === 'default' || imported === '*' ? [] : [imported]);
  const target = loadRelative(from, specifier);
  if (!isLoaded(target)) return target;
  if (imported === '*') return target.namespace();
  if (imported === 'default') return target.defaultExport() ?? unknown(`import('${specifier}')`, `${target.file} has no default export`);
  return target.namedExport(imported) ?? unknown(imported, `${target.file} does not export ${imported}`);
}

function requireValue(from: ScriptModule, specifier: string): JsValue {
  if (!isProjectSpecifier(from, specifier)) return packageValue(specifier, []);
  const target = loadRelative(from, specifier);
  return isLoaded(target) ? target.requireValue() : target;
}

function isLoaded(value: LoadedModule | UnknownValue): value is LoadedModule {
  return !('kind' in value);
}

class JsonModule implements LoadedModule {
  constructor(
    readonly file: string,
    private readonly value: JsValue,
  ) {}

  defaultExport(): JsValue {
    return this.value;
  }

  namedExport(name: string): JsValue | undefined {
    return this.value.kind === 'object' ? this.value.properties.get(name) : undefined;
  }

  exportNames(): string[] {
    return this.value.kind === 'object' ? [...this.value.properties.keys()] : [];
  }

  namespace(): JsValue {
    const properties = new Map(this.value.kind === 'object' ? this.value.properties : []);
    properties.set('default', this.value);
    return objectValue(properties);
  }

  requireValue(): JsValue {
    return this.value;
  }

  scan(): Scan {
    return { constructions: [], envReads: new Map() };
  }
}

interface ExportIndex {
  readonly named: Map<string, Binding>;
  defaultExport?: Binding;
  readonly stars: string[];
}

class ScriptModule implements LoadedModule {
  readonly dir: string;
  readonly program: Scope;
  private exportIndex?: ExportIndex;
  private commonJs: { state: 'unread' | 'reading' } | { state: 'read'; value: JsValue | undefined } = { state: 'unread' };
  private readonly resolvingExports = new Set<string>();
  private scanned?: Scan;

  constructor(
    readonly session: Session,
    readonly file: string,
    readonly text: string,
    readonly ast: t.File,
    readonly importDepth: number,
  ) {
    this.dir = posix.dirname(file);
    this.program = new Scope(this, undefined);
    declareStatements(this.program, ast.program.body);
  }

  /** The node's source text on one line, shortened. */
  snippet(node: t.Node): string {
    const text = this.text
      .slice(node.start ?? 0, Math.min(node.end ?? 0, (node.start ?? 0) + 4 * LIMITS.sourceText))
      .replace(/\s+/g, ' ')
      .trim();
    return text.length > LIMITS.sourceText || (node.end ?? 0) - (node.start ?? 0) > 4 * LIMITS.sourceText ? `${text.slice(0, LIMITS.sourceText - 1)}…` : text;
  }

  private local(name: string): JsValue {
    return this.program.lookup(name)?.value() ?? unknown(name, `${name} is not defined in ${this.file}`);
  }

  private exports(): ExportIndex {
    if (this.exportIndex) return this.exportIndex;
    const index: ExportIndex = { named: new Map(), stars: [] };
    const bind = (name: string, compute: () => JsValue): void => {
      const binding = new Binding(name, compute);
      if (name === 'default') index.defaultExport = binding;
      else index.named.set(name, binding);
    };
    for (const statement of this.ast.program.body) {
      if (statement.type === 'ExportDefaultDeclaration') {
        const declaration = statement.declaration;
        if ((declaration.type === 'FunctionDeclaration' || declaration.type === 'ClassDeclaration') && declaration.id) {
          const name = declaration.id.name;
          bind('default', () => this.local(name));
        } else if (declaration.type === 'FunctionDeclaration') {
          bind('default', () => functionValue(declaration, this.program));
        } else if (declaration.type === 'ClassDeclaration') {
          bind('default', () => unknown(this.snippet(declaration)));
        } else if (declaration.type !== 'TSDeclareFunction') {
          bind('default', () => evaluate(declaration, this.program));
        }
      } else if (statement.type === 'ExportNamedDeclaration' && statement.exportKind !== 'type') {
        if (statement.declaration) for (const name of declaredNames(statement.declaration)) bind(name, () => this.local(name));
        const from = statement.source?.value;
        for (const specifier of statement.specifiers) {
          if (specifier.type === 'ExportSpecifier') {
            if (specifier.exportKind === 'type') continue;
            const local = specifier.local.name;
            bind(exportName(specifier.exported), () => (from === undefined ? this.local(local) : importValue(this, from, local)));
          } else if (from !== undefined) {
            const imported = specifier.type === 'ExportNamespaceSpecifier' ? '*' : 'default';
            bind(specifier.exported.name, () => importValue(this, from, imported));
          }
        }
      } else if (statement.type === 'ExportAllDeclaration' && statement.exportKind !== 'type') {
        index.stars.push(statement.source.value);
      }
    }
    this.exportIndex = index;
    return index;
  }

  /** module.exports after the file's top-level `module.exports = …` / `exports.x = …` statements; undefined when there are none. */
  private commonJsExports(): JsValue | undefined {
    if (this.commonJs.state === 'read') return this.commonJs.value;
    if (this.commonJs.state === 'reading') return unknown(`require('./${this.file}')`, `import cycle through ${this.file}`);
    this.commonJs = { state: 'reading' };
    let exported: JsValue | undefined;
    const moduleIsLocal = this.program.lookup('module') !== undefined;
    const exportsIsLocal = this.program.lookup('exports') !== undefined;
    try {
      for (const statement of this.ast.program.body) {
        if (statement.type === 'TSExportAssignment') {
          exported = evaluate(statement.expression, this.program);
          continue;
        }
        if (statement.type !== 'ExpressionStatement' || statement.expression.type !== 'AssignmentExpression' || statement.expression.operator !== '=') continue;
        const chain = staticChain(statement.expression.left);
        if (!chain) continue;
        let keys: (string | undefined)[] | undefined;
        if (chain[0] === 'module' && chain[1] === 'exports' && !moduleIsLocal) keys = chain.slice(2);
        else if (chain[0] === 'exports' && chain.length > 1 && !exportsIsLocal) keys = chain.slice(1);
        if (!keys) continue;
        const value = evaluate(statement.expression.right, this.program);
        exported = keys.length === 0 ? value : setPath(exported ?? objectValue(new Map()), keys, value);
      }
    } finally {
      this.commonJs = { state: 'read', value: exported };
    }
    return exported;
  }

  defaultExport(): JsValue | undefined {
    return this.exports().defaultExport?.value() ?? this.commonJsExports();
  }

  namedExport(name: string): JsValue | undefined {
    const binding = this.exports().named.get(name);
    if (binding) return binding.value();
    // module.exports = () => ({…}) exports a function: the properties of what it returns are not exports.
    const commonJs = this.commonJsExports();
    if (commonJs && !commonJs.fromFunction && !(commonJs.kind === 'object' && !commonJs.incomplete && !commonJs.properties.has(name))) {
      return getProperty(commonJs, name, () => `${this.file}: ${name}`);
    }
    if (name === 'default' || this.resolvingExports.has(name)) return undefined;
    // `export * from` cycles back here: resolvingExports stops the loop.
    this.resolvingExports.add(name);
    try {
      for (const star of this.exports().stars) {
        const target = isProjectSpecifier(this, star) ? loadRelative(this, star) : undefined;
        const found = target && isLoaded(target) ? target.namedExport(name) : undefined;
        if (found) return found;
      }
      return undefined;
    } finally {
      this.resolvingExports.delete(name);
    }
  }

  exportNames(): string[] {
    const names = new Set(this.exports().named.keys());
    const commonJs = this.commonJsExports();
    if (commonJs?.kind === 'object' && !commonJs.fromFunction) for (const key of commonJs.properties.keys()) names.add(key);
    if (!this.resolvingExports.has('*')) {
      this.resolvingExports.add('*');
      try {
        for (const star of this.exports().stars) {
          const target = isProjectSpecifier(this, star) ? loadRelative(this, star) : undefined;
          if (target && isLoaded(target)) for (const name of target.exportNames()) names.add(name);
        }
      } finally {
        this.resolvingExports.delete('*');
      }
    }
    names.delete('default');
    return [...names];
  }

  namespace(): JsValue {
    const properties = new Map<string, JsValue>();
    for (const name of this.exportNames()) properties.set(name, this.namedExport(name) ?? UNDEFINED);
    const defaultExport = this.defaultExport();
    if (defaultExport) properties.set('default', defaultExport);
    return objectValue(properties);
  }

  requireValue(): JsValue {
    return this.commonJsExports() ?? this.namespace();
  }

  scan(): Scan {
    if (!this.scanned) {
      this.scanned = { constructions: [], envReads: new Map() };
      for (const statement of this.ast.program.body) walk(statement, this.program, 0, this.scanned);
    }
    return this.scanned;
  }
}

function exportName(node: t.Identifier | t.StringLiteral): string {
  return node.type === 'Identifier' ? node.name : node.value;
}

function declaredNames(declaration: t.Declaration): string[] {
  switch (declaration.type) {
    case 'VariableDeclaration':
      return declaration.declarations.flatMap((d) => patternNames(d.id));
    case 'FunctionDeclaration':
    case 'ClassDeclaration':
      return declaration.id ? [declaration.id.name] : [];
    case 'TSEnumDeclaration':
      return [declaration.id.name];
    default:
      return [];
  }
}

function patternNames(pattern: t.Node): string[] {
  switch (pattern.type) {
    case 'Identifier':
      return [pattern.name];
    case 'AssignmentPattern':
      return patternNames(pattern.left);
    case 'RestElement':
      return patternNames(pattern.argument);
    case 'ObjectPattern':
      return pattern.properties.flatMap((p) => patternNames(p.type === 'RestElement' ? p : p.value));
    case 'ArrayPattern':
      return pattern.elements.flatMap((e) => (e ? patternNames(e) : []));
    default:
      return [];
  }
}

// ───────────────────────────── Declarations ─────────────────────────────

function declareStatements(scope: Scope, statements: readonly t.Statement[]): void {
  for (const statement of statements) declareStatement(scope, statement);
  for (const statement of statements) noteAssignment(scope, statement);
}

function declareStatement(scope: Scope, statement: t.Statement): void {
  switch (statement.type) {
    case 'VariableDeclaration':
      for (const declarator of statement.declarations) {
        const init = declarator.init;
        const value = memo(() => (init ? evaluate(init, scope) : unknown(scope.module.snippet(declarator.id))));
        bindPattern(scope, declarator.id, value, []);
      }
      return;
    case 'FunctionDeclaration':
      if (statement.id) scope.declare(statement.id.name, () => functionValue(statement, scope));
      return;
    case 'ClassDeclaration':
      if (statement.id) scope.declare(statement.id.name, () => unknown(`class ${statement.id!.name}`));
      return;
    case 'TSEnumDeclaration':
      scope.declare(statement.id.name, () => unknown(`enum ${statement.id.name}`));
      return;
    case 'ImportDeclaration': {
      if (statement.importKind === 'type' || statement.importKind === 'typeof') return;
      const from = statement.source.value;
      for (const specifier of statement.specifiers) {
        if (specifier.type === 'ImportSpecifier' && (specifier.importKind === 'type' || specifier.importKind === 'typeof')) continue;
        const imported =
          specifier.type === 'ImportDefaultSpecifier' ? 'default' : specifier.type === 'ImportNamespaceSpecifier' ? '*' : exportName(specifier.imported);
        scope.declare(specifier.local.name, () => importValue(scope.module, from, imported));
      }
      return;
    }
    case 'TSImportEqualsDeclaration': {
      // import x = require('./y')
      const reference = statement.moduleReference;
      if (statement.importKind !== 'type' && reference.type === 'TSExternalModuleReference') {
        scope.declare(statement.id.name, () => requireValue(scope.module, reference.expression.value));
      }
      return;
    }
    case 'ExportNamedDeclaration':
      if (statement.declaration) declareStatement(scope, statement.declaration);
      return;
    case 'ExportDefaultDeclaration':
      if ((statement.declaration.type === 'FunctionDeclaration' || statement.declaration.type === 'ClassDeclaration') && statement.declaration.id) {
        declareStatement(scope, statement.declaration);
      }
      return;
    default:
      return;
  }
}

/** Remembers `config.production = {…}`-style statements about a variable of this scope. */
function noteAssignment(scope: Scope, statement: t.Statement): void {
  if (statement.type !== 'ExpressionStatement' || statement.expression.type !== 'AssignmentExpression' || statement.expression.operator !== '=') return;
  const chain = staticChain(statement.expression.left);
  const root = chain?.[0];
  if (!chain || chain.length < 2 || root === undefined || !scope.declares(root)) return;
  const list = scope.assignments.get(root) ?? [];
  list.push({ keys: chain.slice(1), value: statement.expression.right });
  scope.assignments.set(root, list);
}

/** ["config", "production", "connection"] for `config.production.connection`; a computed, non-literal key is undefined. */
function staticChain(node: t.Node): (string | undefined)[] | undefined {
  const stripped = stripTypes(node);
  if (stripped.type === 'Identifier') return [stripped.name];
  if (stripped.type !== 'MemberExpression') return undefined;
  const object = staticChain(stripped.object);
  return object && [...object, staticKey(stripped)];
}

function staticKey(node: t.MemberExpression | t.OptionalMemberExpression): string | undefined {
  if (!node.computed) return node.property.type === 'Identifier' ? node.property.name : undefined;
  const property = node.property;
  if (property.type === 'StringLiteral') return property.value;
  if (property.type === 'NumericLiteral') return String(property.value);
  return undefined;
}

function applyAssignments(scope: Scope, name: string, value: JsValue): JsValue {
  let result = value;
  for (const assignment of scope.assignments.get(name) ?? []) result = setPath(result, assignment.keys, evaluate(assignment.value, scope));
  return result;
}

/** A copy of an object with the property at `keys` set; other values are returned as they are. */
function setPath(target: JsValue, keys: readonly (string | undefined)[], value: JsValue): JsValue {
  if (target.kind !== 'object' || keys.length === 0) return target;
  const [key, ...rest] = keys;
  if (key === undefined) return { ...target, incomplete: true };
  const properties = new Map(target.properties);
  if (rest.length === 0) {
    properties.set(key, value);
  } else {
    const inner = properties.get(key);
    if (!inner) return target;
    properties.set(key, setPath(inner, rest, value));
  }
  return { ...target, properties };
}

function memo(compute: () => JsValue): () => JsValue {
  let result: JsValue | undefined;
  return () => (result ??= compute());
}

type Step =
  | { readonly key: string | undefined }
  | { readonly without: readonly string[] }
  | { readonly from: number }
  | { readonly fallback: t.Expression; readonly scope: Scope };

/** Binds every name of a destructuring pattern to the part of `source` it takes. */
function bindPattern(scope: Scope, pattern: t.Node, source: () => JsValue, steps: readonly Step[]): void {
  switch (pattern.type) {
    case 'Identifier': {
      const name = pattern.name;
      scope.declare(name, () =>
        applyAssignments(
          scope,
          name,
          applySteps(source(), steps, () => scope.module.snippet(pattern)),
        ),
      );
      return;
    }
    case 'AssignmentPattern':
      bindPattern(scope, pattern.left, source, [...steps, { fallback: pattern.right, scope }]);
      return;
    case 'ObjectPattern': {
      const taken: string[] = [];
      for (const member of pattern.properties) {
        if (member.type === 'RestElement') {
          bindPattern(scope, member.argument, source, [...steps, { without: [...taken] }]);
          continue;
        }
        const key = member.computed ? (member.key.type === 'StringLiteral' ? member.key.value : undefined) : propertyName(member.key);
        if (key !== undefined) taken.push(key);
        bindPattern(scope, member.value, source, [...steps, { key }]);
      }
      return;
    }
    case 'ArrayPattern':
      pattern.elements.forEach((element, index) => {
        if (!element) return;
        if (element.type === 'RestElement') bindPattern(scope, element.argument, source, [...steps, { from: index }]);
        else bindPattern(scope, element, source, [...steps, { key: String(index) }]);
      });
      return;
    case 'TSParameterProperty':
      bindPattern(scope, pattern.parameter, source, steps);
      return;
    default:
      return;
  }
}

function propertyName(key: t.Node): string | undefined {
  switch (key.type) {
    case 'Identifier':
      return key.name;
    case 'StringLiteral':
      return key.value;
    case 'NumericLiteral':
      return String(key.value);
    default:
      return undefined;
  }
}

function applySteps(start: JsValue, steps: readonly Step[], source: () => string): JsValue {
  let value = start;
  for (const step of steps) {
    if ('key' in step) {
      value = step.key === undefined ? unknown(source()) : getProperty(value, step.key, source);
    } else if ('without' in step) {
      value = withoutKeys(value, step.without, source);
    } else if ('from' in step) {
      value = value.kind === 'array' ? { kind: 'array', elements: value.elements.slice(step.from), incomplete: value.incomplete } : unknown(source());
    } else {
      const { fallback, scope } = step;
      value = withDefault(
        value,
        memo(() => evaluate(fallback, scope)),
      );
    }
  }
  return value;
}

/** `const { a, ...rest } = value`: rest of process.env is still the environment. */
function withoutKeys(value: JsValue, keys: readonly string[], source: () => string): JsValue {
  if (internalOf(value)?.type === 'environment') return value;
  if (value.kind !== 'object') return unknown(source());
  return { ...value, properties: new Map([...value.properties].filter(([key]) => !keys.includes(key))) };
}

/** A destructuring default: a fallback for an env read, the default itself for undefined. */
function withDefault(value: JsValue, fallback: () => JsValue): JsValue {
  if (value.kind === 'env') return withEnvFallback(value, fallback());
  if (value.kind === 'literal' && value.value === undefined) return fallback();
  return value;
}

function withEnvFallback(read: EnvValue, fallback: JsValue): EnvValue {
  if (!read.fallback) return { ...read, fallback };
  return read.fallback.kind === 'env' ? { ...read, fallback: withEnvFallback(read.fallback, fallback) } : read;
}

// ───────────────────────────── Evaluation ─────────────────────────────

function evaluate(node: t.Node, scope: Scope): JsValue {
  const session = scope.module.session;
  if (++session.steps > LIMITS.steps) return unknown(scope.module.snippet(node), 'too complex to read');
  if (session.depth >= LIMITS.evaluationDepth) return unknown(scope.module.snippet(node), 'nested too deeply to read');
  session.depth++;
  try {
    return evaluateNode(node, scope);
  } finally {
    session.depth--;
  }
}

function evaluateNode(node: t.Node, scope: Scope): JsValue {
  const module = scope.module;
  const source = (): string => module.snippet(node);
  switch (node.type) {
    case 'StringLiteral':
    case 'NumericLiteral':
    case 'BooleanLiteral':
      return literal(node.value);
    case 'NullLiteral':
      return literal(null);
    case 'TemplateLiteral': {
      const parts: JsValue[] = [];
      node.quasis.forEach((quasi, index) => {
        parts.push(literal(quasi.value.cooked ?? quasi.value.raw));
        const expression = node.expressions[index];
        if (expression) parts.push(evaluate(expression, scope));
      });
      return concatenate(parts, source);
    }
    case 'Identifier':
      return scope.lookup(node.name)?.value() ?? globalValue(node.name, module) ?? unknown(node.name);
    case 'ObjectExpression':
      return evaluateObject(node, scope);
    case 'ArrayExpression':
      return evaluateArray(node, scope);
    case 'MemberExpression':
    case 'OptionalMemberExpression': {
      const object = evaluate(node.object, scope);
      const key = memberKey(node, scope);
      return key === undefined ? anyProperty(object, source) : getProperty(object, key, source);
    }
    case 'CallExpression':
    case 'OptionalCallExpression':
      return evaluateCall(node, scope);
    case 'NewExpression':
      return evaluateNew(node, scope);
    case 'ConditionalExpression': {
      const test = truthiness(evaluate(node.test, scope));
      if (test !== undefined) return evaluate(test ? node.consequent : node.alternate, scope);
      return oneOf([evaluate(node.consequent, scope), evaluate(node.alternate, scope)], source);
    }
    case 'LogicalExpression':
      return combineLogical(
        node.operator,
        evaluate(node.left, scope),
        memo(() => evaluate(node.right, scope)),
        source,
      );
    case 'BinaryExpression':
      return evaluateBinary(node, scope, source);
    case 'UnaryExpression':
      return evaluateUnary(node, scope, source);
    case 'TSAsExpression':
    case 'TSSatisfiesExpression':
    case 'TSNonNullExpression':
    case 'TSTypeAssertion':
    case 'TSInstantiationExpression':
    case 'ParenthesizedExpression':
      return evaluate(node.expression, scope);
    case 'AwaitExpression':
      // Configs await what they import or build; the awaited value is what the tool sees.
      return evaluate(node.argument, scope);
    case 'SequenceExpression':
      return evaluate(node.expressions.at(-1)!, scope);
    case 'AssignmentExpression':
      return node.operator === '=' ? evaluate(node.right, scope) : unknown(source());
    case 'ArrowFunctionExpression':
    case 'FunctionExpression':
      return functionValue(node, scope);
    case 'MetaProperty':
      return node.meta.name === 'import' && node.property.name === 'meta' ? importMeta(module) : unknown(source());
    default:
      return unknown(source());
  }
}

function stripTypes(node: t.Node): t.Node {
  let current = node;
  while (
    current.type === 'TSAsExpression' ||
    current.type === 'TSSatisfiesExpression' ||
    current.type === 'TSNonNullExpression' ||
    current.type === 'TSTypeAssertion' ||
    current.type === 'TSInstantiationExpression' ||
    current.type === 'ParenthesizedExpression'
  ) {
    current = current.expression;
  }
  return current;
}

/** Values of names the file uses without declaring them. */
function globalValue(name: string, module: ScriptModule): JsValue | undefined {
  switch (name) {
    case 'undefined':
      return UNDEFINED;
    case 'NaN':
      return literal(NaN);
    case 'Infinity':
      return literal(Infinity);
    case '__dirname':
      return projectPath(module.dir);
    case '__filename':
      return projectPath(module.file);
    case 'process':
      return membersValue('process', { env: () => environmentValue('process.env'), cwd: () => builtinValue('process.cwd', 'cwd') });
    case 'Bun':
      return membersValue('Bun', { env: () => environmentValue('Bun.env') });
    case 'Object':
      return membersValue('Object', { freeze: () => builtinValue('Object.freeze', 'identity'), assign: () => builtinValue('Object.assign', 'Object.assign') });
    case 'Number':
    case 'String':
    case 'Boolean':
    case 'parseInt':
    case 'parseFloat':
      return builtinValue(name, name);
    case 'require':
      return builtinValue('require', 'require');
    case 'URL':
      return builtinValue('URL', 'URL');
    default:
      return undefined;
  }
}

function importMeta(module: ScriptModule): JsValue {
  return membersValue('import.meta', {
    // A file: URL and the path it names lead to the same place; new URL() and fileURLToPath() take both.
    url: () => projectPath(module.file),
    filename: () => projectPath(module.file),
    dirname: () => projectPath(module.dir),
    env: () => environmentValue('import.meta.env'),
  });
}

function evaluateObject(node: t.ObjectExpression, scope: Scope): JsValue {
  const properties = new Map<string, JsValue>();
  let incomplete = false;
  for (const member of node.properties) {
    if (member.type === 'SpreadElement') {
      const spread = evaluate(member.argument, scope);
      if (spread.kind === 'object') {
        scope.module.session.steps += spread.properties.size;
        for (const [key, value] of spread.properties) properties.set(key, value);
        incomplete ||= spread.incomplete;
      } else if (!(spread.kind === 'literal' && spread.value == null)) {
        incomplete = true;
      }
    } else {
      const key = member.computed ? literalKey(evaluate(member.key, scope)) : propertyName(member.key);
      if (key === undefined) {
        incomplete = true;
        continue;
      }
      if (member.type === 'ObjectMethod') {
        if (member.kind === 'set') continue;
        // A getter's value is what it returns; a method is a function.
        properties.set(
          key,
          member.kind === 'get'
            ? returnValue(
                member,
                scope.child(member, () => functionScope(member, scope, undefined)),
              )
            : functionValue(member, scope),
        );
      } else {
        properties.set(key, evaluate(member.value, scope));
      }
    }
    if (properties.size > LIMITS.collectionSize) return unknown(scope.module.snippet(node), 'too large to read');
  }
  return objectValue(properties, incomplete);
}

function literalKey(value: JsValue): string | undefined {
  return value.kind === 'literal' && (typeof value.value === 'string' || typeof value.value === 'number') ? String(value.value) : undefined;
}

function evaluateArray(node: t.ArrayExpression, scope: Scope): JsValue {
  const elements: JsValue[] = [];
  let incomplete = false;
  for (const element of node.elements) {
    if (element === null) {
      elements.push(UNDEFINED);
    } else if (element.type === 'SpreadElement') {
      const spread = evaluate(element.argument, scope);
      if (spread.kind === 'array') {
        scope.module.session.steps += spread.elements.length;
        elements.push(...spread.elements);
        incomplete ||= spread.incomplete;
      } else {
        incomplete = true;
      }
    } else {
      elements.push(evaluate(element, scope));
    }
    if (elements.length > LIMITS.collectionSize) return unknown(scope.module.snippet(node), 'too large to read');
  }
  return { kind: 'array', elements, incomplete };
}

function memberKey(node: t.MemberExpression | t.OptionalMemberExpression, scope: Scope): string | undefined {
  if (!node.computed) return node.property.type === 'Identifier' ? node.property.name : undefined;
  return literalKey(evaluate(node.property, scope));
}

/** `config[key]` with a key not known until run time: any of the object's values. */
function anyProperty(object: JsValue, source: () => string): JsValue {
  if (object.kind === 'object' && !object.incomplete && object.properties.size > 0) return oneOf([...object.properties.values()], source);
  return unknown(source());
}

function getProperty(value: JsValue, key: string, source: () => string): JsValue {
  const internal = internalOf(value);
  switch (internal?.type) {
    case 'environment':
      if (internal.notVariables?.has(key)) return unknown(source());
      return internal.overrides?.get(key) ?? envRead(key);
    case 'members':
      return internal.get(key) ?? unknown(source());
    case 'package':
      return packageValue(internal.module, [...internal.members, key]);
    default:
      break;
  }
  switch (value.kind) {
    case 'object':
      return value.properties.get(key) ?? (value.incomplete ? unknown(source()) : UNDEFINED);
    case 'array':
      if (key === 'length') return value.incomplete ? unknown(source()) : literal(value.elements.length);
      if (/^\d+$/.test(key)) return value.elements[Number(key)] ?? (value.incomplete ? unknown(source()) : UNDEFINED);
      return unknown(source());
    case 'literal':
      return typeof value.value === 'string' && key === 'length' ? literal(value.value.length) : unknown(source());
    case 'path':
      // new URL('./migrations', import.meta.url).pathname
      return key === 'pathname' ? value : unknown(source());
    case 'oneOf':
      return oneOf(
        value.options.map((option) => getProperty(option, key, source)),
        source,
      );
    default:
      return unknownFrom(source(), value);
  }
}

/** Known truthiness of a value, or undefined when it depends on run time. */
function truthiness(value: JsValue): boolean | undefined {
  switch (value.kind) {
    case 'literal':
      return Boolean(value.value);
    case 'object':
    case 'array':
    case 'path':
      return true;
    case 'template':
      return value.parts.some((part) => part.kind === 'literal' && part.value !== '') ? true : undefined;
    case 'oneOf': {
      const each = value.options.map(truthiness);
      return each.every((b) => b === each[0]) ? each[0] : undefined;
    }
    default:
      return undefined;
  }
}

function isNullish(value: JsValue): boolean | undefined {
  if (value.kind === 'literal') return value.value == null;
  if (value.kind === 'env' || value.kind === 'unknown' || value.kind === 'oneOf') return undefined;
  return false;
}

function combineLogical(operator: '||' | '&&' | '??', left: JsValue, right: () => JsValue, source: () => string): JsValue {
  if (left.kind === 'oneOf')
    return oneOf(
      left.options.map((option) => combineLogical(operator, option, right, source)),
      source,
    );
  // process.env.X ?? 'd', process.env.X || 'd', Number(process.env.PORT) || 5432
  if (left.kind === 'env' && operator !== '&&') return withEnvFallback(left, right());
  if (operator === '??') {
    const nullish = isNullish(left);
    return nullish === true ? right() : nullish === false ? left : oneOf([left, right()], source);
  }
  const truthy = truthiness(left);
  if (truthy === undefined) return oneOf([left, right()], source);
  return truthy === (operator === '||') ? left : right();
}

function evaluateBinary(node: t.BinaryExpression, scope: Scope, source: () => string): JsValue {
  if (node.left.type === 'PrivateName') return unknown(source());
  const left = evaluate(node.left, scope);
  const right = evaluate(node.right, scope);
  const l = left.kind === 'literal' ? left.value : undefined;
  const r = right.kind === 'literal' ? right.value : undefined;
  const bothLiteral = left.kind === 'literal' && right.kind === 'literal';
  switch (node.operator) {
    case '+':
      if (bothLiteral) {
        if (typeof l === 'number' && typeof r === 'number') return literal(l + r);
        if (typeof l === 'string' || typeof r === 'string') return concatenate([left, right], source);
        return unknown(source());
      }
      return isStringLike(left) || isStringLike(right) ? concatenate([left, right], source) : unknownFrom(source(), left, right);
    case '===':
    case '!==':
    case '==':
    case '!=': {
      if (!bothLiteral) return unknownFrom(source(), left, right);
      // Loose equality of primitives, as JavaScript does it.
      // The evaluated code's own loose equality.
      // eslint-disable-next-line eqeqeq
      const equal = node.operator.length === 3 ? l === r : l == r;
      return literal(node.operator.startsWith('!') ? !equal : equal);
    }
    case '-':
    case '*':
    case '/':
    case '%':
    case '**':
    case '<':
    case '<=':
    case '>':
    case '>=': {
      if (typeof l !== 'number' || typeof r !== 'number') return unknownFrom(source(), left, right);
      const results = { '-': l - r, '*': l * r, '/': l / r, '%': l % r, '**': l ** r, '<': l < r, '<=': l <= r, '>': l > r, '>=': l >= r };
      return literal(results[node.operator]);
    }
    default:
      return unknown(source());
  }
}

function isStringLike(value: JsValue): boolean {
  return (value.kind === 'literal' && typeof value.value === 'string') || value.kind === 'template' || value.kind === 'path' || value.kind === 'env';
}

function evaluateUnary(node: t.UnaryExpression, scope: Scope, source: () => string): JsValue {
  if (node.operator === 'void') return UNDEFINED;
  const argument = evaluate(node.argument, scope);
  switch (node.operator) {
    case '!': {
      const truthy = truthiness(argument);
      return truthy === undefined ? unknownFrom(source(), argument) : literal(!truthy);
    }
    case '+':
      return convert(argument, 'Number', [], source);
    case '-':
      return argument.kind === 'literal' && typeof argument.value === 'number' ? literal(-argument.value) : unknownFrom(source(), argument);
    default:
      return unknownFrom(source(), argument);
  }
}

/** String concatenation: literal text, a path followed by text (`__dirname + '/migrations'`), or a template. */
function concatenate(values: readonly JsValue[], source: () => string): JsValue {
  const parts: JsValue[] = [];
  let length = 0;
  for (const value of values.flatMap((v) => (v.kind === 'template' ? v.parts : [v]))) {
    const part = value.kind === 'literal' ? literal(String(value.value)) : value;
    const previous = parts.at(-1);
    if (part.kind === 'literal') {
      const text = part.value as string;
      length += text.length;
      if (length > LIMITS.stringLength) return unknown(source(), 'string too long to read');
      if (text === '') continue;
      if (previous?.kind === 'literal') parts[parts.length - 1] = literal(`${previous.value as string}${text}`);
      else parts.push(part);
    } else {
      parts.push(part);
    }
  }
  if (parts.length === 0) return literal('');
  if (parts.every((p) => p.kind === 'literal')) return parts[0]!;
  const [first, ...rest] = parts as [JsValue, ...JsValue[]];
  if (first.kind === 'path' && rest.every((p) => p.kind === 'literal')) return projectPath(first.path + rest.map((p) => p.value).join(''));
  return { kind: 'template', parts };
}

// ───────────────────────────── Calls ─────────────────────────────

function evaluateArguments(nodes: readonly t.Node[], scope: Scope): JsValue[] {
  return nodes.map((argument) =>
    argument.type === 'SpreadElement' || argument.type === 'ArgumentPlaceholder' ? unknown(scope.module.snippet(argument)) : evaluate(argument, scope),
  );
}

function evaluateCall(node: t.CallExpression | t.OptionalCallExpression, scope: Scope): JsValue {
  const module = scope.module;
  const source = (): string => module.snippet(node);
  const callee = stripTypes(node.callee);
  if (callee.type === 'Import') {
    const specifier = evaluateArguments(node.arguments, scope)[0];
    return specifier?.kind === 'literal' && typeof specifier.value === 'string' ? importValue(module, specifier.value, '*') : unknown(source());
  }
  const args = evaluateArguments(node.arguments, scope);
  let receiver: JsValue | undefined;
  let calleeValue: JsValue;
  if (callee.type === 'MemberExpression' || callee.type === 'OptionalMemberExpression') {
    receiver = evaluate(callee.object, scope);
    const method = memberKey(callee, scope);
    const special = method === undefined ? undefined : methodCall(receiver, method, args, source);
    if (special) return special;
    calleeValue = method === undefined ? unknown(module.snippet(callee)) : getProperty(receiver, method, () => module.snippet(callee));
  } else {
    calleeValue = evaluate(callee, scope);
  }
  const internal = internalOf(calleeValue);
  const builtin = internal?.type === 'builtin' ? internal.name : internal?.type === 'package' ? packageBuiltin(internal.module, internal.members) : undefined;
  if (builtin) return applyBuiltin(builtin, args, scope, source);
  if (internal?.type === 'function') return callFunction(internal.node, internal.scope, args, source);
  return unknownCall(node, scope, args, receiver, false);
}

/** Methods with a meaning the reader knows, whatever the receiver's origin. */
function methodCall(receiver: JsValue, method: string, args: readonly JsValue[], source: () => string): JsValue | undefined {
  const internal = internalOf(receiver);
  if (internal?.type === 'convict') {
    if (method === 'getProperties') return convictValue(internal.schema, source);
    if (method !== 'get') return undefined;
    const key = asString(args[0]);
    if (key === undefined) return unknown(source());
    return convictValue(property(internal.schema, ...key.split('.')), source);
  }
  // Schema.parse(process.env) (zod and alike): a validated environment.
  if (internalOf(args[0])?.type === 'environment') {
    if (method === 'parse' || method === 'parseAsync') return environmentValue(source());
    if (method === 'safeParse' || method === 'safeParseAsync')
      return objectValue(
        new Map([
          ['success', unknown(source())],
          ['data', environmentValue(source())],
        ]),
      );
  }
  if (receiver.kind === 'env' && (method === 'trim' || method === 'toString')) return receiver;
  return undefined;
}

/**
 * A convict setting: a leaf (it has a default) reads its `env` variable, falling back to the default; a group, each setting;
 * anything else (`client: 'pg'`, `max: 10`, `directory: path.resolve(…)`) is convict's shorthand for a setting with that default.
 */
function convictValue(node: JsValue | undefined, source: () => string): JsValue {
  if (node === undefined || node.kind === 'unknown') return unknown(source());
  if (node.kind !== 'object') return node;
  const fallback = node.properties.get('default');
  if (fallback) {
    const name = asString(node.properties.get('env'));
    return name ? { kind: 'env', name, fallback } : fallback;
  }
  return objectValue(new Map([...node.properties].map(([key, child]) => [key, convictValue(child, source)])), node.incomplete);
}

function evaluateNew(node: t.NewExpression, scope: Scope): JsValue {
  const source = (): string => scope.module.snippet(node);
  const calleeValue = evaluate(node.callee, scope);
  const args = evaluateArguments(node.arguments, scope);
  const internal = internalOf(calleeValue);
  const builtin = internal?.type === 'builtin' ? internal.name : internal?.type === 'package' ? packageBuiltin(internal.module, internal.members) : undefined;
  if (builtin === 'URL') return urlValue(args, source);
  const options = args[0];
  const name = calleeName(node.callee, scope);
  if (options?.kind === 'object' && name) {
    return { kind: 'object', properties: options.properties, incomplete: options.incomplete, constructedBy: name.name.split('.').at(-1)! };
  }
  return unknownCall(node, scope, args, undefined, true);
}

function unknownCall(
  node: t.CallExpression | t.OptionalCallExpression | t.NewExpression,
  scope: Scope,
  args: JsValue[],
  receiver: JsValue | undefined,
  isNew: boolean,
): UnknownValue {
  const source = scope.module.snippet(node);
  if (node.callee.type === 'V8IntrinsicIdentifier') return unknown(source);
  const name = calleeName(node.callee, scope);
  if (!name) return unknown(source);
  const call: CallInfo = {
    callee: name.name,
    ...(name.module ? { module: name.module } : {}),
    ...(name.onValue && receiver ? { receiver } : {}),
    args,
    ...(isNew ? { isNew: true as const } : {}),
  };
  return unknown(source, undefined, call);
}

interface CalleeName {
  /** As written, with a named import read by its exported name. */
  readonly name: string;
  readonly module?: string;
  /** A method of a value of the file (not of a package or global): the receiver matters. */
  readonly onValue: boolean;
}

function calleeName(expression: t.Node, scope: Scope): CalleeName | undefined {
  const node = stripTypes(expression);
  if (node.type === 'Identifier') return rootName(node.name, scope, []);
  if (node.type !== 'MemberExpression' && node.type !== 'OptionalMemberExpression') return undefined;
  const chain: string[] = [];
  let current: t.Node = node;
  while (current.type === 'MemberExpression' || current.type === 'OptionalMemberExpression') {
    const key = staticKey(current);
    if (key === undefined) return undefined;
    chain.unshift(key);
    current = stripTypes(current.object);
  }
  if (current.type === 'Identifier') return rootName(current.name, scope, chain);
  return { name: chain.join('.'), onValue: true };
}

function rootName(name: string, scope: Scope, rest: readonly string[]): CalleeName {
  const binding = scope.lookup(name);
  if (!binding) return { name: [name, ...rest].join('.'), onValue: false };
  const internal = internalOf(binding.value());
  if (internal?.type === 'package') {
    const members = internal.members.filter((member, index) => !(index === 0 && member === 'default'));
    return { name: [...(members.length > 0 ? members : [name]), ...rest].join('.'), module: internal.module, onValue: false };
  }
  return { name: [name, ...rest].join('.'), onValue: rest.length > 0 };
}

function applyBuiltin(builtin: Builtin, args: readonly JsValue[], scope: Scope, source: () => string): JsValue {
  const [first] = args;
  switch (builtin) {
    case 'identity':
      return first ?? UNDEFINED;
    case 'Number':
    case 'parseInt':
    case 'parseFloat':
    case 'String':
    case 'Boolean':
      return convert(first ?? UNDEFINED, builtin, args.slice(1), source);
    case 'Object.assign':
      return assignObjects(args);
    case 'path.join':
      return joinPaths(args, source);
    case 'path.resolve':
      return resolvePaths(args, source, scope.module.session.workingDirectory);
    case 'path.dirname':
      if (first?.kind === 'path') return projectPath(posix.join(first.path, '..'));
      return first?.kind === 'literal' && typeof first.value === 'string' ? literal(posix.dirname(first.value)) : unknown(source());
    case 'path.normalize':
      if (first?.kind === 'path') return first;
      return first?.kind === 'literal' && typeof first.value === 'string' ? literal(posix.normalize(first.value)) : unknown(source());
    case 'fileURLToPath':
      if (first?.kind === 'path') return first;
      return first?.kind === 'literal' && typeof first.value === 'string' && first.value.startsWith('file://')
        ? projectPath(decodeURIComponent(first.value.slice('file://'.length)))
        : unknown(source());
    case 'URL':
      return urlValue(args, source);
    case 'cwd':
      // The tools run from the project root, unless the reader was told otherwise (the knex CLI changes into the knexfile's folder).
      return projectPath(scope.module.session.workingDirectory);
    case 'require': {
      const specifier = asString(first);
      return specifier === undefined ? unknown(source()) : requireValue(scope.module, specifier);
    }
    case 'createRequire':
      return builtinValue('require', 'require');
    case 'prismaEnv': {
      const name = asString(first);
      return name === undefined ? unknown(source()) : envRead(name);
    }
    case 'createEnv': {
      // @t3-oss/env: runtimeEnv maps each variable to its source (process.env.X, or import.meta.env.X).
      const runtime = property(first, 'runtimeEnv') ?? property(first, 'experimental__runtimeEnv');
      return environmentValue(source(), runtime?.kind === 'object' ? { overrides: runtime.properties } : {});
    }
    case 'cleanEnv':
      return environmentValue(source(), { notVariables: ENVALID_HELPERS });
    case 'envSchema':
      return environmentValue(source());
    case 'convict':
      return withInternal(unknown(source()), { type: 'convict', schema: first ?? UNDEFINED });
  }
}

/** Number(x), parseInt(x, 10), String(x), Boolean(x), +x: computed for literals, marked on env reads. */
function convert(value: JsValue, to: 'Number' | 'parseInt' | 'parseFloat' | 'String' | 'Boolean', rest: readonly JsValue[], source: () => string): JsValue {
  const kind = to === 'String' ? 'string' : to === 'Boolean' ? 'boolean' : 'number';
  switch (value.kind) {
    case 'literal': {
      const v = value.value;
      if (to === 'String') return literal(String(v));
      if (to === 'Boolean') return literal(Boolean(v));
      if (to === 'Number') return literal(Number(v));
      const radix = rest[0]?.kind === 'literal' && typeof rest[0].value === 'number' ? rest[0].value : 10;
      return literal(to === 'parseInt' ? Number.parseInt(String(v), radix) : Number.parseFloat(String(v)));
    }
    case 'env':
      return { ...value, conversion: kind };
    case 'oneOf':
      return oneOf(
        value.options.map((option) => convert(option, to, rest, source)),
        source,
      );
    case 'template':
    case 'path':
      return kind === 'string' ? value : unknown(source());
    default:
      return unknownFrom(source(), value);
  }
}

function assignObjects(args: readonly JsValue[]): JsValue {
  const properties = new Map<string, JsValue>();
  let incomplete = false;
  for (const arg of args) {
    if (arg.kind === 'object') {
      for (const [key, value] of arg.properties) properties.set(key, value);
      incomplete ||= arg.incomplete;
    } else if (!(arg.kind === 'literal' && arg.value == null)) {
      incomplete = true;
    }
  }
  return objectValue(properties, incomplete);
}

function literalStrings(values: readonly JsValue[]): string[] | undefined {
  const strings = values.map((v) => (v.kind === 'literal' && typeof v.value === 'string' ? v.value : undefined));
  return strings.every((s) => s !== undefined) ? strings : undefined;
}

/** path.join(base, 'a', 'b'): a path when the base is one (or absolute), else the joined string. */
function joinPaths(args: readonly JsValue[], source: () => string): JsValue {
  const [first, ...rest] = args;
  if (!first) return literal('.');
  const segments = literalStrings(rest);
  if (!segments) return unknown(source());
  if (first.kind === 'path') return projectPath(posix.join(first.path, ...segments));
  if (first.kind !== 'literal' || typeof first.value !== 'string') return unknown(source());
  const joined = posix.join(first.value, ...segments);
  return joined.startsWith('/') ? projectPath(joined) : literal(joined);
}

/** path.resolve(…): from the right, up to the first path or absolute segment; otherwise from the working directory. */
function resolvePaths(args: readonly JsValue[], source: () => string, workingDirectory: string): JsValue {
  const tail: string[] = [];
  for (let index = args.length - 1; index >= 0; index--) {
    const arg = args[index]!;
    if (arg.kind === 'path') return projectPath(posix.join(arg.path, ...tail));
    if (arg.kind !== 'literal' || typeof arg.value !== 'string') return unknown(source());
    if (arg.value.startsWith('/')) return projectPath(posix.join(arg.value, ...tail));
    tail.unshift(arg.value);
  }
  return projectPath(posix.join(workingDirectory, ...tail));
}

/** new URL('./migrations', import.meta.url): resolved against the file's folder, as URLs are. */
function urlValue(args: readonly JsValue[], source: () => string): JsValue {
  const [relative, base] = args;
  const text = asString(relative);
  if (text === undefined) return unknown(source());
  if (text.startsWith('file://')) return projectPath(decodeURIComponent(text.slice('file://'.length)));
  if (/^[a-z][a-z\d+.-]*:/i.test(text) || base?.kind !== 'path') return unknown(source());
  return projectPath(text.startsWith('/') ? text : posix.join(posix.dirname(base.path), text));
}

// ───────────────────────────── Functions ─────────────────────────────

/** A function of the file, read as the value it returns (arguments unknown), marked as such, and callable. */
function functionValue(node: FunctionNode, scope: Scope): JsValue {
  const returned = returnValue(
    node,
    scope.child(node, () => functionScope(node, scope, undefined)),
  );
  return withInternal({ ...returned, fromFunction: true }, { type: 'function', node, scope });
}

function callFunction(node: FunctionNode, scope: Scope, args: readonly JsValue[], source: () => string): JsValue {
  const session = scope.module.session;
  if (session.callDepth >= LIMITS.callDepth) return unknown(source(), 'calls nested too deeply to read');
  session.callDepth++;
  try {
    return returnValue(node, functionScope(node, scope, args));
  } finally {
    session.callDepth--;
  }
}

/** The scope of a function body: parameters bound to the arguments (unknown when not called), then the body's declarations. */
function functionScope(node: FunctionNode, parent: Scope, args: readonly JsValue[] | undefined): Scope {
  const scope = new Scope(parent.module, parent);
  node.params.forEach((param, index) => {
    const unknownParam = (): JsValue => unknown(scope.module.snippet(param));
    if (param.type === 'RestElement') {
      bindPattern(scope, param.argument, () => (args ? { kind: 'array', elements: args.slice(index), incomplete: false } : unknownParam()), []);
    } else {
      bindPattern(scope, param, () => (args ? (args[index] ?? UNDEFINED) : unknownParam()), []);
    }
  });
  if (node.body.type === 'BlockStatement') declareStatements(scope, node.body.body);
  return scope;
}

/** What a function returns: its expression body, or each `return` reachable in its block (as a oneOf). */
function returnValue(node: FunctionNode, scope: Scope): JsValue {
  if (node.body.type !== 'BlockStatement') return evaluate(node.body, scope);
  const returned: JsValue[] = [];
  for (const statement of node.body.body) collectReturns(statement, scope, returned, 0);
  return oneOf(returned, () => scope.module.snippet(node));
}

function collectReturns(statement: t.Statement, scope: Scope, returned: JsValue[], depth: number): void {
  if (depth > LIMITS.walkDepth || returned.length > LIMITS.options) return;
  const inner = (s: t.Statement | null | undefined, within: Scope = scope): void => {
    if (s) collectReturns(s, within, returned, depth + 1);
  };
  switch (statement.type) {
    case 'ReturnStatement':
      returned.push(statement.argument ? evaluate(statement.argument, scope) : UNDEFINED);
      return;
    case 'BlockStatement': {
      const block = blockScope(statement, scope);
      for (const s of statement.body) inner(s, block);
      return;
    }
    case 'IfStatement': {
      const test = truthiness(evaluate(statement.test, scope));
      if (test !== false) inner(statement.consequent);
      if (test !== true) inner(statement.alternate);
      return;
    }
    case 'TryStatement':
      inner(statement.block);
      inner(statement.handler?.body);
      inner(statement.finalizer);
      return;
    case 'SwitchStatement':
      for (const c of statement.cases) for (const s of c.consequent) inner(s);
      return;
    case 'LabeledStatement':
    case 'ForStatement':
    case 'ForInStatement':
    case 'ForOfStatement':
    case 'WhileStatement':
    case 'DoWhileStatement':
      inner(statement.body);
      return;
    default:
      return;
  }
}

// ───────────────────────────── Whole-file walk ─────────────────────────────

/** Keys of syntax nodes that hold types, positions or comments, never code. */
const NON_CODE_KEYS = new Set([
  'type',
  'start',
  'end',
  'loc',
  'range',
  'extra',
  'leadingComments',
  'trailingComments',
  'innerComments',
  'typeAnnotation',
  'returnType',
  'typeParameters',
  'typeArguments',
  'superTypeParameters',
]);

function isNode(value: unknown): value is t.Node {
  return typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string';
}

/** Visits every node of a module, with the scope it is in, collecting calls and env reads. */
function walk(node: t.Node, scope: Scope, depth: number, found: Scan): void {
  if (depth > LIMITS.walkDepth || scope.module.session.steps > LIMITS.steps) return;
  let inner = scope;
  switch (node.type) {
    case 'ArrowFunctionExpression':
    case 'FunctionExpression':
    case 'FunctionDeclaration':
    case 'ObjectMethod':
    case 'ClassMethod':
    case 'ClassPrivateMethod': {
      const body = scope.child(node, () => functionScope(node, scope, undefined));
      for (const param of node.params) walk(param, body, depth + 1, found);
      const statements = node.body.type === 'BlockStatement' ? node.body.body : [node.body];
      for (const statement of statements) walk(statement, body, depth + 1, found);
      return;
    }
    case 'BlockStatement':
    case 'StaticBlock': {
      const block = blockScope(node, scope);
      for (const statement of node.body) walk(statement, block, depth + 1, found);
      return;
    }
    case 'ForStatement':
    case 'ForInStatement':
    case 'ForOfStatement': {
      const declaration = node.type === 'ForStatement' ? node.init : node.left;
      inner = scope.child(node, () => {
        const loop = new Scope(scope.module, scope);
        if (declaration?.type === 'VariableDeclaration') declareStatement(loop, declaration);
        return loop;
      });
      break;
    }
    case 'CatchClause': {
      const param = node.param;
      inner = scope.child(node, () => {
        const handler = new Scope(scope.module, scope);
        if (param) bindPattern(handler, param, () => unknown('the caught error'), []);
        return handler;
      });
      break;
    }
    case 'CallExpression':
    case 'OptionalCallExpression':
    case 'NewExpression':
      noteCall(node, scope, found);
      break;
    case 'MemberExpression':
    case 'OptionalMemberExpression': {
      const object = stripTypes(node.object);
      if (object.type === 'Identifier' || object.type === 'MemberExpression' || object.type === 'MetaProperty') noteEnvRead(evaluate(node, scope), node, found);
      break;
    }
    case 'LogicalExpression':
      // process.env.X ?? 'd': the read with its fallback.
      if (node.operator !== '&&') noteEnvRead(evaluate(node, scope), node, found);
      break;
    case 'VariableDeclarator':
      if (node.id.type === 'ObjectPattern' || node.id.type === 'ArrayPattern') {
        for (const name of patternNames(node.id)) {
          const value = scope.lookup(name)?.value();
          if (value) noteEnvRead(value, node, found);
        }
      }
      break;
    default:
      break;
  }
  for (const key of Object.keys(node)) {
    if (NON_CODE_KEYS.has(key)) continue;
    const child = (node as unknown as Record<string, unknown>)[key];
    if (Array.isArray(child)) {
      for (const item of child) if (isNode(item)) walk(item, inner, depth + 1, found);
    } else if (isNode(child)) {
      walk(child, inner, depth + 1, found);
    }
  }
}

function noteCall(node: t.CallExpression | t.OptionalCallExpression | t.NewExpression, scope: Scope, found: Scan): void {
  if (node.callee.type === 'Import' || node.callee.type === 'V8IntrinsicIdentifier') return;
  const name = calleeName(node.callee, scope);
  if (name) found.constructions.push({ name: name.name, args: evaluateArguments(node.arguments, scope) });
  // env('X') of prisma/config, config.get('db.url') of convict.
  const callee = stripTypes(node.callee);
  const isGet = (callee.type === 'MemberExpression' || callee.type === 'OptionalMemberExpression') && staticKey(callee) === 'get';
  if (node.type !== 'NewExpression' && (callee.type === 'Identifier' || isGet)) noteEnvRead(evaluate(node, scope), node, found);
}

function noteEnvRead(value: JsValue, node: t.Node, found: Scan): void {
  if (value.kind !== 'env') return;
  const known = found.envReads.get(value.name);
  if (!known) {
    found.envReads.set(value.name, { name: value.name, ...(value.fallback ? { fallback: value.fallback } : {}), line: node.loc?.start.line ?? 0 });
  } else if (!known.fallback && value.fallback) {
    found.envReads.set(value.name, { ...known, fallback: value.fallback });
  }
}

// ───────────────────────────── Entry point ─────────────────────────────

class ModuleView implements JsModule {
  private namedExports?: ReadonlyMap<string, JsValue>;

  constructor(private readonly loaded: LoadedModule) {}

  get file(): string {
    return this.loaded.file;
  }

  get defaultExport(): JsValue | undefined {
    return this.loaded.defaultExport();
  }

  get named(): ReadonlyMap<string, JsValue> {
    this.namedExports ??= new Map(this.loaded.exportNames().map((name) => [name, this.loaded.namedExport(name) ?? UNDEFINED]));
    return this.namedExports;
  }

  constructions(name: string): JsValue[][] {
    return this.loaded
      .scan()
      .constructions.filter((c) => c.name === name || c.name.endsWith(`.${name}`))
      .map((c) => c.args);
  }

  envReads(): EnvRead[] {
    return [...this.loaded.scan().envReads.values()];
  }
}

/** How the file is loaded by the tool that reads it. */
export interface ReadOptions {
  /**
   * The tool's working directory, relative to the project root (default "."): where `process.cwd()`
   * and `path.resolve('x')` point (the knex CLI changes into the knexfile's folder).
   */
  workingDirectory?: string;
}

/**
 * Parses a project file (JavaScript, TypeScript or JSON) and gives access to what it exports and
 * builds; relative imports are followed lazily. Throws ConfigSyntaxError when the file itself does
 * not parse (a file it imports that does not parse reads as unknown values, with the reason).
 */
export function readModule(reader: SourceReader, file: string, options: ReadOptions = {}): JsModule {
  const normalised = posix.normalize(file);
  const loaded = loadModule(new Session(reader, posix.normalize(options.workingDirectory ?? '.')), normalised, 0);
  if (!loaded) throw new Error(`${file}: not found`);
  return new ModuleView(loaded);
}
