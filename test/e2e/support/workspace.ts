/**
 * Checks of a workspace app's stack (monorepo fixtures, generated at the root with --app): where
 * migrations ran, and that changing another workspace leaves the install layer cached. BuildKit's
 * plain progress output says, per step, whether it ran or came from the cache (`#N CACHED`).
 */
import { randomBytes } from 'node:crypto';
import { appendFileSync } from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { runCommand } from '../../../src/verify/compose.js';
import type { TestStack } from './stack.js';

export interface WorkspaceChecks {
  /** The folder the migrate target runs in (/app/packages/db). */
  migrationsFolder: string;
  /** Files of workspaces the app doesn't depend on, changed to prove the install layer stays cached. */
  unrelated: string[];
  /** A source file of the app itself (its change rebuilds the app, not the install). */
  appSource: string;
  /** The filtered install command, as in the Dockerfile's RUN line (to find its step in the output). */
  install: RegExp;
}

/** The steps of a `--progress=plain` build: name, and whether each came from the cache. */
export function buildSteps(output: string): { step: string; cached: boolean }[] {
  const names = new Map<string, string>();
  const cached = new Set<string>();
  for (const line of output.split('\n')) {
    const named = /^#(\d+) (\[.*)$/.exec(line);
    if (named) names.set(named[1]!, named[2]!);
    const hit = /^#(\d+) CACHED$/.exec(line);
    if (hit) cached.add(hit[1]!);
  }
  return [...names].map(([id, step]) => ({ step, cached: cached.has(id) }));
}

/**
 * A line never written before: BuildKit's cache is content-addressed and outlives a test run, so a
 * change a previous run made too would find its layers cached.
 */
export const change = (comment = '//') => `\n${comment} changed by the test ${randomBytes(8).toString('hex')}\n`;

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

export function workspaceStackChecks(stack: () => TestStack, checks: WorkspaceChecks): void {
  it(`migrate ran in ${checks.migrationsFolder}, the app in its own folder`, async () => {
    const [migrate, app] = await Promise.all(
      ['migrate', 'app'].map(async (service) => {
        const images = await stack().compose.run(['images', '--quiet', service]);
        const id = images.stdout.trim().split('\n')[0]!;
        return (await runCommand('docker', ['image', 'inspect', '--format', '{{.Config.WorkingDir}}', id])).stdout.trim();
      }),
    );
    expect(migrate).toBe(checks.migrationsFolder);
    expect(app).toBe(`/app/${stack().plan.workspace!.app}`);
  });

  it('a change in a workspace the app does not depend on rebuilds nothing: the install layer is reused', async () => {
    for (const file of checks.unrelated) appendFileSync(path.join(stack().dir, file), change());
    const build = await stack().compose.run(['--profile', '*', 'build', '--progress', 'plain'], { timeoutMs: 10 * 60_000 });
    expect(build.code, build.stderr).toBe(0);
    const steps = buildSteps(`${build.stdout}\n${build.stderr}`);
    const installs = steps.filter(({ step }) => checks.install.test(step));
    expect(installs.length).toBeGreaterThan(0);
    expect(installs.every(({ cached }) => cached)).toBe(true);
    // The build context doesn't even hold the changed files: every step is cached.
    expect(steps.filter(({ step, cached }) => /^\[.*\] (RUN|COPY)/.test(step) && !cached)).toEqual([]);
    console.log(`unrelated workspace changed: rebuild took ${seconds(build.durationMs)}, ${installs.length} install step(s) CACHED`);
  });

  it("a change in the app's own source rebuilds the app on top of the cached install layer", async () => {
    const file = path.join(stack().dir, checks.appSource);
    appendFileSync(file, change());
    const build = await stack().compose.run(['--profile', '*', 'build', '--progress', 'plain'], { timeoutMs: 10 * 60_000 });
    expect(build.code, build.stderr).toBe(0);
    const steps = buildSteps(`${build.stdout}\n${build.stderr}`);
    expect(steps.filter(({ step }) => checks.install.test(step)).every(({ cached }) => cached)).toBe(true);
    expect(steps.some(({ step, cached }) => /COPY \. \./.test(step) && !cached)).toBe(true);
    console.log(`app source changed: rebuild took ${seconds(build.durationMs)} (install CACHED, build stage re-run)`);
  });
}
