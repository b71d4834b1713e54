/**
 * What compose.yaml and stack.yaml both give the app: the variables its code reads, without a
 * value, which .env.example documents.
 */
import { parse as parseYaml } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { removeScratchCopies } from '../../support/fixtures.js';
import { renderedFor } from '../../support/pipeline.js';
import { projectReadingVariables } from '../../support/variants.js';

afterAll(removeScratchCopies);

describe('variables the app reads', () => {
  it('are passed to the app without a value (from .env when set), and documented in .env.example', async () => {
    const { file } = await renderedFor(projectReadingVariables());
    const compose = parseYaml(file('compose.yaml'));
    expect(compose.services.app.environment).toEqual({
      // The URL's parts: the entrypoint builds DATABASE_URL from them, percent-encoded.
      POSTGRES_USER: '${POSTGRES_USER}',
      POSTGRES_PASSWORD: '${POSTGRES_PASSWORD}',
      POSTGRES_DB: '${POSTGRES_DB}',
      JWT_SECRET: null,
      SENTRY_DSN: null,
      STRIPE_KEY: null,
    });
    expect(file('compose.yaml')).toMatch(/^ {6}JWT_SECRET:$/m);
    const example = file('.env.example');
    expect(example).toMatch(/^# JWT_SECRET=$/m); // commented out: unset unless the user sets it
    expect(example.match(/STRIPE_KEY/g)).toHaveLength(1); // already documented by the project
    expect(example).not.toMatch(/NEXT_PUBLIC_BANNER|CI_ONLY_IN_TESTS|MIGRATE_LOCK/);
  });

  it('are passed in the Swarm stack too, from the deploying shell', async () => {
    const { file } = await renderedFor(projectReadingVariables(), { swarm: 'true' });
    expect(parseYaml(file('stack.yaml')).services.app.environment).toEqual({
      DATABASE_URL_FILE: '/run/secrets/database_url',
      JWT_SECRET: null,
      SENTRY_DSN: null,
      STRIPE_KEY: null,
    });
  });
});
