/**
 * Settles every answer, in this order of precedence: a flag; else the saved answer; else the
 * detected value; else, at a terminal, a question; else a problem that names the flag. Every
 * problem of a run is reported at once.
 *
 * At a terminal, detection speaks first: the settled values are shown as one summary, only the
 * gaps (nothing detected, or several candidates) are asked, and then "Generate with these?" lets
 * the user edit any answer, each question defaulting to the value shown.
 */
import { UserError } from '../errors.js';
import type { ProjectFacts } from '../detect/index.js';
import { isGap } from '../project/detected.js';
import type { AnswerKey, Answers } from './answers.js';
import { QUESTIONS, type Choice, type Question, type QuestionContext } from './questions.js';

/** What the interactive front end must offer; the CLI implements it with @inquirer/prompts. */
export interface Prompter {
  select(options: { message: string; choices: Choice[]; default?: string }): Promise<string>;
  input(options: { message: string; default?: string; validate: (raw: string) => true | string }): Promise<string>;
  /** Shows text (the summary) without asking anything. */
  note(text: string): void;
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
  /** Values that fell back to a documented default, and what that means. */
  warnings: string[];
}

/** Where a settled value came from, for the summary. */
type Origin = 'flag' | 'saved' | 'detected' | 'default' | 'implied' | 'answered';

interface Settled {
  value: unknown;
  origin: Origin;
  /** The file or reason detection gave. */
  source?: string;
}

const CONFIRM = { yes: 'yes', edit: 'edit' } as const;

export async function resolveAnswers(facts: ProjectFacts, options: ResolveOptions): Promise<ResolvedAnswers> {
  const answers: Partial<Answers> = {};
  const settled = new Map<AnswerKey, Settled>();
  const notices: string[] = [];
  const problems: string[] = [];
  const failed = new Set<AnswerKey>();
  const { prompter } = options;

  for (const question of QUESTIONS) {
    if (question.after?.some((key) => failed.has(key))) {
      failed.add(question.key);
      continue;
    }
    const context = { facts, answers };
    try {
      let outcome = settle(question, context, options, notices);
      if (!('value' in outcome)) {
        if (!prompter || question.prompted === false) throw new UserError(outcome.problem);
        // A gap at a terminal is a question, not an exit.
        prompter.note(outcome.problem.replace(/[:;,]? or pass .*$|: pass .*$/, ''));
        outcome = { value: await ask(question, context, prompter, undefined, undefined), origin: 'answered' };
      }
      (answers as Record<string, unknown>)[question.key] = outcome.value;
      settled.set(question.key, outcome);
      const blockers = question.blockers?.(outcome.value as never, context) ?? [];
      problems.push(...blockers);
      // A blocked answer (a framework refused as configured) fails the answers decided from it:
      // start, port and health belong to that framework, not to a plain Node fallback.
      if (blockers.length > 0) failed.add(question.key);
    } catch (error) {
      if (!(error instanceof UserError)) throw error;
      failed.add(question.key);
      problems.push(error.message);
    }
  }
  if (problems.length > 0) throw new UserError([...new Set(problems)]);

  if (prompter) {
    prompter.note(summary(facts, answers as Answers, settled));
    const choice = await prompter.select({
      message: 'Generate with these?',
      choices: [
        { value: CONFIRM.yes, name: 'Yes' },
        { value: CONFIRM.edit, name: 'Edit an answer first' },
      ],
      default: CONFIRM.yes,
    });
    if (choice === CONFIRM.edit) await editAll(facts, answers, settled, prompter);
  }

  const warnings = QUESTIONS.flatMap((question) => {
    const outcome = settled.get(question.key);
    return outcome?.origin === 'default' && question.defaultWarning ? [question.defaultWarning(outcome.value as never)] : [];
  });
  return { answers: answers as Answers, notices, warnings };
}

