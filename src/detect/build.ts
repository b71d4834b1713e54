/**
 * How the image gets the project's compiled output: the build script, or — for a TypeScript
 * project without one — its own compiler run directly (`tsc -p tsconfig.json`, `nest build`).
 */
import type { Detected } from '../adapters/types.js';
import type { Project } from '../project/project.js';
import { compileCommand, typescriptOutput } from '../project/typescript.js';

export interface TypescriptBuildFacts {
  /** The tsconfig the build compiles with. */
  tsconfig: string;
  /** Its outDir: a command that runs a file in it needs a build first. */
  outDir: string;
  /** The compiler the build stage runs when package.json has no "build" script. */
  compile?: Detected<string>;
}

/** The TypeScript build's output folder and, without a build script, the command that makes it. */
export function detectTypescriptBuild(project: Project): TypescriptBuildFacts | undefined {
  const output = typescriptOutput(project);
  if (output?.outDir === undefined) return undefined;
  const compile = compileCommand(project);
  return {
    tsconfig: output.tsconfig,
    outDir: output.outDir,
    ...(compile ? { compile: { value: compile, source: `${output.tsconfig} (package.json has no "build" script)` } } : {}),
  };
}
