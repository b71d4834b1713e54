import { describe, expect, it } from 'vitest';
import { mayDeclareEnvSchema, readEnvSchema } from '../../../src/project/env-schema.js';
import { ConfigSyntaxError, type SourceReader } from '../../../src/project/js-module.js';

/** An in-memory project: file path → text; folders are implied by the paths. */
function project(files: Record<string, string>): SourceReader {
  const folders = new Set<string>();
  for (const file of Object.keys(files)) {
    const parts = file.split('/');
    for (let i = 1; i < parts.length; i++) folders.add(parts.slice(0, i).join('/'));
  }
  return {
    readText: (rel) => (Object.hasOwn(files, rel) ? files[rel] : undefined),
    exists: (rel) => Object.hasOwn(files, rel) || folders.has(rel),
    isDirectory: (rel) => folders.has(rel),
  };
}

describe('readEnvSchema', () => {
  it('zod: z.object keyed by variables; optional(), default() and nullish() make a variable optional', () => {
    const file = 'src/env.ts';
    const files = {
      [file]: `
import { z } from 'zod';

const LogLevel = z.enum(['debug', 'info', 'warn', 'error']);
const User = z.object({ id: z.string(), email: z.string().email() });

export const EnvSchema = z.object({
  PORT: z.coerce.number().int().positive().default(3000),
  DATABASE_URL: z.string().url(),
  LOG_LEVEL: LogLevel.optional(),
  SENTRY_DSN: z.string().nullish(),
  REDIS_URL: z.string().nullable(),
  FEATURE_FLAGS: z.string().default(() => 'none'),
  NEXT_PUBLIC_API_URL: z.string().url(),
});

export const env = EnvSchema.parse(process.env);
`,
    };
    expect(readEnvSchema(project(files), file)).toEqual([
      { name: 'PORT', required: false, default: '3000', file },
      { name: 'DATABASE_URL', required: true, file },
      { name: 'LOG_LEVEL', required: false, file },
      { name: 'SENTRY_DSN', required: false, file },
      // null is allowed, an absent value is not.
      { name: 'REDIS_URL', required: true, file },
      { name: 'FEATURE_FLAGS', required: false, default: 'none', file },
      { name: 'NEXT_PUBLIC_API_URL', required: true, buildTime: true, file },
    ]);
  });

  it('@t3-oss/env: server, shared and client sections; client variables (and clientPrefix ones) are build-time', () => {
    const files = {
      'src/env.mjs': `
import { createEnv } from '@t3-oss/env-nextjs';
import { z } from 'zod';

export const env = createEnv({
  server: {
    DATABASE_URL: z.string().url(),
    NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
    AUTH_SECRET: process.env.NODE_ENV === 'production' ? z.string() : z.string().optional(),
    LOCAL_ONLY: process.env.CI ? z.string().optional() : z.string().default('x'),
  },
  shared: { VERCEL_URL: z.string().optional() },
  client: { NEXT_PUBLIC_CLIENTVAR: z.string() },
  runtimeEnv: {
    DATABASE_URL: process.env.DATABASE_URL,
    NODE_ENV: process.env.NODE_ENV,
    AUTH_SECRET: process.env.AUTH_SECRET,
    VERCEL_URL: process.env.VERCEL_URL,
    NEXT_PUBLIC_CLIENTVAR: process.env.NEXT_PUBLIC_CLIENTVAR,
  },
});
`,
      'src/env.core.ts': `
import { createEnv } from '@t3-oss/env-core';
import * as v from 'valibot';
export const env = createEnv({
  server: { DATABASE_URL: v.string() },
  clientPrefix: 'PUBLIC_',
  client: { PUBLIC_SITE_NAME: v.optional(v.string()) },
  runtimeEnv: process.env,
});
`,
    };
    const file = 'src/env.mjs';
    expect(readEnvSchema(project(files), file)).toEqual([
      { name: 'DATABASE_URL', required: true, file },
      { name: 'NODE_ENV', required: false, default: 'development', file },
      // Required in one of the two branches.
      { name: 'AUTH_SECRET', required: true, file },
      { name: 'LOCAL_ONLY', required: false, default: 'x', file },
      { name: 'VERCEL_URL', required: false, file },
      { name: 'NEXT_PUBLIC_CLIENTVAR', required: true, buildTime: true, file },
    ]);
    expect(readEnvSchema(project(files), 'src/env.core.ts')).toEqual([
      { name: 'DATABASE_URL', required: true, file: 'src/env.core.ts' },
      { name: 'PUBLIC_SITE_NAME', required: false, buildTime: true, file: 'src/env.core.ts' },
    ]);
  });

  it('envalid: cleanEnv specs; default makes a variable optional, devDefault does not (it applies outside production)', () => {
    const file = 'src/config.js';
    const files = {
      [file]: `
const envalid = require('envalid');
const { str, port, url, bool } = envalid;

module.exports = envalid.cleanEnv(process.env, {
  PORT: port({ default: 3000 }),
  DATABASE_URL: url(),
  SESSION_SECRET: str({ devDefault: 'dev-secret' }),
  DEBUG: bool({ default: false, desc: 'Verbose logs' }),
  SMTP_HOST: envalid.host({ default: undefined }),
});
`,
    };
    expect(readEnvSchema(project(files), file)).toEqual([
      { name: 'PORT', required: false, default: '3000', file },
      { name: 'DATABASE_URL', required: true, file },
      { name: 'SESSION_SECRET', required: true, file },
      { name: 'DEBUG', required: false, default: 'false', file },
      { name: 'SMTP_HOST', required: false, file },
    ]);
  });

  it('env-schema: a JSON schema given inline, as a constant, or imported; required names without a default', () => {
    const files = {
      'src/schema.js': `
export const schema = {
  type: 'object',
  required: ['DATABASE_URL', 'PORT'],
  properties: {
    PORT: { type: 'number', default: 3000 },
    DATABASE_URL: { type: 'string' },
    LOG_LEVEL: { type: 'string', default: 'info' },
    CACHE_TTL: { type: 'integer' },
  },
};
`,
      'src/config.js': `
import envSchema from 'env-schema';
import { schema } from './schema.js';
export const config = envSchema({ schema, dotenv: true });
`,
      'src/inline.ts': `
import { envSchema } from 'env-schema';
const local = { type: 'object', required: ['API_KEY'], properties: { API_KEY: { type: 'string' } } };
export default envSchema({ schema: local, data: process.env });
`,
    };
    expect(readEnvSchema(project(files), 'src/config.js')).toEqual([
      { name: 'PORT', required: false, default: '3000', file: 'src/config.js' },
      { name: 'DATABASE_URL', required: true, file: 'src/config.js' },
      { name: 'LOG_LEVEL', required: false, default: 'info', file: 'src/config.js' },
      { name: 'CACHE_TTL', required: false, file: 'src/config.js' },
    ]);
    expect(readEnvSchema(project(files), 'src/inline.ts')).toEqual([{ name: 'API_KEY', required: true, file: 'src/inline.ts' }]);
  });

  it('@fastify/env: the schema given to register()', () => {
    const file = 'src/app.ts';
    const files = {
      [file]: `
import Fastify from 'fastify';
import fastifyEnv from '@fastify/env';
import cors from '@fastify/cors';

const app = Fastify();
const options = {
  confKey: 'config',
  schema: { type: 'object', required: ['DATABASE_URL'], properties: { DATABASE_URL: { type: 'string' }, HOST: { type: 'string', default: '0.0.0.0' } } },
};
await app.register(cors, { origin: true });
await app.register(fastifyEnv, options);
`,
    };
    expect(readEnvSchema(project(files), file)).toEqual([
      { name: 'DATABASE_URL', required: true, file },
      { name: 'HOST', required: false, default: '0.0.0.0', file },
    ]);
  });

  it('convict: nested settings with env; an empty or null default leaves the variable required', () => {
    const file = 'config/index.js';
    const files = {
      [file]: `
const convict = require('convict');
module.exports = convict({
  env: { doc: 'The environment', format: ['production', 'development', 'test'], default: 'development', env: 'NODE_ENV' },
  port: { format: 'port', default: 8080, env: 'PORT', arg: 'port' },
  db: {
    url: { doc: 'Database URL', format: String, default: '', env: 'DATABASE_URL' },
    password: { format: String, default: null, env: 'DB_PASSWORD', sensitive: true },
    pool: { max: { format: 'nat', default: 10, env: 'DB_POOL_MAX' } },
  },
  secret: { format: String, default: 'changeme' },
});
`,
    };
    expect(readEnvSchema(project(files), file)).toEqual([
      { name: 'NODE_ENV', required: false, default: 'development', file },
      { name: 'PORT', required: false, default: '8080', file },
      { name: 'DATABASE_URL', required: true, file },
      { name: 'DB_PASSWORD', required: true, file },
      { name: 'DB_POOL_MAX', required: false, default: '10', file },
    ]);
  });

  it('joi: Joi.object({…}) and .keys({…}); a key is optional unless required()', () => {
    const file = 'src/config/validation.ts';
    const files = {
      [file]: `
import * as Joi from 'joi';

export const validationSchema = Joi.object({
  NODE_ENV: Joi.string().valid('development', 'production').default('development'),
  PORT: Joi.number().port().default(3000),
  DATABASE_URL: Joi.string().uri().required(),
  REDIS_URL: Joi.string().uri(),
});

// Not every key names a variable: not an environment schema.
export const extra = Joi.object().keys({
  JWT_SECRET: Joi.string().min(32).required(),
  options: Joi.object({ retries: Joi.number() }),
});

export const jwt = Joi.object().keys({ JWT_TTL: Joi.string().default('1h') });
`,
    };
    expect(readEnvSchema(project(files), file)).toEqual([
      { name: 'NODE_ENV', required: false, default: 'development', file },
      { name: 'PORT', required: false, default: '3000', file },
      { name: 'DATABASE_URL', required: true, file },
      { name: 'REDIS_URL', required: false, file },
      { name: 'JWT_TTL', required: false, default: '1h', file },
    ]);
  });

  it('a file without schemas declares nothing; a syntax error throws ConfigSyntaxError', () => {
    const files = {
      'src/plain.ts': "import { z } from 'zod';\nexport const User = z.object({ id: z.string(), name: z.string() });",
      'src/broken.ts': "import { z } from 'zod';\nexport const Env = z.object({ PORT: z.string( });",
    };
    expect(readEnvSchema(project(files), 'src/plain.ts')).toEqual([]);
    expect(() => readEnvSchema(project(files), 'src/broken.ts')).toThrow(ConfigSyntaxError);
  });
});

