/**
 * What every migration tool's detection says beyond its own configuration: the project's own
 * migrate script (preferred over the default command), an app that migrates itself at start, and
 * migrations run by the build script (the image build has no database).
 */
import { withoutComments } from '../../project/config-text.js';
import type { Project } from '../../project/project.js';
import { projectSources } from '../../project/source-scan.js';
import { formatCommand } from '../../shared/shell.js';
import type { DetectionContext, OrmDetection } from '../types.js';
import { migrateInvocation, scriptCommand, toolInvocations, type ToolInvocation } from './scripts.js';

/** Where sources that are not the app live: tests, migrations, seeds, scripts of the tool itself. */
const NOT_THE_APP = /(^|\/)(tests?|__tests__|e2e|spec|migrations?|seeds?|seeders|scripts|bin)\/|\.(test|spec)\.[cm]?[jt]sx?$/;

export interface SelfMigration {
  /** Code that applies migrations from the app's process. */
  pattern: RegExp;
  /** What it is, for the message ("knex.migrate.latest()"). */
  what: string;
}

/**
 * One warning per place the app applies migrations itself (`knex.migrate.latest()` in its
 * startup): every replica would migrate, outside the stack's lock, and before the migrate service.
 */
export function selfMigrationWarnings(project: Project, patterns: readonly SelfMigration[], skip: readonly string[] = []): string[] {
  const warnings: string[] = [];
  for (const file of projectSources(project)) {
    if (skip.includes(file) || NOT_THE_APP.test(file)) continue;
    const text = withoutComments(project.readText(file) ?? '');
    for (const { pattern, what } of patterns) {
      if (!new RegExp(pattern.source, pattern.flags.replace('g', '')).test(text)) continue;
      // The line in the file as written (comments removed above may span lines).
      const lines = (project.readText(file) ?? '').split('\n');
      const index = lines.findIndex((candidate) => !/^\s*(\/\/|\*|\/\*)/.test(candidate) && new RegExp(pattern.source).test(candidate));
      const line = index === -1 ? 1 : index + 1;
      warnings.push(
        `${file}:${line}: the app applies migrations itself (${what}): every replica would migrate at start, outside the stack's lock; remove it (the migrate service runs them before the app starts)`,
      );
    }
  }
  return warnings;
}

/**
 * A warning when the build script runs the tool's migrations (`"build": "prisma migrate deploy &&
 * next build"`): the image build has no database to migrate.
 */
export function buildScriptWarnings(project: Project, cliNames: readonly string[], isMigrate: (args: readonly string[]) => boolean): string[] {
  const invocation = toolInvocations(project, cliNames).find((found) => found.script === 'build' && isMigrate(found.args));
  if (!invocation) return [];
  return [
    `package.json: scripts.build runs migrations ("${invocation.text}"), but the image build has no database: remove them from the build (the migrate service applies them before the app starts)`,
  ];
}

export interface MigrateScript {
  /** The tool's CLI names (as in package.json scripts). */
  cliNames: readonly string[];
  /** The binary in node_modules/.bin the image runs. */
  binary: string;
  /** Whether arguments apply pending migrations (`migrate:latest`, `migration:run`, …). */
  isMigrate: (args: readonly string[]) => boolean;
  /** The script's arguments as the image passes them (e.g. the configuration made explicit). */
  args?: (invocation: ToolInvocation) => string[];
  /** Settings the tool needs in the image (`env MIKRO_ORM_CLI_USE_TS_NODE=false`), before the command. */
  env?: string[];
}

/** The project's own migrate script for this tool, if it has one. */
export function projectMigrateScript(project: Project, script: Pick<MigrateScript, 'cliNames' | 'isMigrate'>): ToolInvocation | undefined {
  return migrateInvocation(
    toolInvocations(project, script.cliNames).filter((invocation) => invocation.script !== 'build' && !/^(pre|post)/.test(invocation.script)),
    script.isMigrate,
  );
}

/**
 * The detection with the project's own migrate script as its command, when it has one (said in a
 * note), and the warnings every tool shares.
 */
export function withProjectScript(project: Project, detection: OrmDetection, script: MigrateScript): OrmDetection {
  const invocation = projectMigrateScript(project, script);
  const warnings = [...(detection.warnings ?? []), ...buildScriptWarnings(project, script.cliNames, script.isMigrate)];
  if (!invocation) return { ...detection, warnings };
  const command = scriptCommand(project, invocation, script.binary, script.args?.(invocation) ?? invocation.args);
  const { notes } = command;
  const env = script.env ?? [];
  const argv = env.length === 0 ? command.argv : command.argv[0] === 'env' ? ['env', ...env, ...command.argv.slice(1)] : ['env', ...env, ...command.argv];
  return {
    ...detection,
    migrateCommand: argv,
    warnings,
    notes: [...(detection.notes ?? []), `migrate runs the project's own scripts.${invocation.script}: ${formatCommand(argv)}`, ...notes],
  };
}

/** Whether detection was told to use this file (--orm-config). */
export function isNamed(context: DetectionContext, file: string): boolean {
  return context.ormConfig === file;
}
