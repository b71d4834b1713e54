/**
 * Settles every answer, in this order of precedence: a flag; else, interactively, the prompt
 * (whose default is the saved answer, else the detected value); else the saved answer; else the
 * detected value; else a UserError that names the flag.
 */
import { UserError } from '../errors.js';
import { isGap } from '../project/detected.js';
import type { ProjectFacts } from '../detect/index.js';
import type { AnswerKey, Answers } from './answers.js';
import { QUESTIONS, type Choice, type Question, type QuestionContext } from './questions.js';

/** What the interactive front end must offer; the CLI implements it with @inquirer/prompts. */
export interface Prompter {
  select(options: { message: string; choices: Choice[]; default?: string }): Promise<string>;
  input(options: { message: string; default?: string; validate: (raw: string) => true | string }): Promise<string>;
}

export interface ResolveOptions {
  /** Raw flag values by answer key. */
  flags: Partial<Record<AnswerKey, string>>;
  saved?: Partial<Answers> | undefined;
  /** Present when running interactively. */
  prompter?: Prompter | undefined;
}

export interface ResolvedAnswers {
  answers: Answers;
  /** Where a saved answer now disagrees with what the project shows. */
  notices: string[];
}

export async function resolveAnswers(facts: ProjectFacts, options: ResolveOptions): Promise<ResolvedAnswers> {
  const answers: Partial<Answers> = {};
  const notices: string[] = [];
  // Every problem is collected, so that one run names every flag or fix needed.
  const problems: string[] = [];
  const failed = new Set<AnswerKey>();
  for (const question of QUESTIONS) {
    if (question.after?.some((key) => failed.has(key))) {
      failed.add(question.key);
      continue;
    }
    try {
      const value = await resolveOne(question, { facts, answers }, options, notices);
      (answers as Record<string, unknown>)[question.key] = value;
      problems.push(...(question.blockers?.(value, { facts, answers }) ?? []));
    } catch (error) {
      if (!(error instanceof UserError)) throw error;
      failed.add(question.key);
      problems.push(error.message);
    }
  }
  if (problems.length > 0) throw new UserError([...new Set(problems)].join('\n'));
  return { answers: answers as Answers, notices };
}

async function resolveOne<K extends AnswerKey>(
  question: Question<K>,
  context: QuestionContext,
  { flags, saved, prompter }: ResolveOptions,
  notices: string[],
): Promise<Answers[K]> {
  const implied = question.implied?.(context);
  if (implied !== undefined) return implied;

  const raw = flags[question.key];
  if (raw !== undefined) return question.parse(raw, question.flag, context);

  const finding = question.detect(context);
  const detected = isGap(finding) ? undefined : finding;
  const savedValue = saved?.[question.key];
  const usableSaved = savedValue !== undefined && savedValue !== null && isStillValid(question, savedValue, context) ? savedValue : undefined;

  if (prompter && question.prompted !== false) return ask(question, context, prompter, usableSaved ?? detected?.value, detected?.source);

  if (usableSaved !== undefined) {
    if (detected && !detected.source.startsWith('default') && question.format(detected.value) !== question.format(usableSaved)) {
      notices.push(
        `${question.key}: keeping ${question.format(usableSaved)} from migrating-stack.json although ${detected.source} now says ${question.format(detected.value)} (pass ${question.flag} ${question.format(detected.value)} to change it)`,
      );
    }
    return usableSaved;
  }
  if (detected) return detected.value;
  if (isGap(finding)) throw new UserError(finding.gap.includes(question.flag) ? finding.gap : `${finding.gap}; or pass ${question.flag} ${question.valueName}`);
  throw missingAnswer(question, context);
}

/** A saved answer that no longer fits the project (say, the ORM was removed) is re-decided. */
function isStillValid<K extends AnswerKey>(question: Question<K>, value: Answers[K], context: QuestionContext): boolean {
  try {
    question.parse(question.format(value), 'migrating-stack.json', context);
    return true;
  } catch {
    return false;
  }
}

async function ask<K extends AnswerKey>(
  question: Question<K>,
  context: QuestionContext,
  prompter: Prompter,
  defaultValue: Answers[K] | undefined,
  source: string | undefined,
): Promise<Answers[K]> {
  const defaultText = defaultValue === undefined ? undefined : question.format(defaultValue);
  const hint = source === undefined || defaultValue === undefined ? '' : source.startsWith('default') ? '' : ` (from ${source})`;
  const choices = question.choices?.(context);
  if (choices && choices.length > 0) {
    const picked = await prompter.select({ message: question.message + hint, choices, ...(defaultText ? { default: defaultText } : {}) });
    return question.parse(picked, question.flag, context);
  }
  const typed = await prompter.input({
    message: question.message + hint,
    ...(defaultText ? { default: defaultText } : {}),
    validate: (text) => {
      try {
        question.parse(text, 'answer', context);
        return true;
      } catch (error) {
        return (error as Error).message.replace(/^answer: /, '');
      }
    },
  });
  return question.parse(typed, question.flag, context);
}

function missingAnswer(question: Question, context: QuestionContext): UserError {
  const reason = question.undetected(context);
  const joiner = /(,| or)$/.test(reason) ? ' ' : ': ';
  return new UserError(`${reason}${joiner}pass ${question.flag} ${question.valueName}`);
}
