/**
 * Every generated file of every fixture, compared byte for byte with test/golden/__golden__.
 * After a deliberate change: `npm run golden:update`, then review the diff of __golden__ in git.
 */
import { parse as parseYaml } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { composeSchemaErrors } from '../../src/render/compose-schema.js';
import { runCli } from '../support/cli.js';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { ANSWERS_FILE } from '../../src/plan/saved-answers.js';
import { copyFixture, fixtureNames, listFiles, read, removeScratchCopies } from '../support/fixtures.js';
import { goldenCases } from '../support/golden-flags.js';

afterAll(removeScratchCopies);

const GOLDEN = path.join(import.meta.dirname, '__golden__');

describe.each(goldenCases(fixtureNames()))('$name', ({ name, fixture, flags }) => {
  let dir: string;
  let generated: string[];
  beforeAll(async () => {
    dir = copyFixture(fixture);
    const result = await runCli([dir, '--yes', ...flags]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    generated = [ANSWERS_FILE, ...Object.keys(JSON.parse(read(dir, ANSWERS_FILE)).files)].sort();
  });

  it('every generated file matches its golden file', async () => {
    for (const file of generated) await expect(read(dir, file)).toMatchFileSnapshot(`__golden__/${name}/${file}`);
  });

  it('no golden file is left over from files no longer generated', () => {
    const golden = existsSync(path.join(GOLDEN, name)) ? listFiles(path.join(GOLDEN, name)) : generated;
    expect(golden).toEqual(generated);
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