/** One answer without asking: the flag, the saved answer, detection, or the problem to report. */
function settle<K extends AnswerKey>(
  question: Question<K>,
  context: QuestionContext,
  { flags, saved }: ResolveOptions,
  notices: string[],
): Settled | { problem: string } {
  const implied = question.implied?.(context);
  if (implied !== undefined) return { value: implied, origin: 'implied' };

  const raw = flags[question.key];
  if (raw !== undefined) return { value: question.parse(raw, question.flag, context), origin: 'flag' };

  const finding = question.detect(context);
  const detected = isGap(finding) ? undefined : finding;
  const savedValue = saved?.[question.key];
  if (savedValue !== undefined && isStillValid(question, savedValue, context)) {
    if (detected && !isDefault(detected.source) && question.format(detected.value) !== question.format(savedValue)) {
      notices.push(
        `${question.key}: keeping ${question.format(savedValue)} from migrating-stack.json although ${detected.source} now says ${question.format(detected.value)} (pass ${question.flag} ${question.format(detected.value)} to change it)`,
      );
    }
    return { value: savedValue, origin: 'saved' };
  }
  if (detected) {
    const refused = refusedDetection(question, detected, context);
    if (refused) return { problem: refused };
    return { value: detected.value, origin: isDefault(detected.source) ? 'default' : 'detected', source: detected.source };
  }
  if (isGap(finding)) return { problem: finding.gap.includes(question.flag) ? finding.gap : `${finding.gap}; or pass ${question.flag} ${question.valueName}` };
  return { problem: missingAnswer(question, context) };
}

function isDefault(source: string): boolean {
  return source.startsWith('default');
}

/**
 * Why a detected value is one the question itself refuses (`.nvmrc` says 16, `PORT=99999`, a URL
 * variable named PATH), naming where it was found; undefined when it is fine. A value a flag would
 * be refused for is never written, to be refused from migrating-stack.json at the next run.
 */
function refusedDetection<K extends AnswerKey>(
  question: Question<K>,
  detected: { value: Answers[K]; source: string },
  context: QuestionContext,
): string | undefined {
  try {
    question.parse(question.format(detected.value), detected.source, context);
    return undefined;
  } catch (error) {
    if (!(error instanceof UserError)) throw error;
    return `${error.message}; or pass ${question.flag} ${question.valueName}`;
  }
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

/** The settled values, one line each, with where each came from. */
function summary(facts: ProjectFacts, answers: Answers, settled: ReadonlyMap<AnswerKey, Settled>): string {
  const shown = QUESTIONS.filter((question) => settled.get(question.key)?.origin !== 'implied');
  const width = Math.max(...shown.map((question) => question.label.length));
  const lines = shown.map((question) => {
    const outcome = settled.get(question.key)!;
    const origin = outcome.origin === 'detected' ? `from ${outcome.source}` : outcome.origin === 'default' ? (outcome.source ?? 'default') : outcome.origin;
    const value = answers[question.key];
    const text = typeof value === 'boolean' ? (value ? 'yes' : 'no') : question.format(value);
    return `  ${question.label.padEnd(width)}  ${text}  (${origin})`;
  });
  return [`Detected in ${facts.root}:`, ...lines].join('\n');
}

/** "Edit": every question again, in order, each defaulting to the value shown (or, where an earlier edit changed what it depends on, to what detection now says). */
async function editAll(facts: ProjectFacts, answers: Partial<Answers>, settled: Map<AnswerKey, Settled>, prompter: Prompter): Promise<void> {
  const changed = new Set<AnswerKey>();
  for (const question of QUESTIONS) {
    const context = { facts, answers };
    if (question.implied?.(context) !== undefined || question.prompted === false) continue;
    const previous = answers[question.key];
    const stale = question.after?.some((key) => changed.has(key)) ?? false;
    const finding = stale ? question.detect(context) : undefined;
    const preset = stale ? (isGap(finding) ? undefined : finding?.value) : previous;
    const value = await ask(question, context, prompter, preset, undefined);
    if (question.format(value) !== (previous === undefined ? undefined : question.format(previous))) changed.add(question.key);
    (answers as Record<string, unknown>)[question.key] = value;
    settled.set(question.key, { value, origin: 'answered' });
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
  const hint = source === undefined || defaultValue === undefined || isDefault(source) ? '' : ` (from ${source})`;
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

function missingAnswer(question: Question, context: QuestionContext): string {
  const reason = question.undetected(context);
  const joiner = /(,| or)$/.test(reason) ? ' ' : ': ';
  return `${reason}${joiner}pass ${question.flag} ${question.valueName}`;
}