describe('mayDeclareEnvSchema', () => {
  it('is true for files importing a schema package, false otherwise', () => {
    expect(mayDeclareEnvSchema("import { z } from 'zod';")).toBe(true);
    expect(mayDeclareEnvSchema("import { z } from 'zod/v4';")).toBe(true);
    expect(mayDeclareEnvSchema('const { cleanEnv } = require("envalid");')).toBe(true);
    expect(mayDeclareEnvSchema("import envSchema from 'env-schema';")).toBe(true);
    expect(mayDeclareEnvSchema("import fastifyEnv from '@fastify/env';")).toBe(true);
    expect(mayDeclareEnvSchema("const convict = require('convict');")).toBe(true);
    expect(mayDeclareEnvSchema("import Joi from 'joi';")).toBe(true);
    expect(mayDeclareEnvSchema("import { createEnv } from '@t3-oss/env-nextjs';")).toBe(true);
    expect(mayDeclareEnvSchema("import express from 'express';\n// validated with zod")).toBe(false);
    expect(mayDeclareEnvSchema("import { zodResolver } from '@hookform/resolvers/zod';")).toBe(false);
  });
});

describe('requirements a shape alone does not show', () => {
  it('a variable the shape calls optional but a refine requires (in production) is required; one with a default stays optional', () => {
    const files = {
      'src/env.ts': [
        "import { z } from 'zod';",
        'const EnvSchema = z',
        '  .object({',
        "    NODE_ENV: z.string().default('development'),",
        '    DATABASE_URL: z.string().url(),',
        '    DATABASE_AUTH_TOKEN: z.string().optional(),',
        '    SENTRY_DSN: z.string().optional(),',
        '  })',
        '  .superRefine((input, ctx) => {',
        "    if (input.NODE_ENV === 'production' && !input.DATABASE_AUTH_TOKEN) ctx.addIssue({ code: 'custom', path: ['DATABASE_AUTH_TOKEN'] });",
        '  });',
        'export default EnvSchema.parse(process.env);',
      ].join('\n'),
    };
    const declared = Object.fromEntries(readEnvSchema(project(files), 'src/env.ts').map((variable) => [variable.name, variable]));
    expect(declared.DATABASE_AUTH_TOKEN?.required).toBe(true);
    expect(declared.NODE_ENV).toMatchObject({ required: false, default: 'development' });
    expect(declared.SENTRY_DSN?.required).toBe(false);
  });

  it("class-validator classes (NestJS config validation): each property required unless @IsOptional/@ValidateIf; DTOs' camelCase ones ignored", () => {
    const files = {
      'src/auth/config/auth.config.ts': [
        "import { IsOptional, IsString, IsInt, ValidateIf } from 'class-validator';",
        'class EnvironmentVariablesValidator {',
        '  @IsString()',
        '  AUTH_JWT_SECRET: string;',
        '  @IsString()',
        '  AUTH_JWT_TOKEN_EXPIRES_IN: string;',
        '  @IsInt() @IsOptional()',
        '  AUTH_ROUNDS: number;',
        "  @ValidateIf((env) => env.AUTH_MODE === 'oauth') @IsString()",
        '  AUTH_CLIENT_ID: string;',
        '}',
        'export class LoginDto { @IsString() email: string; }',
      ].join('\n'),
    };
    expect(mayDeclareEnvSchema(files['src/auth/config/auth.config.ts'])).toBe(true);
    expect(readEnvSchema(project(files), 'src/auth/config/auth.config.ts').map(({ name, required }) => [name, required])).toEqual([
      ['AUTH_JWT_SECRET', true],
      ['AUTH_JWT_TOKEN_EXPIRES_IN', true],
      ['AUTH_ROUNDS', false],
      ['AUTH_CLIENT_ID', false],
    ]);
  });
});
