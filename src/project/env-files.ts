/**
 * The environment a project documents: its env templates (.env.example and the names real projects
 * give them: .env.sample, .env.template, env-example-relational, config/dev/.env.example, …), parsed
 * with dotenv. Real .env files are never read: they hold secrets.
 */
import path from 'node:path';
import { parse as parseDotenv } from 'dotenv';
import { stripManagedBlock } from '../shared/managed-block.js';
import type { Project } from './project.js';

/** The template the generator shares with the project (it owns a block in it). */
export const PRIMARY_TEMPLATE = '.env.example';

/** Template names at the root, most conventional first. */
const ROOT_TEMPLATES = /^(?:\.env\.(?:example|sample|template|dist|defaults)|(?:example|sample)\.env|\.?env[.-](?:example|sample|template)[\w.-]*)$/;
/** Folders where projects keep per-environment templates (config/dev/.env.example). */
const TEMPLATE_DIRS = ['config', 'env', 'envs', 'environments'];
/** How deep under those folders a template may sit. */
const MAX_DEPTH = 2;

export interface EnvTemplate {
  /** Relative to the project root. */
  file: string;
  entries: Record<string, string>;
}

/** Every env template of the project, the primary one first, then by path. */
export function envTemplates(project: Project): EnvTemplate[] {
  const files = [
    ...project.list('.').filter((name) => ROOT_TEMPLATES.test(name) && !project.isDirectory(name)),
    ...TEMPLATE_DIRS.flatMap((dir) => templatesUnder(project, dir, 1)),
  ];
  const ordered = [...new Set(files)].sort((a, b) => (a === PRIMARY_TEMPLATE ? -1 : b === PRIMARY_TEMPLATE ? 1 : a.localeCompare(b)));
  return ordered.flatMap((file) => {
    const text = project.readText(file);
    // The block create-migrating-stack writes into .env.example is the stack's, not the project's.
    return text === undefined ? [] : [{ file, entries: parseDotenv(stripManagedBlock(text)) }];
  });
}

function templatesUnder(project: Project, dir: string, depth: number): string[] {
  if (depth > MAX_DEPTH || !project.isDirectory(dir)) return [];
  return project.list(dir).flatMap((name) => {
    const child = path.posix.join(dir, name);
    if (project.isDirectory(child)) return templatesUnder(project, child, depth + 1);
    return ROOT_TEMPLATES.test(name) ? [child] : [];
  });
}

/** Names that look like secrets: their template values are never copied into generated files. */
export function looksSecret(name: string): boolean {
  // AUTH_JWT_TOKEN_EXPIRES_IN, SESSION_SECRET_LENGTH: settings about a secret, not one.
  if (/_(EXPIRES_IN|EXPIRES|EXPIRY|EXPIRATION|TTL|LIFETIME|DURATION|LENGTH|ALGORITHM|ISSUER|AUDIENCE|HEADER|ROUNDS)$/i.test(name)) return false;
  return /(SECRET|TOKEN|PASSWORD|PASSWD|PASS$|PRIVATE|CREDENTIAL|API_?KEY|_KEY$|^KEY$|SALT|DSN$)/i.test(name);
}
