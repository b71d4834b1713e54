import pc from 'picocolors';
import { oneLine } from '../errors.js';
import type { GenerateResult } from '../generate.js';
import type { FileStatus } from '../write/index.js';
import { ANSWERS_FILE } from '../plan/saved-answers.js';

const STATUS_COLOR: Record<FileStatus, (text: string) => string> = {
  created: pc.green,
  identical: pc.dim,
  updated: pc.cyan,
  conflict: pc.red,
  overwritten: pc.yellow,
};

export interface ReportOptions {
  dryRun: boolean;
  check: boolean;
}

/** The lines printed after a run: warnings, one status per file, and what to do next. */
export function formatReport(result: GenerateResult, { dryRun, check }: ReportOptions): string {
  const { plan } = result;
  const lines: string[] = [];
  // One line each, whatever the project's names hold (oneLine escapes line breaks and terminal escapes).
  for (const warning of [...result.warnings, ...result.plan.warnings]) lines.push(`${pc.yellow('warning')} ${oneLine(warning)}`);
  for (const notice of result.notices) lines.push(`${pc.cyan('note')} ${oneLine(notice)}`);

  if (check) {
    const drifted = result.changes.filter((change) => change.status !== 'identical');
    if (drifted.length === 0) {
      lines.push(`${pc.green('ok')} every generated file matches ${ANSWERS_FILE}`);
    } else {
      lines.push(...result.diffs);
      lines.push(
        `${pc.red('drift')} ${drifted.map((c) => c.file.path).join(', ')} differ from what ${ANSWERS_FILE} generates: run create-migrating-stack and commit the result`,
      );
    }
    return lines.join('\n');
  }

  lines.push(
    `${pc.bold(plan.name)}: ${plan.install.label}, Node ${plan.node.major}, ${plan.migration.label} migrations on ${plan.database.label}` +
      (dryRun ? pc.dim(' (dry run: nothing written)') : ''),
  );
  const width = Math.max(...Object.keys(STATUS_COLOR).map((s) => s.length));
  for (const { file, status } of result.changes) {
    const label = !result.written && status !== 'identical' && status !== 'conflict' ? `would be ${status}` : status;
    lines.push(`  ${STATUS_COLOR[status](label.padEnd(width))}  ${file.path}`);
  }
  const conflicts = result.changes.filter((change) => change.status === 'conflict');
  if (conflicts.length > 0) {
    const theirs = conflicts.filter((change) => !change.generatedBefore).map((change) => change.file.path);
    const edited = conflicts.filter((change) => change.generatedBefore).map((change) => change.file.path);
    if (theirs.length > 0) lines.push(`${pc.red('conflict')} ${theirs.join(', ')}: yours, not written by create-migrating-stack: kept`);
    if (edited.length > 0) lines.push(`${pc.red('conflict')} ${edited.join(', ')}: changed by hand since generated: kept`);
    lines.push(
      `${pc.red('conflict')} nothing was written, because the generated files only work together: ` +
        (theirs.length > 0 ? `move yours away (e.g. git mv ${theirs[0]} ${theirs[0]}.old), ` : '') +
        (edited.length > 0 ? 'put your changes in compose.override.yaml or merge them by hand (see the diff with --check), ' : '') +
        'or pass --force to replace them',
    );
  } else if (result.written) {
    lines.push(`Next: ${pc.bold('cp .env.example .env && docker compose up --wait')}`);
  }
  return lines.join('\n');
}
