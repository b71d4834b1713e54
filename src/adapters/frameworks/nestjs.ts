import type { Project } from '../../project/project.js';
import { projectSources, scanPort } from '../../project/source-scan.js';
import { isGap, settle } from '../../project/detected.js';
import { resolveNamedScript, resolveStartCommand, type ScriptReading } from '../../project/scripts.js';
import { UserError } from '../../errors.js';
import type { Detected, FrameworkAdapter } from '../types.js';
import { healthRoute, moduleFiles, urlPath } from './shared.js';
import { withoutComments } from '../../project/config-text.js';
import { typescriptOutDir } from '../../project/typescript.js';

interface NestCliConfig {
  sourceRoot?: string;
  entryFile?: string;
}

/**
 * NestJS: compiled by `nest build` into dist/ and run as `node dist/main` (the scaffold's
 * `start:prod`); `nest start` compiles on every start and is never the container's command.
 */
export const nestjs: FrameworkAdapter = {
  id: 'nestjs',
  label: 'NestJS',
  detect(project, { scripts }) {
    if (!project.hasDependency('@nestjs/core')) return undefined;
    const cli = nestCliConfig(project);
    const outDir = typescriptOutDir(project) ?? 'dist';
    const start = settle(() => startCommand(project, scripts, cli, outDir));
    const sources = projectSources(project);
    const health = controllerHealthRoute(project, cli.sourceRoot ?? 'src', sources);
    return {
      evidence: 'dependency @nestjs/core',
      start: isGap(start) ? start : { value: start.argv, source: start.source },
      // `app.listen(process.env.PORT ?? 3000)` in main.ts, like any Node server.
      port: scanPort(project, sources) ?? { value: 3000, source: 'NestJS default' },
      ...(health ? { healthPath: health } : {}),
      outputDirs: [outDir],
      warnings: isGap(start) ? [] : start.warnings,
    };
  },
  // `nest start` compiles on every start: the container runs the compiled entry instead.
  serverFromScript: ([program, ...args]) =>
    program === 'nest' && args[0] === 'start'
      ? { argv: ['node', 'dist/main'], warning: 'runs nest start, which compiles before serving: the container runs the compiled dist/main instead' }
      : undefined,
};

function nestCliConfig(project: Project): NestCliConfig {
  const config = project.readJson<NestCliConfig>('nest-cli.json');
  if (config !== undefined && (typeof config !== 'object' || config === null || Array.isArray(config))) {
    throw new UserError(`${project.abs('nest-cli.json')}: expected a JSON object: fix the file`);
  }
  return config ?? {};
}

/** `start:prod`, else a `start` that already runs node, else nest-cli.json's entry in the output. */
function startCommand(project: Project, scripts: ScriptReading, cli: NestCliConfig, outDir: string): { argv: string[]; source: string; warnings: string[] } {
  const packageScripts = project.packageJson.scripts ?? {};
  if (packageScripts['start:prod'] !== undefined) return resolveNamedScript(project, 'start:prod', scripts);
  if (packageScripts.start !== undefined && !/^\s*nest\s+start\b/.test(packageScripts.start)) {
    const start = resolveStartCommand(project, scripts);
    if (start?.argv[0] === 'node') return start;
  }
  return { argv: ['node', `${outDir}/${cli.entryFile ?? 'main'}`], source: project.exists('nest-cli.json') ? 'nest-cli.json' : 'NestJS default', warnings: [] };
}

const CONTROLLER = /@Controller\(\s*(?:(['"`])([^'"`]*)\1|\{[^}]*?\bpath\s*:\s*(['"`])([^'"`]*)\3[^}]*\})?[^)]*\)/g;
const GET = /@Get\(\s*(?:(['"`])([^'"`]*)\1)?\s*\)/g;

/**
 * Health routes of the controllers: `@Controller('health')` + `@Get()`, or `@Controller()` +
 * `@Get('health')`, behind `app.setGlobalPrefix('api')` when main.ts sets one.
 */
function controllerHealthRoute(project: Project, sourceRoot: string, sources: readonly string[]): Detected<string> | undefined {
  const files = moduleFiles(project, sourceRoot);
  const globalPrefix =
    sources
      .map((file) => /\.setGlobalPrefix\(\s*['"`]([^'"`]*)['"`]/.exec(withoutComments(project.readText(file) ?? ''))?.[1])
      .find((prefix) => prefix !== undefined) ?? '';
  const routes: [string, string][] = [];
  for (const file of files) {
    const text = withoutComments(project.readText(file) ?? '');
    const controllers = [...text.matchAll(CONTROLLER)];
    controllers.forEach((controller, index) => {
      const end = controllers[index + 1]?.index ?? text.length;
      const body = text.slice(controller.index, end);
      for (const get of body.matchAll(GET)) {
        routes.push([urlPath(controller[2] ?? controller[4] ?? '', get[2] ?? ''), file]);
      }
    });
  }
  return healthRoute(routes, globalPrefix);
}
