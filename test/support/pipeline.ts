/**
 * The pipeline without the CLI and without writing: detect → resolve answers → plan → render, for
 * unit tests that assert on the plan or on the generated files. Answers are settled as with --yes:
 * flags, else detection (the projects have no saved answers).
 */
import { detectProject } from '../../src/detect/index.js';
import type { AnswerKey } from '../../src/plan/answers.js';
import { buildPlan, type Plan } from '../../src/plan/index.js';
import { resolveAnswers } from '../../src/plan/resolve.js';
import { renderFiles } from '../../src/render/index.js';

/** Answer flags as the CLI passes them on: `--db mariadb --swarm` → { database: 'mariadb', swarm: 'true' }. */
export type AnswerFlags = Partial<Record<AnswerKey, string>>;

/** The plan `create-migrating-stack <dir> --yes` makes with these answer flags. */
export async function planFor(dir: string, flags: AnswerFlags = {}): Promise<Plan> {
  const facts = detectProject(dir);
  const { answers } = await resolveAnswers(facts, { flags });
  return buildPlan(facts, answers);
}

export interface Rendered {
  plan: Plan;
  /** The generated files' paths, in the order render returns them. */
  paths: string[];
  /** A generated file's content; throws for a file that is not generated. */
  file: (path: string) => string;
}

/** The plan and the files that `create-migrating-stack <dir> --yes` would write, without writing them. */
export async function renderedFor(dir: string, flags: AnswerFlags = {}): Promise<Rendered> {
  const plan = await planFor(dir, flags);
  const files = new Map(renderFiles(plan).map((file) => [file.path, file.content]));
  return {
    plan,
    paths: [...files.keys()],
    file: (path) => {
      const content = files.get(path);
      if (content === undefined) throw new Error(`${path}: not generated (only ${[...files.keys()].join(', ')})`);
      return content;
    },
  };
}
