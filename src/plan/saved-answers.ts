import path from 'node:path';
import { Ajv2020, type CodeOptions, type ValidateFunction } from 'ajv/dist/2020.js';
import { firstLine } from '../project/project.js';
import { precompiledValidator } from '../shared/assets.js';
import { readProjectText } from '../shared/files.js';
import { UserError } from '../errors.js';
import { ANSWERS_FILE, type Answers } from './answers.js';
import { answersSchema, SCHEMA_ID } from './answers-schema.js';
import { QUESTIONS } from './questions.js';

export { ANSWERS_FILE };

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
  // Through links inside the project only, a regular file only: the repository may be hostile.
  const text = readProjectText(root, ANSWERS_FILE);
  if (text === undefined) return undefined;
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new UserError(`${file}: invalid JSON (${firstLine((error as Error).message)}): fix the syntax or delete the file to answer again`);
  }
  const problem = schemaProblem(data);
  if (problem) throw new UserError(`${file}: ${problem.where} ${problem.detail}: fix it, or delete the entry to detect it again`);
  const saved = data as { answers: Partial<Answers>; files?: Record<string, string> };
  return { answers: saved.answers, files: saved.files ?? {} };
}

/** The schema's first complaint about the file's data: where (answers.node) and what. */
function schemaProblem(data: unknown): { where: string; detail: string } | undefined {
  const validate = validator();
  if (validate(data)) return undefined;
  const problem = validate.errors?.[0];
  const where = problem?.instancePath ? problem.instancePath.slice(1).replace(/\//g, '.') : 'the file';
  const detail =
    problem?.keyword === 'additionalProperties'
      ? `has unknown key "${(problem.params as { additionalProperty: string }).additionalProperty}"`
      : (problem?.message ?? 'is invalid');
  return { where, detail };
}

/**
 * Answers the next run would refuse when it reads them back from migrating-stack.json (say, Node
 * 16 from .nvmrc, below the schema's minimum): a UserError naming the answer and its flag, thrown
 * before anything is written.
 */
export function assertSavable(root: string, answers: Answers): void {
  const problem = schemaProblem(JSON.parse(serializeSavedAnswers(answers, {})));
  if (!problem) return;
  const key = /^answers\.(\w+)/.exec(problem.where)?.[1];
  const question = QUESTIONS.find((candidate) => candidate.key === key);
  throw new UserError(
    `${path.join(root, ANSWERS_FILE)}: ${problem.where} ${problem.detail}, so the next run would refuse the file; nothing was written: ${question ? `pass ${question.flag} ${question.valueName}` : 'pass the answer as a flag'}`,
  );
}

/** The file's text: answers in prompt order and files sorted, so output is stable everywhere. */
export function serializeSavedAnswers(answers: Answers, files: Record<string, string>): string {
  const ordered: Record<string, unknown> = {};
  for (const question of QUESTIONS) {
    if (question.savedOnlyWhenSet && answers[question.key] === null) continue;
    ordered[question.key] = answers[question.key];
  }
  const sortedFiles = Object.fromEntries(Object.entries(files).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  return `${JSON.stringify({ $schema: SCHEMA_ID, version: 1, answers: ordered, files: sortedFiles }, null, 2)}\n`;
}
