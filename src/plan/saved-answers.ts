import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv2020, type CodeOptions, type ValidateFunction } from 'ajv/dist/2020.js';
import { firstLine } from '../project/project.js';
import { precompiledValidator } from '../shared/assets.js';
import { UserError } from '../errors.js';
import type { Answers } from './answers.js';
import { answersSchema, SCHEMA_ID } from './answers-schema.js';
import { QUESTIONS } from './questions.js';

/** The committed file that holds the answers (name and schema documented in the README). */
export const ANSWERS_FILE = 'migrating-stack.json';

/**
 * The answers' schema and the ajv that compiles it: built from the questions, not read from schema/,
 * so that a stale schema file can't refuse valid answers.
 */
export function answersSchemaCompiler(code: CodeOptions = {}): { ajv: Ajv2020; schema: Record<string, unknown> } {
  return { ajv: new Ajv2020({ allErrors: false, strict: true, code }), schema: answersSchema() };
}

// Compiled at first use (--help and --version don't pay for it), or ahead of time in the bundle.
let compiled: ValidateFunction | undefined;
function validator(): ValidateFunction {
  compiled ??= precompiledValidator('answers');
  if (!compiled) {
    const { ajv, schema } = answersSchemaCompiler();
    compiled = ajv.compile(schema);
  }
  return compiled;
}

export interface SavedAnswers {
  /** May lack answers (hand-edited, or written by an older version): those are decided again. */
  answers: Partial<Answers>;
  /** Checksums of the files as last written, by path. */
  files: Record<string, string>;
}

export function loadSavedAnswers(root: string): SavedAnswers | undefined {
  const file = path.join(root, ANSWERS_FILE);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new UserError(`${file}: cannot be read (${(error as Error).message}): fix its permissions`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new UserError(`${file}: invalid JSON (${firstLine((error as Error).message)}): fix the syntax or delete the file to answer again`);
  }
  const validate = validator();
  if (!validate(data)) {
    const problem = validate.errors?.[0];
    const where = problem?.instancePath ? problem.instancePath.slice(1).replace(/\//g, '.') : 'the file';
    const detail =
      problem?.keyword === 'additionalProperties'
        ? `has unknown key "${(problem.params as { additionalProperty: string }).additionalProperty}"`
        : problem?.message;
    throw new UserError(`${file}: ${where} ${detail}: fix it, or delete the entry to detect it again`);
  }
  const saved = data as { answers: Partial<Answers>; files?: Record<string, string> };
  return { answers: saved.answers, files: saved.files ?? {} };
}

/** The file's text: answers in prompt order and files sorted, so output is stable everywhere. */
export function serializeSavedAnswers(answers: Answers, files: Record<string, string>): string {
  const ordered: Record<string, unknown> = {};
  for (const question of QUESTIONS) ordered[question.key] = answers[question.key];
  const sortedFiles = Object.fromEntries(Object.entries(files).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  return `${JSON.stringify({ $schema: SCHEMA_ID, version: 1, answers: ordered, files: sortedFiles }, null, 2)}\n`;
}
