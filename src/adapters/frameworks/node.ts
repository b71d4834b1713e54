import { parse as parseJsonc, printParseErrorCode, type ParseError } from 'jsonc-parser';
import { isGap, settle } from '../../project/detected.js';
import { resolveStartCommand } from '../../project/scripts.js';
import type { Project } from '../../project/project.js';
import { UserError } from '../../errors.js';
import type { FrameworkAdapter } from '../types.js';

/**
 * Plain Node servers (Express, Fastify, Koa, Hono on node, …): `npm start` resolved to `node …`,
 * compiled by the project's own build script when it has one. The fallback when no other
 * framework matches.
 */
export const plainNode: FrameworkAdapter = {
  id: 'node',
  label: 'Node.js server',
  detect(project, { scripts }) {
    const start = settle(() => resolveStartCommand(project, scripts));
    const outDir = typescriptOutDir(project);
    if (isGap(start)) return { evidence: 'package.json', start, outputDirs: outDir ? [outDir] : [] };
    return {
      evidence: 'package.json',
      ...(start ? { start: { value: start.argv, source: start.source } } : {}),
      outputDirs: outDir ? [outDir] : [],
      warnings: start?.warnings ?? [],
    };
  },
};

/** compilerOptions.outDir of tsconfig.json (JSON with comments), normalised ("./dist/" → "dist"). */
export function typescriptOutDir(project: Project): string | undefined {
  const text = project.readText('tsconfig.json');
  if (text === undefined) return undefined;
  const errors: ParseError[] = [];
  const config = parseJsonc(text, errors, { allowTrailingComma: true }) as { compilerOptions?: { outDir?: string } } | undefined;
  const error = errors[0];
  if (error) {
    throw new UserError(`${project.abs('tsconfig.json')}: invalid JSON (${printParseErrorCode(error.error)} at offset ${error.offset}): fix the syntax`);
  }
  const outDir = config?.compilerOptions?.outDir;
  return outDir ? outDir.replace(/^\.\//, '').replace(/\/+$/, '') : undefined;
}
