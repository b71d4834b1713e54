import { describe, expect, it, afterAll } from 'vitest';
import { envTemplates, looksSecret } from '../../../src/project/env-files.js';
import { Project } from '../../../src/project/project.js';
import { BLOCK_END, BLOCK_START } from '../../../src/shared/managed-block.js';
import { removeScratchCopies, scratchProject } from '../../support/fixtures.js';

afterAll(removeScratchCopies);

describe('env templates', () => {
  it('finds them under the names real projects use, .env.example first, and never reads .env', () => {
    const dir = scratchProject({
      packageJson: { name: 'x' },
      files: {
        '.env': 'REAL_SECRET=do-not-read\n',
        '.env.sample': 'A=1\n',
        'env-example-relational': 'B=2\n',
        '.env.example': 'C=3\n',
        'config/dev/.env.example': 'D=4\n',
        'config/deep/er/still/.env.example': 'E=5\n',
        'src/.env.example': 'F=6\n',
      },
    });
    expect(envTemplates(new Project(dir))).toEqual([
      { file: '.env.example', entries: { C: '3' } },
      { file: '.env.sample', entries: { A: '1' } },
      { file: 'config/dev/.env.example', entries: { D: '4' } },
      { file: 'env-example-relational', entries: { B: '2' } },
    ]);
  });

  it("leaves out the block create-migrating-stack wrote into .env.example (the stack's variables, not the project's)", () => {
    const dir = scratchProject({
      packageJson: { name: 'x' },
      files: { '.env.example': `MINE=1\n\n${BLOCK_START}\nAPP_PORT=3000\nPOSTGRES_USER=app\n${BLOCK_END}\n` },
    });
    expect(envTemplates(new Project(dir))).toEqual([{ file: '.env.example', entries: { MINE: '1' } }]);
  });

  it.each([
    ['JWT_SECRET', true],
    ['STRIPE_API_KEY', true],
    ['AUTH_TOKEN', true],
    ['DB_PASSWORD', true],
    ['SENTRY_DSN', true],
    ['LOG_LEVEL', false],
    ['KEYCLOAK_REALM', false],
    ['API_PREFIX', false],
    ['AUTH_JWT_TOKEN_EXPIRES_IN', false],
    ['SESSION_SECRET_LENGTH', false],
  ])('%s looks like a secret: %s', (name, secret) => {
    expect(looksSecret(name)).toBe(secret);
  });
});
