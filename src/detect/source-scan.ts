/**
 * Reads (never runs) the project's sources for facts that only the code shows: the port it
 * listens on, its health route, the environment variables it reads.
 */
import type { Detected } from '../adapters/types.js';
import type { Project } from './project.js';

const SOURCE_DIRS = ['.', 'src', 'app', 'server', 'lib', 'api', 'apps'];
const SOURCE_EXTENSIONS = ['.ts', '.mts', '.cts', '.js', '.mjs', '.cjs'];

const PORT_PATTERNS = [
  // process.env.PORT || 3000, Number(process.env.PORT) ?? 8080, parseInt(process.env.PORT ?? '3000')
  /process\.env\.PORT\)?\s*(?:\|\||\?\?)\s*['"]?(\d{2,5})\b/,
  /process\.env\[['"]PORT['"]\]\)?\s*(?:\|\||\?\?)\s*['"]?(\d{2,5})\b/,
  // const PORT = 3000 / port: 3000 / .listen(3000)
  /\bPORT\s*=\s*(\d{2,5})\b/,
  /\.listen\(\s*(\d{2,5})\b/,
  /\bport\s*:\s*(\d{2,5})\b/,
];

/** Routes conventionally used for health checks, most preferred first. */
export const HEALTH_PATHS = ['/health', '/healthz', '/api/health', '/healthcheck', '/api/healthz', '/livez', '/readyz', '/ping', '/status'];
const HEALTH_PATTERN = /['"`](\/(?:api\/)?(?:health|healthz|healthcheck|livez|readyz|ping|status))['"`]/g;

export function projectSources(project: Project): string[] {
  return project.sourceFiles(SOURCE_DIRS, SOURCE_EXTENSIONS);
}

export function scanPort(project: Project, files: readonly string[]): Detected<number> | undefined {
  const envExample = project.readText('.env.example');
  const fromEnv = envExample && /^\s*PORT\s*=\s*['"]?(\d{2,5})['"]?\s*$/m.exec(envExample);
  if (fromEnv) return { value: Number(fromEnv[1]), source: '.env.example' };
  for (const pattern of PORT_PATTERNS) {
    for (const file of files) {
      const match = pattern.exec(project.readText(file) ?? '');
      const port = Number(match?.[1]);
      if (match && port > 0 && port < 65536) return { value: port, source: file };
    }
  }
  return undefined;
}

export function scanHealthPath(project: Project, files: readonly string[]): Detected<string> | undefined {
  const found = new Map<string, string>();
  for (const file of files) {
    for (const match of (project.readText(file) ?? '').matchAll(HEALTH_PATTERN)) {
      if (!found.has(match[1]!)) found.set(match[1]!, file);
    }
  }
  const best = HEALTH_PATHS.find((candidate) => found.has(candidate));
  return best ? { value: best, source: found.get(best)! } : undefined;
}

/** Names of `process.env.X` the sources read, sorted. */
export function scanEnvironmentVariables(project: Project, files: readonly string[]): string[] {
  const names = new Set<string>();
  for (const file of files) {
    const text = project.readText(file) ?? '';
    for (const match of text.matchAll(/process\.env\.([A-Z_][A-Z0-9_]*)/g)) names.add(match[1]!);
    for (const match of text.matchAll(/process\.env\[['"]([A-Z_][A-Z0-9_]*)['"]\]/g)) names.add(match[1]!);
  }
  return [...names].sort();
}
