/**
 * The environment variables a project declares in a schema — zod (alone or inside @t3-oss/env's
 * createEnv), envalid, env-schema / @fastify/env JSON schemas, convict, joi — read from the source
 * with js-module's evaluator, never by running it. Tells the generator which variables the app
 * needs, which have defaults, and which must be known when the image is built.
 */
import { parse } from '@babel/parser';
import { balanced } from './config-text.js';
import { asString, branches, property, readModule, type CallInfo, type JsValue, type ObjectValue, type SourceReader } from './js-module.js';

export interface EnvVariableDeclaration {
  readonly name: string;
  /** The schema's default, as the text the variable would hold ("3000"). */
  readonly default?: string;
  /** The app refuses to start without it in production (envalid's devDefault does not count there). */
  readonly required: boolean;
  /** Inlined into client code when the app is built (createEnv's `client`, NEXT_PUBLIC_…): it must be set at build time. */
  readonly buildTime?: true;
  /** The project-relative file that declares it. */
  readonly file: string;
}

/** Import or require of a package whose schemas readEnvSchema reads. */
const SCHEMA_PACKAGE = /(['"])(?:zod(?:\/[\w.-]+)?|envalid|env-schema|@fastify\/env|convict|joi|@hapi\/joi|@t3-oss\/env-[\w-]+|class-validator)\1/;

/** Cheap text test: whether a file imports a schema package, so that only those files get parsed. */
export function mayDeclareEnvSchema(text: string): boolean {
  return SCHEMA_PACKAGE.test(text);
}

/**
 * The variables declared by the schemas in `file`, once each (the first declaration wins), by kind
 * of schema and then in source order. Throws js-module's ConfigSyntaxError when the file does not parse.
 */
export function readEnvSchema(reader: SourceReader, file: string): EnvVariableDeclaration[] {
  const module = readModule(reader, file);
  const found = new Map<string, EnvVariableDeclaration>();
  const add = (name: string, presence: Presence, buildTime = false): void => {
    if (found.has(name)) return;
    const publicName = name.startsWith('NEXT_PUBLIC_');
    found.set(name, { name, ...presence, ...(buildTime || publicName ? { buildTime: true as const } : {}), file });
  };

  // @t3-oss/env-core / env-nextjs: createEnv({ server: {…}, client: {…}, shared: {…}, runtimeEnv })
  for (const [options] of module.constructions('createEnv')) {
    const clientPrefix = asString(property(options, 'clientPrefix'));
    for (const section of ['server', 'shared', 'client']) {
      for (const [name, validator] of entries(property(options, section))) {
        add(name, validatorPresence(validator), section === 'client' || (clientPrefix !== undefined && clientPrefix !== '' && name.startsWith(clientPrefix)));
      }
    }
  }

  // z.object({ PORT: … }), Joi.object({ … }), Joi.object().keys({ … }), schema.extend({ … })
  for (const builder of ['object', 'strictObject', 'looseObject', 'keys', 'extend']) {
    for (const [shape] of module.constructions(builder)) {
      const object = objectOf(shape);
      if (object && looksLikeEnvironment(object)) for (const [name, validator] of object.properties) add(name, validatorPresence(validator));
    }
  }

  // envalid: cleanEnv(process.env, { PORT: port({ default: 3000 }), DATABASE_URL: url() })
  for (const [, specs] of module.constructions('cleanEnv')) {
    for (const [name, validator] of entries(specs)) add(name, envalidPresence(validator));
  }

  // env-schema: envSchema({ schema }), @fastify/env: app.register(fastifyEnv, { schema })
  for (const [options] of module.constructions('envSchema')) readJsonSchema(property(options, 'schema'), add);
  for (const [, options] of module.constructions('register')) {
    const schema = property(options, 'schema');
    if (property(schema, 'properties')) readJsonSchema(schema, add);
  }

  // convict({ port: { default: 8080, env: 'PORT' }, db: { url: { default: '', env: 'DATABASE_URL' } } })
  for (const [schema] of module.constructions('convict')) readConvictSchema(schema, add, 0);

  const text = reader.readText(file) ?? '';
  // class-validator: class EnvironmentVariablesValidator { @IsString() AUTH_SECRET: string; @IsOptional() … }
  if (/['"]class-validator['"]/.test(text)) for (const [name, required] of classValidatorProperties(text)) add(name, { required });

  // .refine()/.superRefine() may require what the shape calls optional (a token required in
  // production only): the app refuses to start without it, so it counts as required.
  const refined = refinedNames(text);
  return [...found.values()].map((declaration) =>
    !declaration.required && declaration.default === undefined && refined.has(declaration.name) ? { ...declaration, required: true } : declaration,
  );
}

/** Upper-case names a `.refine(…)` or `.superRefine(…)` callback reads. */
function refinedNames(text: string): Set<string> {
  const names = new Set<string>();
  for (const match of text.matchAll(/\.(?:super)?[Rr]efine\s*\(/g)) {
    const body = balanced(text, match.index + match[0].length - 1) ?? '';
    for (const read of body.matchAll(/(?:\.|\[\s*['"])([A-Z][A-Z\d_]*)\b/g)) names.add(read[1]!);
  }
  return names;
}

/** Decorators of class-validator that make a property optional. */
const OPTIONAL_DECORATORS = new Set(['IsOptional', 'ValidateIf']);

/**
 * Properties named like environment variables in classes whose properties carry class-validator
 * decorators (NestJS config validation), each required unless @IsOptional()/@ValidateIf().
 */
function classValidatorProperties(text: string): Map<string, boolean> {
  const found = new Map<string, boolean>();
  let program: ReturnType<typeof parse>;
  try {
    program = parse(text, { sourceType: 'unambiguous', plugins: ['typescript', 'decorators-legacy'], errorRecovery: true });
  } catch {
    return found;
  }
  const visit = (node: unknown, depth: number): void => {
    if (depth > 64 || typeof node !== 'object' || node === null) return;
    const current = node as {
      type?: string;
      key?: { type: string; name?: string };
      decorators?: { expression: { type: string; callee?: { type: string; name?: string } } }[];
    };
    if (
      current.type === 'ClassProperty' &&
      current.key?.type === 'Identifier' &&
      /^[A-Z][A-Z\d_]*$/.test(current.key.name ?? '') &&
      current.decorators?.length
    ) {
      const names = current.decorators.map((decorator) => (decorator.expression.type === 'CallExpression' ? decorator.expression.callee?.name : undefined));
      found.set(current.key.name!, !names.some((name) => name !== undefined && OPTIONAL_DECORATORS.has(name)));
      return;
    }
    for (const [key, value] of Object.entries(node)) {
      if (key === 'loc' || key === 'start' || key === 'end') continue;
      if (Array.isArray(value)) for (const item of value) visit(item, depth + 1);
      else if (typeof value === 'object') visit(value, depth + 1);
    }
  };
  visit(program.program, 0);
  return found;
}

type Presence = Pick<EnvVariableDeclaration, 'required' | 'default'>;

function objectOf(value: JsValue | undefined): ObjectValue | undefined {
  return branches(value).find((branch): branch is ObjectValue => branch.kind === 'object');
}

function entries(value: JsValue | undefined): [string, JsValue][] {
  return [...(objectOf(value)?.properties ?? [])];
}

/** Schema objects of zod or joi describe many things; only those keyed like environment variables are read. */
function looksLikeEnvironment(object: ObjectValue): boolean {
  const keys = [...object.properties.keys()];
  return keys.length > 0 && keys.every((key) => /^[A-Z][A-Z\d_]*$/.test(key));
}

/** The text a default gives the variable; undefined for defaults that are not plain values. */
function defaultText(value: JsValue | undefined): string | undefined {
  if (value?.kind !== 'literal' || value.value === null || value.value === undefined) return undefined;
  return String(value.value);
}

function presence(required: boolean, fallback: JsValue | undefined): Presence {
  const text = defaultText(fallback);
  return { required, ...(text !== undefined ? { default: text } : {}) };
}

/** The calls of a builder chain, first to last: `z.coerce.number().default(3000)` → [z.coerce.number(), default(3000)]. */
function callChain(value: JsValue | undefined): CallInfo[] {
  const chain: CallInfo[] = [];
  for (let current = value; current?.kind === 'unknown' && current.call && chain.length < 64; current = current.call.receiver) chain.unshift(current.call);
  return chain;
}

function methodName(call: CallInfo): string {
  return call.callee.split('.').at(-1)!;
}

/**
 * Whether a validator (zod, joi, …) lets the variable be absent. zod and most libraries require a
 * value unless `.optional()`, `.nullish()`, `.default()` or `.catch()` says otherwise; joi and yup
 * accept an absent value unless `.required()`. A default always makes it optional.
 */
function validatorPresence(validator: JsValue): Presence {
  // A validator chosen at run time (NODE_ENV === 'production' ? z.string() : z.string().optional()):
  // required when either choice requires it.
  if (validator.kind === 'oneOf') {
    const choices = validator.options.map(validatorPresence);
    const fallback = choices.find((choice) => choice.default !== undefined)?.default;
    return { required: choices.some((choice) => choice.required), ...(fallback !== undefined ? { default: fallback } : {}) };
  }
  const chain = callChain(validator);
  const names = chain.map(methodName);
  const defaultCall = chain.findLast((call) => methodName(call) === 'default');
  if (defaultCall) return presence(false, defaultCall.args[0]);
  const root = chain[0];
  const library = root?.module ?? root?.callee.split('.')[0]?.toLowerCase() ?? '';
  if (/^(@hapi\/)?joi$|^yup$/.test(library)) return { required: names.some((name) => ['required', 'exist', 'defined', 'demand'].includes(name)) };
  return { required: !names.some((name) => ['optional', 'nullish', 'catch', 'prefault'].includes(name)) };
}

/** envalid: `str()` requires a value; `{ default }` gives one; `{ devDefault }` applies outside production only. */
function envalidPresence(validator: JsValue): Presence {
  const options = objectOf(callChain(validator).at(-1)?.args[0]);
  const hasDefault = options?.properties.has('default') ?? false;
  return presence(!hasDefault, options?.properties.get('default'));
}

/** A JSON schema of the environment: `properties` with defaults, `required` names. */
function readJsonSchema(schema: JsValue | undefined, add: (name: string, presence: Presence) => void): void {
  const required = new Set(branches(property(schema, 'required')).flatMap((list) => (list.kind === 'array' ? list.elements.map(asString) : [])));
  for (const [name, definition] of entries(property(schema, 'properties'))) {
    const fallback = property(definition, 'default');
    add(name, presence(required.has(name) && fallback === undefined, fallback));
  }
}

/**
 * A convict schema: a setting (an object with a `default`) read from `env`; groups nest. A setting
 * whose default is null, undefined or empty has no usable value until the variable is set.
 */
function readConvictSchema(schema: JsValue | undefined, add: (name: string, presence: Presence) => void, depth: number): void {
  if (depth > 32) return;
  for (const [, node] of entries(schema)) {
    const setting = objectOf(node);
    if (!setting) continue;
    if (!setting.properties.has('default')) {
      readConvictSchema(setting, add, depth + 1);
      continue;
    }
    const name = asString(setting.properties.get('env'));
    if (name === undefined) continue;
    const fallback = setting.properties.get('default');
    const empty = fallback?.kind === 'literal' && (fallback.value === null || fallback.value === undefined || fallback.value === '');
    add(name, presence(empty, empty ? undefined : fallback));
  }
}
