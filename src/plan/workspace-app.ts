/**
 * Which app of a workspace (monorepo) the stack is for, decided before detection (detection reads
 * that app): inside a workspace's folder, that folder; at the workspace root, --app, else the
 * saved answer, else the prompt (the workspaces that look like deployable apps, servers first),
 * else the only such workspace; with several and no terminal, exit 2 naming the --app of each.
 */
import path from 'node:path';
import type { WorkspaceSelection } from '../detect/workspace.js';
import { UserError } from '../errors.js';
import { Project } from '../project/project.js';
import { deployableApps, findMember, readWorkspaceLayout, workspaceAbove, type AppCandidate, type WorkspaceLayout } from '../project/workspace.js';
import type { Prompter } from './resolve.js';

export interface AppOptions {
  /** --app, as given. */
  flag?: string | undefined;
  /** The saved answer. */
  saved?: string | null | undefined;
  /** Present when running interactively. */
  prompter?: Prompter | undefined;
}

/** The workspace and app of a run, or undefined for a project that is no workspace. */
export async function selectWorkspaceApp(dir: string, options: AppOptions = {}): Promise<WorkspaceSelection | undefined> {
  const here = path.resolve(dir);
  const layout = layoutAt(here);
  // A workspace file that matches no package (pnpm-workspace.yaml kept for pnpm's settings, `packages: ['**']`): a plain project.
  if (layout && (layout.packages.length > 0 || options.flag !== undefined)) return atRoot(here, layout, options);

  const above = workspaceAbove(here);
  if (above) {
    const root = above.layout.root.root;
    if (options.flag !== undefined && findMember(above.layout, options.flag)?.dir !== above.member.dir) {
      throw new UserError(
        `--app ${options.flag}: ${here} is the workspace ${above.member.dir} of ${root}, and the stack is for it: drop --app, or run create-migrating-stack at the root with --app`,
      );
    }
    return { root, app: above.member.dir, source: `the folder it ran in, a workspace of ${root}` };
  }
  if (options.flag !== undefined) {
    throw new UserError(
      `--app ${options.flag}: ${here} is no workspace root (package.json#workspaces, pnpm-workspace.yaml) nor one of its workspaces: drop --app`,
    );
  }
  return undefined;
}

/** The workspaces a folder declares; undefined when it declares none, or when it can't be read (detection reports that). */
function layoutAt(dir: string): WorkspaceLayout | undefined {
  let project: Project;
  try {
    project = new Project(dir);
  } catch (error) {
    if (error instanceof UserError) return undefined;
    throw error;
  }
  return readWorkspaceLayout(project);
}

async function atRoot(root: string, layout: WorkspaceLayout, { flag, saved, prompter }: AppOptions): Promise<WorkspaceSelection> {
  const listed = layout.packages.map((pkg) => pkg.dir).join(', ') || `none yet${layout.patterns.length > 0 ? ` (${layout.patterns.join(', ')})` : ''}`;
  if (flag !== undefined) {
    const member = findMember(layout, flag);
    if (!member) throw new UserError(`--app ${flag}: not a workspace of ${root} (its workspaces: ${listed}): name one by its folder or package name`);
    return { root, app: member.dir, source: '--app' };
  }
  const savedMember = saved ? findMember(layout, saved) : undefined;
  if (savedMember) return { root, app: savedMember.dir, source: 'migrating-stack.json' };

  const apps = deployableApps(layout);
  if (prompter && layout.packages.length > 0) {
    const offered: AppCandidate[] =
      apps.length > 0
        ? apps
        : layout.packages.map((pkg) => ({ dir: pkg.dir, ...(pkg.name ? { name: pkg.name } : {}), kind: 'start', evidence: 'a workspace' }));
    prompter.note(
      `${root} is a workspace root (${layout.declaredIn}): the stack is for one of its apps (saved as "app"; --app <workspace> chooses it without asking)`,
    );
    const picked = await prompter.select({
      message: 'Which app?',
      choices: offered.map((candidate) => ({ value: candidate.dir, name: `${candidate.dir}  (${describe(candidate)})` })),
      default: offered[0]!.dir,
    });
    return { root, app: picked, source: 'the prompt' };
  }
  if (apps.length === 1) return { root, app: apps[0]!.dir, source: `the only workspace that looks deployable (${describe(apps[0]!)})` };
  if (apps.length === 0) {
    throw new UserError(
      `${path.join(root, 'package.json')}: a workspace root; its workspaces: ${listed}: none looks like a deployable app (a server or web framework dependency, or a start script): pass --app <workspace>, or run create-migrating-stack in the app's folder`,
    );
  }
  throw new UserError([
    `${path.join(root, 'package.json')}: a workspace root with ${apps.length} apps: choose the one to build with --app (or run create-migrating-stack in its folder):`,
    ...apps.map((candidate) => `  --app ${candidate.dir}    ${describe(candidate)}`),
  ]);
}

/** "@acme/api: a server (express)". */
function describe(candidate: AppCandidate): string {
  const what =
    candidate.kind === 'server' ? `a server (${candidate.evidence})` : candidate.kind === 'framework' ? `a web app (${candidate.evidence})` : 'a start script';
  return candidate.name ? `${candidate.name}: ${what}` : what;
}
