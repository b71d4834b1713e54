import { run } from '../../src/cli/main.js';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI in-process, as from a non-interactive shell, capturing its output. */
export async function runCli(args: string[], { interactive = false } = {}): Promise<CliRun> {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const code = await run(args, {
    stdout: (text) => stdout.push(text),
    stderr: (text) => stderr.push(text),
    interactive,
  });
  // Colours off for assertions (picocolors also honours NO_COLOR).
  const plain = (lines: string[]) => lines.join('\n').replace(/\x1b\[[0-9;]*m/g, '');
  return { code, stdout: plain(stdout), stderr: plain(stderr) };
}
