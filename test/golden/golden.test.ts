/**
 * Every generated file of every fixture, compared byte for byte with test/golden/__golden__.
 * After a deliberate change: `npm run golden:update`, then review the diff of __golden__ in git.
 */
import { parse as parseYaml } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { composeSchemaErrors } from '../../src/render/compose-schema.js';
import { runCli } from '../support/cli.js';
import { copyFixture, fixtureNames, read, removeScratchCopies } from '../support/fixtures.js';
import { flagsFor } from '../support/golden-flags.js';


const GENERATED = ['Dockerfile', '.dockerignore', 'docker-entrypoint.sh', 'compose.yaml', '.env.example', 'migrating-stack.json'];

afterAll(removeScratchCopies);

describe.each(fixtureNames())('%s', (fixture) => {
  let dir: string;
  beforeAll(async () => {
    dir = copyFixture(fixture);
    const result = await runCli([dir, '--yes', ...flagsFor(fixture)]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
  });

  it.each(GENERATED)('%s matches its golden file', async (file) => {
    await expect(read(dir, file)).toMatchFileSnapshot(`__golden__/${fixture}/${file}`);
  });

  it('compose.yaml validates against the Compose JSON schema', () => {
    expect(composeSchemaErrors(parseYaml(read(dir, 'compose.yaml')))).toEqual([]);
  });
});

describe('the Compose schema check can fail', () => {
  it('rejects a bad depends_on condition and an unknown key', () => {
    const errors = composeSchemaErrors({
      services: { app: { image: 'x', depends_on: { migrate: { condition: 'service_finished' } }, restart_policy: 'no' } },
    });
    expect(errors.join('\n')).toMatch(/allowed values|must be equal to one of/);
    expect(errors.join('\n')).toMatch(/additional properties/);
  });
});
