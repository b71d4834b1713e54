import path from 'node:path';
import type { Project } from '../../project/project.js';
import { UserError } from '../../errors.js';
import type { FrameworkAdapter, RuntimeCopy } from '../types.js';
import { frameworkPort, healthRoute, moduleBase, moduleFiles, readConfig, scriptPort, urlPath } from './shared.js';
import { normaliseRelative, stringProperty } from '../../project/config-text.js';

const CONFIG_FILES = ['next.config.js', 'next.config.mjs', 'next.config.ts', 'next.config.mts', 'next.config.cjs'];

/**
 * Next.js with `output: 'standalone'`: `next build` traces what the server needs into
 * .next/standalone (server.js + a minimal node_modules), so the runtime image copies that, the
 * static assets and public/, and installs no dependencies at all. Without standalone output the
 * image would have to ship the whole node_modules: detection stops and says what to add.
 */
export const nextjs: FrameworkAdapter = {
  id: 'nextjs',
  label: 'Next.js',
  detect(project) {
    if (!project.hasDependency('next')) return undefined;
    const config = readConfig(project, CONFIG_FILES);
    if (!config) {
      throw new UserError(
        `${project.abs('next.config.mjs')}: not found: create it with \`export default { output: 'standalone' };\` so that the image ships the traced server in .next/standalone instead of the whole node_modules`,
      );
    }
    const output = /\boutput\s*:\s*([^,}\n]*)/.exec(config.text)?.[1];
    if (!output || !/['"`]standalone['"`]/.test(output)) {
      if (output && /['"`]export['"`]/.test(output)) {
        throw new UserError(
          `${project.abs(config.file)}: output: 'export' builds static files with no Node server to run: set output: 'standalone' (or serve out/ with any static web server)`,
        );
      }
      throw new UserError(
        `${project.abs(config.file)}: output: 'standalone' is not set: add \`output: 'standalone',\` to the exported config so that the image ships the traced server in .next/standalone instead of the whole node_modules`,
      );
    }

    const distDir = normaliseRelative(stringProperty(config.text, 'distDir') ?? '.next');
    const basePath = stringProperty(config.text, 'basePath') ?? '';
    const health = healthRoute(routes(project), basePath);
    const copy: RuntimeCopy[] = [
      // The server writes its cache (images, ISR, fetch) under .next at run time.
      { from: `${distDir}/standalone`, to: '.', writable: true },
      { from: `${distDir}/static`, to: `${distDir}/static` },
      // The standalone server serves public/ but doesn't copy it; COPY fails on a missing folder.
      ...(project.isDirectory('public') ? [{ from: 'public', to: 'public' }] : []),
    ];
    const validation = buildTimeEnvValidation(project, config.text);
    return {
      evidence: 'dependency next',
      start: { value: ['node', 'server.js'], source: `${config.file} (output: 'standalone')` },
      port: frameworkPort(project, 'Next.js', 3000, scriptPort(project, 'start')),
      ...(health ? { healthPath: health } : {}),
      outputDirs: [distDir],
      runtime: { copy, needsProductionDependencies: false },
      // server.js binds to $HOSTNAME, which Docker sets to the container's id (one interface only).
      env: { HOSTNAME: '0.0.0.0' },
      buildEnv: { NEXT_TELEMETRY_DISABLED: '1', ...validation.buildEnv },
      warnings: [...prerenderedDataPages(project), ...validation.warnings],
    };
  },
  // `next start` serves a non-standalone build: from node_modules/.bin, which the image's PATH lacks.
  serverFromScript: ([program, ...args]) => (program === 'next' && args[0] === 'start' ? { argv: ['node_modules/.bin/next', ...args] } : undefined),
};

/** URL path → file of route handlers (app router) and API routes (pages router). */
function* routes(project: Project): Generator<[string, string]> {
  for (const root of ['app', 'src/app']) {
    for (const file of moduleFiles(project, root)) {
      if (moduleBase(file) !== 'route') continue;
      const segments = path.posix.dirname(file).slice(root.length).split('/').filter(Boolean);
      // Private (_x), parallel (@x) and dynamic ([x]) folders never make a fixed health URL.
      if (segments.some((segment) => /^[_@[]/.test(segment))) continue;
      // Route groups "(x)" don't appear in the URL.
      yield [urlPath(...segments.filter((segment) => !/^\(.*\)$/.test(segment))), file];
    }
  }
  for (const root of ['pages/api', 'src/pages/api']) {
    for (const file of moduleFiles(project, root)) {
      const base = moduleBase(file);
      const segments = [...path.posix.dirname(file).slice(root.length).split('/'), base === 'index' ? '' : (base ?? '')];
      if (segments.some((segment) => /^[_[]/.test(segment))) continue;
      yield [urlPath('api', ...segments), file];
    }
  }
}

/** Packages and local modules through which a page reaches the database. */
const DATABASE_CLIENT =
  /from\s+['"](?:@prisma\/client|drizzle-orm[^'"]*|knex|kysely|typeorm|@vercel\/postgres|@neondatabase\/serverless|pg|mysql2[^'"]*|[^'"]*\/(?:db|prisma|database|drizzle)(?:\/index)?(?:\.[jt]s)?)['"]/;
/** What makes Next.js render a page per request instead of at build time. */
const RENDERED_PER_REQUEST =
  /export\s+const\s+(?:dynamic\s*=\s*['"]force-dynamic['"]|revalidate\s*=\s*0\b)|\b(?:cookies|headers|noStore|unstable_noStore|connection)\s*\(/;

/**
 * App-router pages and layouts that read the database while `next build` prerenders them: there
 * is no database inside `docker build`, so the image build fails (or bakes in empty pages).
 */
function prerenderedDataPages(project: Project): string[] {
  const pages = ['app', 'src/app'].flatMap((root) =>
    moduleFiles(project, root).filter((file) => ['page', 'layout'].includes(moduleBase(file) ?? '') && !/\[/.test(file)),
  );
  const reading = pages.filter((file) => {
    const text = project.readText(file) ?? '';
    return DATABASE_CLIENT.test(text) && !RENDERED_PER_REQUEST.test(text);
  });
  if (reading.length === 0) return [];
  const listed = `${reading.slice(0, 3).join(', ')}${reading.length > 3 ? ` and ${reading.length - 3} more` : ''}`;
  return [
    `${listed} read the database and would be prerendered by next build, which has no database inside the image build: add \`export const dynamic = 'force-dynamic'\` to each (or fetch the data per request)`,
  ];
}

/**
 * An env schema next.config loads (t3-env's createEnv) validates at build time, when the image
 * build has none of the run-time variables: its own switch (CI, SKIP_ENV_VALIDATION) skips that
 * in the build stage; the server still validates when it starts.
 */
function buildTimeEnvValidation(project: Project, configText: string): { buildEnv: Record<string, string>; warnings: string[] } {
  const imported = [...configText.matchAll(/(?:import\s*(?:[^'"]*from\s*)?|import\(|require\()\s*['"](\.{1,2}\/[^'"]+)['"]/g)].map((match) => match[1]!);
  for (const specifier of imported) {
    const base = normaliseRelative(specifier.replace(/\.[cm]?[jt]s$/, ''));
    const file = project.firstExisting(['.ts', '.js', '.mjs', '.mts', '/index.ts', '/index.js'].map((ext) => `${base}${ext}`));
    const text = file ? (project.readText(file) ?? '') : '';
    if (!/\bcreateEnv\s*\(/.test(text)) continue;
    // The value may start on the next line (`skipValidation:\n    !!process.env.CI || …`, as prettier writes a long one).
    const skip = /skipValidation\s*:\s*[^,\n}]*process\.env\.(SKIP_ENV_VALIDATION|CI)\b/.exec(text)?.[1];
    if (skip) return { buildEnv: { [skip]: '1' }, warnings: [] };
    return {
      buildEnv: {},
      warnings: [
        `${file}: next.config loads an env schema that is validated during next build, where the run-time variables don't exist: add skipValidation: !!process.env.SKIP_ENV_VALIDATION to createEnv (the image build then sets it)`,
      ],
    };
  }
  return { buildEnv: {}, warnings: [] };
}
