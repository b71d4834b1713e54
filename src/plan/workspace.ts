/**
 * The plan of one app of a workspace (monorepo). The build context is the workspace root; the
 * image holds the app's part of the workspace only (the app, the workspaces it depends on, the
 * root's files): /app is the root, the app runs in /app/<app>, migrations run in the folder of the
 * package that sets the tool up (/app/packages/db). The install layer reads the root's install
 * files and the manifests of that part only, so a change anywhere else leaves it cached.
 *
 * buildPlan plans the app as if it were a project of its own; this turns that plan into the
 * workspace's: paths relative to the root, commands run in their package's folder, binaries found
 * on a PATH that holds the package's node_modules/.bin and the root's (where npm, Yarn and Bun
 * hoist them).
 */
import path from 'node:path';
import type { FrameworkDetection, PackageManagerDocker, RuntimeCopy } from '../adapters/types.js';
import type { OrmFacts, ProjectFacts } from '../detect/index.js';
import type { WorkspaceFacts } from '../detect/workspace.js';
import { dockerignoreMatches } from '../project/ignore-files.js';
import { UserError } from '../errors.js';
import type { Plan, WorkspacePlan } from './types.js';

/** Where the prune stage writes turbo prune's output. */
const PRUNE_OUTPUT = '/prune';

/** Install hooks that only set up a developer's git checkout (as in plan/index.ts). */
const GIT_HOOK_INSTALLERS = /\b(husky|simple-git-hooks|lefthook|pre-commit|yorkie|git config|is-ci)\b/;

export interface WorkspaceInputs {
  docker: PackageManagerDocker;
  tool: OrmFacts;
  framed: FrameworkDetection;
  /** The compiler the build stage runs for an app without a build script. */
  compile?: { command: string } | undefined;
}

