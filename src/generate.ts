/**
 * The whole pipeline: detect → resolve answers → plan → render → write.
 */
import path from 'node:path';
import { detectProject } from './detect/index.js';
import { ExitCode, UserError, type ExitCodeValue } from './errors.js';
import type { AnswerKey } from './plan/answers.js';
import { buildPlan, type Plan } from './plan/index.js';
import { resolveAnswers, type Prompter } from './plan/resolve.js';
import { selectWorkspaceApp } from './plan/workspace-app.js';
import { ANSWERS_FILE, assertSavable, loadSavedAnswers, serializeSavedAnswers } from './plan/saved-answers.js';
import { renderFiles } from './render/index.js';
import { checksumsAfter, commitWrites, compareWithDisk, unifiedDiff, type FileChange } from './write/index.js';

export interface GenerateOptions {
  dir: string;
  /** Raw answer flags (--port 3000 → { port: '3000' }). */
  flags: Partial<Record<AnswerKey, string>>;
  /** Present when the user is at a terminal and didn't pass --yes. */
  prompter?: Prompter | undefined;
  dryRun?: boolean;
  force?: boolean;
  check?: boolean;
}

export interface GenerateResult {
  exitCode: ExitCodeValue;
  root: string;
  plan: Plan;
  changes: FileChange[];
  /** Unified diffs of the files that differ (--check). */
  diffs: string[];
  warnings: string[];
  notices: string[];
  /** Whether the files were written (not a dry run, and no conflict held them back). */
  written: boolean;
}

/**
 * The plan of an already generated project, from its saved answers alone (no prompts): what
 * `verify` and the tests read to know the stack's services, database and migration tool.
 */
export async function planFromSavedAnswers(dir: string): Promise<Plan> {
  const root = path.resolve(dir);
  const saved = loadSavedAnswers(root);
  if (!saved) throw new UserError(`${path.join(root, ANSWERS_FILE)}: not found: run create-migrating-stack in ${root} first`);
  const workspace = await selectWorkspaceApp(root, { saved: saved.answers.app });
  const facts = detectProject(root, { ormConfig: saved.answers.ormConfig, ormConfigOrigin: ANSWERS_FILE, workspace });
  const { answers } = await resolveAnswers(facts, { flags: {}, saved: saved.answers });
  return buildPlan(facts, answers);
}

export async function generate(options: GenerateOptions): Promise<GenerateResult> {
  const root = path.resolve(options.dir);
  const saved = loadSavedAnswers(root);
  if (options.check) {
    if (!saved)
      throw new UserError(
        `${path.join(root, ANSWERS_FILE)}: not found, so there is nothing to check against: run create-migrating-stack once and commit what it writes`,
      );
    const flagged = Object.keys(options.flags);
    if (flagged.length > 0) throw new UserError(`--check compares the files with the saved answers: drop the answer flags (${flagged.join(', ')})`);
  }

  // Detection reads the migration tool's configuration where the user says it is.
  const flagged = options.flags.ormConfig;
  const ormConfig = flagged !== undefined ? (['', 'default'].includes(flagged.trim()) ? null : flagged) : saved?.answers.ormConfig;
  // In a workspace (monorepo), which app: detection reads that one.
  const workspace = await selectWorkspaceApp(root, {
    flag: options.flags.app,
    saved: saved?.answers.app,
    prompter: options.check ? undefined : options.prompter,
  });
  const facts = detectProject(root, { ormConfig, ormConfigOrigin: flagged !== undefined ? '--orm-config' : ANSWERS_FILE, workspace });
  const { answers, notices, warnings } = await resolveAnswers(facts, {
    flags: options.flags,
    saved: saved?.answers,
    prompter: options.check ? undefined : options.prompter,
  });
  const plan = buildPlan(facts, answers);
  // Nothing is written that the next run would refuse to read back.
  assertSavable(root, plan.answers);
  const recorded = saved?.files ?? {};
  const files = renderFiles(plan);
  const changes = compareWithDisk(root, files, { recorded, force: options.force ?? false });
  const answersFile = { path: ANSWERS_FILE, content: serializeSavedAnswers(plan.answers, checksumsAfter(changes, recorded)) };
  changes.push(...compareWithDisk(root, [answersFile], { recorded, force: false, alwaysOurs: new Set([ANSWERS_FILE]) }));

  const result = { root, plan, changes, diffs: [] as string[], warnings: [...facts.warnings, ...warnings], notices: [...notices, ...plan.notes] };
  if (options.check) {
    const drifted = changes.filter((change) => change.status !== 'identical');
    return { ...result, written: false, diffs: drifted.map(unifiedDiff), exitCode: drifted.length > 0 ? ExitCode.driftOrConflict : ExitCode.ok };
  }
  // The files only work together (compose.yaml builds the Dockerfile's targets, which copy the
  // scripts): with one of them kept, writing the others would leave a stack that can't build.
  const conflicts = changes.some((change) => change.status === 'conflict');
  if (!options.dryRun && !conflicts) commitWrites(root, changes);
  return { ...result, written: !options.dryRun && !conflicts, exitCode: conflicts ? ExitCode.driftOrConflict : ExitCode.ok };
}
