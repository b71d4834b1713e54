import { isGap, settle } from '../../project/detected.js';
import { resolveStartCommand } from '../../project/scripts.js';
import type { FrameworkAdapter } from '../types.js';
import { typescriptOutDir } from '../../project/typescript.js';

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
