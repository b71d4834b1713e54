/**
 * The JSON Schema of migrating-stack.json, built from the questions (whose enums come from the
 * adapter registries), so that a new adapter needs no edit here. schema/migrating-stack.schema.json
 * is this schema written out for editors; a unit test keeps the two equal (npm run schema:update).
 */
import { QUESTIONS } from './questions.js';

export const SCHEMA_ID = 'https://unpkg.com/create-migrating-stack@0/schema/migrating-stack.schema.json';

/** "migration tool whose …" → "Migration tool whose … (--orm)." */
function describe(description: string, flag: string, valueName: string): string {
  const flags = valueName === '' ? `${flag} / ${flag.replace(/^--/, '--no-')}` : flag;
  return `${description[0]!.toUpperCase()}${description.slice(1).replace(/ \(--no-[\w-]+: don't\)$/, '')} (${flags}).`;
}

export function answersSchema(): Record<string, unknown> {
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: SCHEMA_ID,
    title: 'create-migrating-stack saved answers',
    description:
      'The answers create-migrating-stack generated the container setup from. Commit this file: with it, any machine regenerates the same files byte for byte, and `--check` detects drift. A missing answer is detected or asked again.',
    type: 'object',
    required: ['version', 'answers'],
    additionalProperties: false,
    properties: {
      $schema: { type: 'string' },
      version: { const: 1, description: 'Format of this file.' },
      answers: {
        type: 'object',
        additionalProperties: false,
        properties: Object.fromEntries(
          QUESTIONS.map((question) => [question.key, { ...question.schema, description: describe(question.description, question.flag, question.valueName) }]),
        ),
      },
      files: {
        type: 'object',
        description: 'Checksum of each file as last generated: a file that no longer matches was edited by hand and is not overwritten without --force.',
        additionalProperties: { type: 'string', pattern: '^sha256:[0-9a-f]{64}$' },
      },
    },
  };
}

/** The schema file's text, as committed. */
export function answersSchemaText(): string {
  return `${JSON.stringify(answersSchema(), null, 2)}\n`;
}
