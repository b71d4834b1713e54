import semver from 'semver';
import type { Detected } from '../adapters/types.js';
import { UserError } from '../errors.js';
import type { Project } from '../project/project.js';

/**
 * Node release lines with long-term support, oldest first. Decisions never depend on the host's
 * Node version or on today's date, so that every machine generates the same files.
 */
export const LTS_MAJORS = [18, 20, 22, 24, 26] as const;

/** Used when the project states no version; bump deliberately (it changes generated files). */
export const DEFAULT_NODE_MAJOR = 24;

/** nvm's LTS code names (`lts/jod` in .nvmrc). */
const LTS_CODENAMES: Record<string, number> = {
  argon: 4,
  boron: 6,
  carbon: 8,
  dubnium: 10,
  erbium: 12,
  fermium: 14,
  gallium: 16,
  hydrogen: 18,
  iron: 20,
  jod: 22,
  krypton: 24,
};

export interface NodeVersionFacts {
  major?: Detected<number>;
  warnings: string[];
}

export function detectNodeMajor(project: Project): NodeVersionFacts {
  const warnings: string[] = [];
  const candidates: Detected<number>[] = [];

  for (const file of ['.nvmrc', '.node-version']) {
    const text = project.readText(file);
    if (text === undefined) continue;
    const spec =
      text
        .split('\n')
        .map((l) => l.replace(/#.*/, '').trim())
        .find(Boolean) ?? '';
    candidates.push({ value: majorFromVersionFile(spec, project.abs(file)), source: file });
  }

  const toolVersions = project.readText('.tool-versions');
  const toolLine = toolVersions?.split('\n').find((line) => /^\s*(nodejs|node)\s+/.test(line));
  if (toolLine) {
    const spec = toolLine.trim().split(/\s+/)[1] ?? '';
    candidates.push({ value: majorFromVersionFile(spec, project.abs('.tool-versions')), source: '.tool-versions' });
  }

  const volta = project.packageJson.volta?.node;
  if (volta) {
    const major = semver.coerce(volta)?.major;
    if (major === undefined) throw new UserError(`${project.abs('package.json')}: volta.node "${volta}" is not a version: fix it`);
    candidates.push({ value: major, source: 'package.json#volta.node' });
  }

  const range = project.packageJson.engines?.node;
  let engines: Detected<number> | undefined;
  if (range) {
    if (!semver.validRange(range)) {
      throw new UserError(`${project.abs('package.json')}: engines.node "${range}" is not a semver range: fix it`);
    }
    const major = majorForRange(range);
    if (major === undefined) {
      warnings.push(`package.json engines.node "${range}" matches no Node LTS line (${LTS_MAJORS.join(', ')})`);
    } else {
      engines = { value: major, source: 'package.json#engines.node' };
      candidates.push(engines);
    }
  }

  // Last resort: the project's own Dockerfile (`FROM node:22-slim`).
  if (candidates.length === 0) {
    const fromDockerfile = dockerfileNodeMajor(project, warnings);
    if (fromDockerfile) candidates.push(fromDockerfile);
  }

  const [chosen, ...others] = candidates;
  if (!chosen) return { warnings };
  for (const other of others) {
    // A range (engines.node) disagrees only when the chosen version falls outside it (checked below).
    if (other.value !== chosen.value && other !== engines) {
      warnings.push(`${chosen.source} says Node ${chosen.value} but ${other.source} says ${other.value}: using ${chosen.value}`);
    }
  }
  if (range && semver.validRange(range) && !semver.satisfies(`${chosen.value}.999.0`, range) && !semver.satisfies(`${chosen.value}.0.0`, range)) {
    warnings.push(`Node ${chosen.value} (from ${chosen.source}) does not satisfy engines.node "${range}"`);
  }
  return { major: chosen, warnings };
}

/** "22", "v22.11.0", "22.x", "lts/jod", "lts/*", "node" → a major. */
export function majorFromVersionFile(spec: string, file: string): number {
  const value = spec.trim().toLowerCase();
  if (value === 'lts/*' || value === 'lts' || value === 'node' || value === 'stable' || value === 'latest') {
    return DEFAULT_NODE_MAJOR;
  }
  if (value.startsWith('lts/')) {
    const major = LTS_CODENAMES[value.slice(4)];
    if (major === undefined) throw new UserError(`${file}: unknown LTS name "${spec}": write a version such as 22`);
    return major;
  }
  const major = semver.coerce(value)?.major;
  if (major === undefined || major < 4) throw new UserError(`${file}: "${spec}" is not a Node version: write one such as 22`);
  return major;
}

/**
 * The LTS major for an engines range: the highest satisfying LTS line that isn't newer than
 * our default (an open range such as ">=20" shouldn't jump to the newest line), else the
 * lowest satisfying line above it.
 */
export function majorForRange(range: string): number | undefined {
  const satisfying = LTS_MAJORS.filter((major) => semver.intersects(range, `^${major}.0.0`));
  const atMostDefault = satisfying.filter((major) => major <= DEFAULT_NODE_MAJOR);
  return atMostDefault.at(-1) ?? satisfying[0];
}

/** The oldest Node major the images are generated for (the answers' own lower bound). */
const OLDEST_SUPPORTED_MAJOR = LTS_MAJORS[0];

/**
 * The Node major of the project's own Dockerfile (never one this tool generated): the last
 * `FROM node:<version>` (the stage that runs the app). A major older than the oldest supported
 * is only mentioned.
 */
function dockerfileNodeMajor(project: Project, warnings: string[]): Detected<number> | undefined {
  const text = project.readText('Dockerfile');
  if (text === undefined || /^# Generated by create-migrating-stack\b/.test(text)) return undefined;
  const tags = [...text.matchAll(/^\s*FROM\s+(?:--\S+\s+)*(?:[\w.-]+(?::\d+)?\/)?(?:library\/)?node:v?(\d+)[\w.-]*/gim)].map((match) => Number(match[1]));
  const major = tags.at(-1);
  if (major === undefined) return undefined;
  if (major < OLDEST_SUPPORTED_MAJOR) {
    warnings.push(
      `Dockerfile says node:${major}, older than the oldest Node the images are built for (${OLDEST_SUPPORTED_MAJOR}): using the default ${DEFAULT_NODE_MAJOR}; pass --node to choose`,
    );
    return undefined;
  }
  return { value: major, source: 'Dockerfile (FROM node)' };
}