export function workspacePlan(plan: Plan, facts: ProjectFacts, workspace: WorkspaceFacts, { docker, tool, framed, compile }: WorkspaceInputs): Plan {
  const app = workspace.app;
  const migrations = tool.workspacePackage?.dir ?? app;
  const prefix = workspace.output === '' ? '' : `${workspace.output}/`;
  const context = workspace.output === '' ? '.' : path.posix.relative(workspace.output, '.');
  const inApp = (entry: string) => (entry === '.' ? app : `${app}/${entry}`);
  const inTool = (entry: string) => (entry === '.' ? migrations : `${migrations}/${entry}`);
  const packages = [...workspace.members.map((member) => member.dir), app];
  const binaries = (dir: string) => `/app/${dir}/node_modules/.bin`;

  if (plan.runtime.migrationBundle) {
    throw new UserError(
      `--strategy entrypoint: in a workspace, the app's image migrates only when the migration tool (${tool.cliPackage}) and the lock's driver are production dependencies of ${migrations}; make them so, or pass --strategy compose`,
    );
  }
  if (plan.ci && workspace.output !== '') {
    throw new UserError(
      `--ci ${plan.answers.ci}: a pipeline lives at the repository's root: run create-migrating-stack at the workspace root (${workspace.root}) with --app ${app}, or pass --ci none`,
    );
  }

  // Install hooks: the root's and every package's are left out of the installs (as for a single
  // project); the packages' own postinstall/prepare that do real work run in the build, in their folder.
  const hooked = [
    ...(Object.keys(workspace.rootInstallHooks).length > 0 ? [{ dir: '.', hooks: workspace.rootInstallHooks }] : []),
    ...workspace.members.map((member) => ({ dir: member.dir, hooks: member.installHooks })),
    { dir: app, hooks: facts.installHooks },
  ].filter(({ hooks }) => Object.keys(hooks).length > 0);
  const removal = hooked.map(({ dir, hooks }) => {
    const command = `npm pkg delete ${Object.keys(hooks)
      .map((name) => `scripts.${name}`)
      .join(' ')}`;
    return dir === '.' ? command : `cd /app/${dir} && ${command} && cd /app`;
  });
  const inFolder = (dir: string, command: string) => `cd /app/${dir} && ${command}`;
  const hooksInBuild = (dir: string, hooks: Record<string, string>) =>
    ['postinstall', 'prepare']
      .filter((name) => name in hooks && !GIT_HOOK_INSTALLERS.test(hooks[name]!))
      .map((name) => inFolder(dir, `${docker.runScript} ${name}`));

  // Plain words only (render/safety.ts checks them): the folder by cd and back, its binaries first on PATH for the one command.
  const toolCommands = (tool.installCommands ?? []).map(
    (command) => `cd /app/${migrations} && PATH=${binaries(migrations)}:$PATH ${onPath(command)} && cd /app`,
  );
  const nodeModules = ['node_modules', ...packages.map((dir) => `${dir}/node_modules`)];
  const buildCommands = [
    // The workspaces the app depends on, dependencies first, then the app.
    ...workspace.members.flatMap((member) => [
      ...hooksInBuild(member.dir, member.installHooks),
      ...(member.build ? [inFolder(member.dir, `${docker.runScript} build`)] : []),
    ]),
    ...hooksInBuild(app, facts.installHooks),
    ...(facts.buildScript ? [inFolder(app, `${docker.runScript} ${facts.buildScript.value}`)] : []),
    ...(compile ? [inFolder(app, onPath(compile.command))] : []),
    `cd /app && rm -rf ${nodeModules.join(' ')}`,
  ];

  // What the runtime image copies: the app's part of the workspace (its dependencies' sources are
  // where its node_modules links point), or the framework's self-contained output, in the app's folder.
  const copies: Required<RuntimeCopy>[] = framed.runtime
    ? [
        ...framed.runtime.copy.map((copy) => ({
          stage: copy.stage ?? 'build',
          from: inApp(copy.from),
          // Next.js traces a workspace app from the workspace root: its standalone tree mirrors the root.
          to: plan.framework.id === 'nextjs' && copy.from === '.next/standalone' ? '.' : inApp(copy.to),
          writable: copy.writable ?? false,
        })),
        ...(tool.runtimeCopies ?? []).map((copy) => ({ stage: copy.stage ?? 'build', from: copy.from, to: copy.to, writable: copy.writable ?? false })),
      ]
    : plan.runtime.copies;

  const needed = [
    ...plan.install.files,
    ...plan.install.directories,
    inTool(tool.configFile),
    inTool(tool.migrationsDir),
    `${prefix}docker-entrypoint.sh`,
    ...(plan.migration.runner ? [`${prefix}${plan.migration.runner.file}`] : []),
  ];
  const patterns = facts.ignoreFiles.flatMap((file) => file.patterns);
  const runnerSource = plan.migration.runner && prefix !== `${migrations}/` ? `${prefix}${plan.migration.runner.file}` : undefined;
  const containerCommand = plan.migration.containerCommand.map(onPath);
  // Turborepo (pnpm): its prune output holds the manifests, the workspace file and the pruned lockfile.
  const prune =
    workspace.turboVersion && workspace.appName && plan.install.manager === 'pnpm'
      ? {
          version: workspace.turboVersion,
          command: `turbo prune ${workspace.appName} --docker --out-dir ${PRUNE_OUTPUT}`,
          output: PRUNE_OUTPUT,
          provides: ['package.json', 'pnpm-lock.yaml', 'pnpm-workspace.yaml', ...packages.map((dir) => `${dir}/package.json`)],
        }
      : undefined;

  const workspacePlan: WorkspacePlan = {
    app,
    migrations,
    prefix,
    context,
    dockerfile: `${prefix}${plan.docker.file}`,
    packages,
    contextPatterns: [
      ...workspace.patterns.filter((pattern) => !pattern.startsWith('!')).map((pattern) => pattern.replace(/\/+$/, '')),
      ...packages.map((dir) => `!${dir}`),
    ],
    ...(runnerSource ? { runnerSource } : {}),
    // The app's binaries, then the root's (where npm, Yarn and Bun hoist them): for every stage.
    path: `${binaries(app)}:/app/node_modules/.bin:$PATH`,
    ...(migrations !== app ? { migratePath: `${binaries(migrations)}:$PATH` } : {}),
    turbo: workspace.turbo,
    ...(prune ? { prune } : {}),
  };

  return {
    ...plan,
    install: {
      ...plan.install,
      projectHooks: [...new Set(hooked.flatMap(({ hooks }) => Object.keys(hooks)))],
      installAll: [...removal, docker.installAll, ...toolCommands].join(' \\\n && '),
      installProd: [...removal, docker.installProd].join(' \\\n && '),
    },
    buildCommands,
    buildSecrets: plan.buildSecrets.map((secret) => ({ ...secret, file: context === '.' ? secret.file : `${context}/${secret.file}` })),
    runtime: { ...plan.runtime, copies },
    ignoredOutputs: [...framed.outputDirs.map(inApp), ...(docker.contextIgnores ?? [])],
    contextIgnore: { fromProject: facts.ignoreFiles, exceptions: [...new Set(needed)].filter((entry) => dockerignoreMatches(patterns, entry)) },
    app: { ...plan.app, command: plan.app.command.map(onPath) },
    migration: {
      ...plan.migration,
      command: plan.migration.command.map(onPath),
      containerCommand,
      ...(plan.migration.onStart ? { onStart: { directory: `/app/${migrations}`, command: containerCommand } } : {}),
    },
    notes: [
      ...plan.notes,
      `${app} is one workspace of ${workspace.root}: the image is built from the root (the build context) with ${[...workspace.members.map((member) => member.dir), 'the root files'].join(', ')}; migrations run in ${migrations}`,
    ],
    workspace: workspacePlan,
  };
}

/** A binary of node_modules/.bin, found on the PATH the image sets (its package's, else the root's). */
function onPath(word: string): string {
  return word.replace(/(^|\s)node_modules\/\.bin\//g, '$1');
}
