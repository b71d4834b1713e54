/**
 * The tools' own verdicts on every fixture's generated files: `docker compose config --quiet`
 * and shellcheck. Fast (nothing is built), but needs the lab's tools.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { planFromSavedAnswers } from '../../src/generate.js';
import { ComposeProject, runCommand } from '../../src/verify/compose.js';
import { withThrowawayValues } from '../../src/verify/index.js';
import { runCli } from '../support/cli.js';
import { copyFixture, fixtureNames, removeScratchCopies } from '../support/fixtures.js';
import { goldenCases } from '../support/golden-flags.js';

afterAll(removeScratchCopies);

describe.skipIf(!inject('dockerLab')).each(goldenCases(fixtureNames()))('$name: generated files pass the tools', async ({ fixture, flags }) => {
  // Generated while the tests are collected (no engine needed), so that each check below is
  // registered only for the setups it applies to, and every registered check asserts.
  const dir = copyFixture(fixture);
  const generated = await runCli([dir, '--yes', ...flags]);
  const composeFile = path.join(dir, 'compose.yaml');
  const compose = existsSync(composeFile) ? readFileSync(composeFile, 'utf8') : '';
  const scripts = ['docker-entrypoint.sh', 'docker-backup.sh', 'deploy-swarm.sh'].filter((file) => existsSync(path.join(dir, file)));

  it('is generated with --yes', () => {
    expect(generated.stderr).toBe('');
    expect(generated.code).toBe(0);
  });

  it('docker compose config --quiet accepts compose.yaml (with .env.example values, and throwaway ones for the secrets it leaves empty)', async () => {
    const envFile = path.join(dir, '.env.static-check');
    writeFileSync(envFile, withThrowawayValues(readFileSync(path.join(dir, '.env.example'), 'utf8'), await planFromSavedAnswers(dir)).text);
    const project = new ComposeProject({ dir, name: 'static-check', envFile });
    const result = await project.validate();
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
  });

  if (/\$\{[A-Z_]+:\?/.test(compose)) {
    it('docker compose config refuses to run without the credentials, naming them', async () => {
      const project = new ComposeProject({ dir, name: 'static-check', envFile: '/dev/null' });
      const result = await project.validate();
      expect(result.code).not.toBe(0);
      expect(result.stderr).toMatch(/required variable \w+ is missing a value: set \w+ in \.env/);
    });
  }

  it('shellcheck passes every generated shell script', async () => {
    const result = await runCommand('shellcheck', ['--shell=sh', '--severity=style', ...scripts.map((file) => path.join(dir, file))]);
    expect(result.stdout).toBe('');
    expect(result.code).toBe(0);
  });

  if (existsSync(path.join(dir, 'stack.yaml'))) {
    it('docker stack config accepts stack.yaml, with the image variables interpolated', async () => {
      const result = await runCommand('docker', ['stack', 'config', '--compose-file', 'stack.yaml'], {
        cwd: dir,
        env: { APP_IMAGE: 'app:1', MIGRATE_IMAGE: 'app:1-migrate' },
      });
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(/^ {4}image: app:1$/m);
      expect(result.stdout).toMatch(/^ {4}image: app:1-migrate$/m);
      const missing = await runCommand('docker', ['stack', 'config', '--compose-file', 'stack.yaml'], {
        cwd: dir,
        env: { APP_IMAGE: '', MIGRATE_IMAGE: '' },
      });
      expect(missing.code).not.toBe(0);
      expect(missing.stderr).toMatch(/set (APP|MIGRATE)_IMAGE to the image of the (runtime|migrate) target/);
    });
  }
});
