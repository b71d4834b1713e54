import { readFileSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { expect } from 'vitest';
import { planFromSavedAnswers } from '../../../src/generate.js';
import type { Plan } from '../../../src/plan/index.js';
import { freePort } from '../../../src/verify/measure.js';
import { ComposeProject, type CommandResult, type ComposeProjectOptions, type RunOptions } from '../../../src/verify/compose.js';
import { Engine } from '../../../src/verify/engine.js';
import { withThrowawayValues } from '../../../src/verify/index.js';
import { runCli } from '../../support/cli.js';
import { copyFixture } from '../../support/fixtures.js';
import { stringify } from 'yaml';
import { withBuildSlot } from './build-slots.js';

export const engine = new Engine();

/**
 * A compose project whose first build of its images waits for a build slot (see build-slots.ts);
 * later builds (after a test changed the project) are incremental and run as they come.
 */
class SharedBuildProject extends ComposeProject {
  private built = false;

  constructor(
    options: ComposeProjectOptions,
    private readonly fixture: string,
  ) {
    super(options);
  }

  override async run(args: readonly string[], options: RunOptions = {}): Promise<CommandResult> {
    if (!this.built && args.some((arg) => arg === 'up' || arg === 'build' || arg === 'run')) {
      this.built = true;
      const build = await withBuildSlot(this.fixture, () => super.run(['--profile', '*', 'build'], { timeoutMs: 15 * 60_000 }));
      if (build.code !== 0) return build;
    }
    return super.run(args, options);
  }
}

/** A fixture copy with its generated stack, under a unique compose project name. */
export class TestStack {
  private constructor(
    readonly dir: string,
    readonly plan: Plan,
    readonly compose: ComposeProject,
    readonly appPort: number,
  ) {}

  /** Copies the fixture, runs the generator with --yes, and prepares .env from .env.example. */
  static async generate(fixture: string, flags: string[] = [], composeFiles: string[] = ['compose.yaml'], prepare?: (dir: string) => void): Promise<TestStack> {
    const dir = copyFixture(fixture);
    prepare?.(dir);
    const generated = await runCli([dir, '--yes', ...flags]);
    expect(generated.stderr).toBe('');
    expect(generated.code).toBe(0);
    const plan = await planFromSavedAnswers(dir);
    // As verify does: .env from .env.example, with throwaway values for the secrets it leaves empty.
    writeFileSync(path.join(dir, '.env'), withThrowawayValues(readFileSync(path.join(dir, '.env.example'), 'utf8'), plan).text);
    const appPort = await freePort();
    const name = `cms-e2e-${fixture}-${randomBytes(3).toString('hex')}`.slice(0, 63);
    const compose = new SharedBuildProject({ dir, name, files: composeFiles, env: { [plan.app.hostPortVariable]: String(appPort) } }, fixture);
    return new TestStack(dir, plan, compose, appPort);
  }

  /**
   * Writes a compose override file (an object, or YAML text for tags such as !reset) into the
   * project and returns a ComposeProject of the same name that uses it.
   */
  withOverride(file: string, override: Record<string, unknown> | string): ComposeProject {
    writeFileSync(path.join(this.dir, file), typeof override === 'string' ? override : stringify(override));
    return new ComposeProject({
      dir: this.dir,
      name: this.compose.name,
      files: ['compose.yaml', file],
      env: { [this.plan.app.hostPortVariable]: String(this.appPort) },
    });
  }

  url(pathname: string): string {
    return `http://127.0.0.1:${this.appPort}${pathname}`;
  }

  /** Removes every container, network, volume and built image of the project. */
  async destroy(): Promise<void> {
    const result = await this.compose.down();
    if (result.code !== 0) console.warn(`cleanup of ${this.compose.name} failed: ${result.stderr}`);
  }
}
