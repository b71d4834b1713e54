/**
 * --json: one JSON document on stdout for CI annotations, instead of the report (its shape is
 * documented in the README, "Machine-readable output"). Progress goes to stderr.
 */
import type { GenerateResult } from '../generate.js';
import type { VerifyResult } from '../verify/index.js';
import { unifiedDiff, type FileStatus } from '../write/index.js';

/** Bumped when a field changes meaning or goes away (new fields don't bump it). */
export const JSON_REPORT_VERSION = 1;

export type JsonCommand = 'generate' | 'dry-run' | 'check' | 'verify';

export interface JsonFile {
  path: string;
  status: FileStatus;
  /** Whether this run wrote it. */
  written: boolean;
  /** conflict: never written by create-migrating-stack (yours), or edited since it was. */
  owner?: 'yours' | 'edited';
  /** Unified diff from the file on disk to the generated one, when they differ. */
  diff?: string;
}

export interface JsonCheck {
  guarantee: string;
  ok: boolean;
  detail: string;
  explanation?: string[];
}

export interface JsonReport {
  reportVersion: number;
  tool: { name: 'create-migrating-stack'; version: string };
  command: JsonCommand;
  ok: boolean;
  exitCode: number;
  /** Absolute path of the project. */
  project?: string;
  files?: JsonFile[];
  checks?: JsonCheck[];
  warnings: string[];
  notices: string[];
  /** Why the run stopped (exit 2, 70, 130): one entry per problem. */
  errors?: string[];
}

function base(command: JsonCommand, version: string, exitCode: number): JsonReport {
  return {
    reportVersion: JSON_REPORT_VERSION,
    tool: { name: 'create-migrating-stack', version },
    command,
    ok: exitCode === 0,
    exitCode,
    warnings: [],
    notices: [],
  };
}

export function generateJson(result: GenerateResult, command: Exclude<JsonCommand, 'verify'>, version: string): JsonReport {
  const files = result.changes.map((change): JsonFile => {
    const written = result.written && change.status !== 'identical' && change.status !== 'conflict';
    return {
      path: change.file.path,
      status: change.status,
      written,
      ...(change.status === 'conflict' ? { owner: change.generatedBefore ? 'edited' : 'yours' } : {}),
      ...(change.status !== 'identical' && change.status !== 'created' ? { diff: unifiedDiff(change) } : {}),
    };
  });
  return {
    ...base(command, version, result.exitCode),
    project: result.root,
    files,
    warnings: [...result.warnings, ...result.plan.warnings],
    notices: result.notices,
  };
}

export function verifyJson(result: VerifyResult, exitCode: number, version: string, root: string): JsonReport {
  return {
    ...base('verify', version, exitCode),
    project: root,
    checks: result.checks.map(({ guarantee, ok, detail, explanation }) => ({ guarantee, ok, detail, ...(explanation ? { explanation } : {}) })),
  };
}

export function errorJson(command: JsonCommand, version: string, exitCode: number, errors: string[]): JsonReport {
  return { ...base(command, version, exitCode), errors };
}

export function stringify(report: JsonReport): string {
  return JSON.stringify(report, null, 2);
}
