/**
 * What the command line needs of each question to declare its flag: the flag, its value's name and
 * its help text. scripts/bundle.js replaces this module with the same list as a literal, so that
 * --help and flag parsing load none of the detection code QUESTIONS brings along.
 */
import type { AnswerKey } from './answers.js';
import { QUESTIONS } from './questions.js';

export interface AnswerFlag {
  key: AnswerKey;
  /** e.g. "--port". */
  flag: string;
  /** e.g. "<n>"; empty for a yes/no flag (--x / --no-x). */
  valueName: string;
  description: string;
}

export function answerFlags(): AnswerFlag[] {
  return QUESTIONS.map(({ key, flag, valueName, description }) => ({ key, flag, valueName, description }));
}
