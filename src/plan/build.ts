/**
 * The plan's decisions about the image's own files and build: which Dockerfile (and ignore file)
 * it writes beside a project's own, whether the build stage compiles a project that has no build
 * script, and which folders the app (and the migration tool) must be able to write.
 */
import path from 'node:path';
import type { ProjectFacts } from '../detect/index.js';
import type { Answers } from './answers.js';

/** The Dockerfile written when the project has none of its own. */
export const DEFAULT_DOCKERFILE = 'Dockerfile';
/** The Dockerfile written beside a project's own. */
export const SIDE_DOCKERFILE = 'Dockerfile.migrating-stack';

/** The generated Dockerfile and the ignore file BuildKit reads for its build context. */
export interface DockerFiles {
  file: string;
  /**
   * `.dockerignore`, or `<Dockerfile>.dockerignore` (which BuildKit reads instead of .dockerignore
   * for that Dockerfile) when the project's own .dockerignore or Dockerfile must stay as it is.
   */
  ignoreFile: string;
}

export function dockerFiles(facts: ProjectFacts, answers: Answers): DockerFiles {
  const file = answers.dockerfile;
  const beside = `${file}.dockerignore`;
  // Once written, the Dockerfile's own ignore file stays in use (a stale one would still win). In
  // a workspace's folder, the build context is the workspace root, whose .dockerignore is not this one.
  const inWorkspaceFolder = facts.workspace !== undefined && facts.workspace.output !== '';
  const ignoreFile =
    file === DEFAULT_DOCKERFILE && !inWorkspaceFolder && !facts.ownFiles.dockerignore && !facts.ownFiles.recorded.includes(beside) ? '.dockerignore' : beside;
  return { file, ignoreFile };
}

/** What the user should know about files of theirs that were left alone. */
export function dockerFileNotes(facts: ProjectFacts, docker: DockerFiles): string[] {
  const notes: string[] = [];
  if (docker.file !== DEFAULT_DOCKERFILE && facts.ownFiles.dockerfile) {
    notes.push(
      `Dockerfile is your own (create-migrating-stack never wrote it) and stays as it is: the generated one is ${docker.file}, with ${docker.ignoreFile}, and compose.yaml builds from it (by hand: docker build -f ${docker.file} .)`,
    );
  } else if (docker.ignoreFile !== '.dockerignore' && facts.ownFiles.dockerignore) {
    notes.push(
      `.dockerignore is your own and stays as it is: the build of ${docker.file} reads ${docker.ignoreFile} instead (BuildKit prefers <Dockerfile>.dockerignore)`,
    );
  }
  return notes;
}

/**
 * The compiler the build stage runs for a project without a build script, when something the
 * image runs (the app's command, the migration command) lies in the TypeScript output folder.
 */
export function compileStep(facts: ProjectFacts, commands: readonly (readonly string[])[]): { command: string; warning: string } | undefined {
  const typescript = facts.typescript;
  if (facts.buildScript || !typescript?.compile) return undefined;
  if (!commands.some((argv) => argv.some((word) => inOutput(word, typescript.outDir)))) return undefined;
  const command = typescript.compile.value;
  const script = command.replace(/^node_modules\/\.bin\//, '');
  return {
    command,
    warning: `package.json has no "build" script: the image compiles the project with its own ${script.split(' ')[0]} (${command}); add "build": "${script}" to package.json so that builds everywhere do the same`,
  };
}

/** A command word (or an option's `=value`) that names a path in the output folder. */
export function outputPathIn(argv: readonly string[], outDir: string): string | undefined {
  return argv.map((word) => word.replace(/^--?[\w-]+=/, '')).find((word) => inOutput(word, outDir));
}

function inOutput(word: string, outDir: string): boolean {
  const value = path.posix.normalize(word.replace(/^--?[\w-]+=/, '').replace(/\\/g, '/'));
  return value === outDir || value.startsWith(`${outDir}/`);
}

/** The folders the app (runtime) and the migration tool (migrate) write into, and a note on them. */
export function writableFolders(facts: ProjectFacts): { runtime: string[]; migrate: string[]; notes: string[] } {
  const found = facts.writableDirectories;
  if (found.length === 0) return { runtime: [], migrate: [], notes: [] };
  const listed = found.map((dir) => `${dir.path}/ (${dir.why}, ${dir.source})`).join(', ');
  return {
    runtime: found.map((dir) => dir.path),
    migrate: found.filter((dir) => dir.migrate).map((dir) => dir.path),
    notes: [
      `the app writes into ${listed}: the image creates ${found.length === 1 ? 'it' : 'them'} owned by the app's user (node); what is written there is lost when the container is replaced, so mount a volume there in compose.override.yaml for files you keep (uploads)`,
    ],
  };
}
