/**
 * The command line: parses flags and hands over to generate() / verify(). No decisions here.
 */
import path from 'node:path';
import { Command, CommanderError, Option } from 'commander';
import { ExitCode, UserError } from '../errors.js';
import { answerFlags } from '../plan/answer-flags.js';
import { ANSWERS_FILE, type AnswerKey } from '../plan/answers.js';
import { toolVersion } from '../shared/package-info.js';
import { COMMAND_ENV, installPlugin, PLUGIN_NAME, pluginsDir, uninstallPlugin } from './plugin.js';
import type { JsonCommand } from './json.js';

// What a command runs is loaded when it runs: --help, --version and flag errors load only this
// module, commander and the flags' list (the bundle's cli.js), not detection or the engine client.
const generateModules = () => Promise.all([import('../generate.js'), import('./json.js'), import('./report.js'), import('./prompter.js')]);

export interface CliIO {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Whether stdin is a terminal a person can answer prompts on. */
  interactive: boolean;
}

const defaultIO: CliIO = {
  stdout: (text) => process.stdout.write(`${text}\n`),
  stderr: (text) => process.stderr.write(`${text}\n`),
  interactive: Boolean(process.stdin.isTTY),
};

const VERSION = toolVersion();

interface GenerateFlags {
  yes?: boolean;
  dryRun?: boolean;
  force?: boolean;
  check?: boolean;
  json?: boolean;
  [answer: string]: unknown;
}

function buildProgram(io: CliIO, setExitCode: (code: number) => void): Command {
  // `docker migratingstack` when run as the Docker CLI plugin (its shim sets the name).
  const program = new Command(process.env[COMMAND_ENV] || 'create-migrating-stack')
    .description('Generate a Docker setup for a Node.js project in which database migrations run exactly once, before the app.')
    .version(VERSION)
    .argument('[dir]', 'the project directory', '.')
    .option('-y, --yes', 'take every detected or saved value without prompting (also when stdin is not a terminal)')
    .option('--dry-run', 'show what would be written, with statuses; write nothing')
    .option('--force', 'overwrite generated files that were edited by hand')
    .option('--check', `write nothing; exit 1 with a diff when a file differs from what ${ANSWERS_FILE} generates`)
    .option('--json', 'print one JSON document (statuses, diffs, warnings, exit code) instead of the report, for CI')
    .configureOutput({ writeOut: (text) => io.stdout(text.trimEnd()), writeErr: (text) => io.stderr(text.trimEnd()) })
    .exitOverride();

  const flagsOfAnswers = answerFlags();
  for (const question of flagsOfAnswers) {
    if (question.valueName === '') {
      program.addOption(new Option(question.flag, question.description));
      program.addOption(new Option(question.flag.replace(/^--/, '--no-')).hideHelp());
    } else {
      program.addOption(new Option(`${question.flag} ${question.valueName}`, question.description));
    }
  }

  program.action(async (dir: string, flags: GenerateFlags) => {
    const answers: Partial<Record<AnswerKey, string>> = {};
    for (const question of flagsOfAnswers) {
      const value = flags[optionKey(question.flag)];
      if (typeof value === 'string' || typeof value === 'boolean') answers[question.key] = String(value);
    }
    if (flags.check && (flags.dryRun || flags.force)) throw new UserError('--check writes nothing by itself: drop --dry-run/--force');
    const [{ generate }, { generateJson, stringify }, { formatReport }, { terminalPrompter }] = await generateModules();
    const interactive = io.interactive && !flags.yes && !flags.check;
    const result = await generate({
      dir,
      flags: answers,
      prompter: interactive ? terminalPrompter() : undefined,
      dryRun: Boolean(flags.dryRun),
      force: Boolean(flags.force),
      check: Boolean(flags.check),
    });
    const command = flags.check ? 'check' : flags.dryRun ? 'dry-run' : 'generate';
    io.stdout(
      flags.json ? stringify(generateJson(result, command, VERSION)) : formatReport(result, { dryRun: Boolean(flags.dryRun), check: Boolean(flags.check) }),
    );
    setExitCode(result.exitCode);
  });

  program
    .command('verify')
    .description('build and run the generated stack (with compose.override.yaml when there is one) on the Docker engine, check its guarantees, then remove it')
    .argument('[dir]', 'the project directory', '.')
    .option('--keep', 'leave the stack running afterwards')
    .option('--json', 'print one JSON document (each guarantee with ok and detail) on stdout; progress goes to stderr')
    .action(async (dir: string, flags: { keep?: boolean; json?: boolean }) => {
      // Loaded only here: the engine client is the heaviest part of the tool.
      const [{ verify }, { stringify, verifyJson }] = await Promise.all([import('../verify/index.js'), import('./json.js')]);
      const result = await verify({ dir, keep: Boolean(flags.keep), log: flags.json ? io.stderr : io.stdout });
      const failed = result.checks.filter((check) => !check.ok);
      if (flags.json) {
        const code = failed.length === 0 ? ExitCode.ok : ExitCode.verifyFailed;
        io.stdout(stringify(verifyJson(result, code, VERSION, path.resolve(dir))));
        setExitCode(code);
        return;
      }
      io.stdout(failed.length === 0 ? `verified: ${result.checks.length} checks passed` : `verify failed: ${failed.map((c) => c.guarantee).join('; ')}`);
      setExitCode(failed.length === 0 ? ExitCode.ok : ExitCode.verifyFailed);
    });

  const plugin = program.command('plugin').description(`the tool as a Docker CLI plugin: docker ${PLUGIN_NAME} [dir], docker ${PLUGIN_NAME} verify [dir]`);
  plugin
    .command('install')
    .description(`write docker-${PLUGIN_NAME} and a copy of this version into ${pluginsDir()} ($DOCKER_CONFIG/cli-plugins)`)
    .action(() => {
      const { shim } = installPlugin();
      io.stdout(`installed ${shim} (create-migrating-stack ${VERSION}): try docker ${PLUGIN_NAME} --help`);
    });
  plugin
    .command('uninstall')
    .description(`remove docker-${PLUGIN_NAME} and its copy of the tool from ${pluginsDir()}`)
    .action(() => {
      const removed = uninstallPlugin();
      io.stdout(removed.length > 0 ? `removed ${removed.join(', ')}` : `docker-${PLUGIN_NAME} is not installed in ${pluginsDir()}`);
    });
  return program;
}

/** "--health-path" → "healthPath", as commander names options. */
function optionKey(flag: string): string {
  return flag.replace(/^--/, '').replace(/-([a-z])/g, (_, letter: string) => letter.toUpperCase());
}

/** Runs the CLI and returns the exit code (documented in the README). */
export async function run(argv: readonly string[] = process.argv.slice(2), io: CliIO = defaultIO): Promise<number> {
  let exitCode: number = ExitCode.ok;
  const program = buildProgram(io, (code) => {
    exitCode = code;
  });
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return exitCode;
  } catch (error) {
    const code = exitCodeOf(error, io);
    // --help and --version print what they print, whatever else is asked.
    if (argv.includes('--json') && code !== ExitCode.ok) {
      const command: JsonCommand = argv[0] === 'verify' ? 'verify' : argv.includes('--check') ? 'check' : argv.includes('--dry-run') ? 'dry-run' : 'generate';
      const message = error instanceof Error ? error.message : String(error);
      const { errorJson, stringify } = await import('./json.js');
      io.stdout(stringify(errorJson(command, VERSION, code, message.split('\n'))));
    }
    return code;
  }
}

/** Reports an error on stderr and returns the exit code it means. */
function exitCodeOf(error: unknown, io: CliIO): number {
  if (error instanceof CommanderError) {
    // --help and --version end here too, successfully.
    return error.exitCode === 0 ? ExitCode.ok : ExitCode.badInput;
  }
  if (error instanceof UserError) {
    // One line per problem: detection reports every gap of a run at once.
    for (const line of error.message.split('\n')) io.stderr(`create-migrating-stack: ${line}`);
    return error.exitCode;
  }
  if (error instanceof Error && error.name === 'ExitPromptError') {
    io.stderr('create-migrating-stack: interrupted; nothing was written');
    return ExitCode.interrupted;
  }
  io.stderr(`create-migrating-stack: internal error: ${(error as Error).stack ?? String(error)}`);
  return ExitCode.internal;
}
