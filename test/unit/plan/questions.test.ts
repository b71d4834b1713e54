/**
 * The questions: what each answer takes from detection, and the one-line error naming the flag
 * when detection can't settle it.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { rejectionOf } from '../../support/errors.js';
import { removeScratchCopies } from '../../support/fixtures.js';
import { PRISMA_DEPS, PRISMA_MIGRATION, PRISMA_SCHEMA, projectWith } from '../../support/orms.js';
import { planFor, renderedFor } from '../../support/pipeline.js';

afterAll(removeScratchCopies);

describe('the migration tool', () => {
  it('two tools set up: --yes stops (bad input) listing them and naming --orm; --orm picks one', async () => {
    const dir = projectWith(
      {
        'knexfile.js': `module.exports = { client: 'pg', connection: process.env.DATABASE_URL };\n`,
        'migrations/20240101_init.js': 'exports.up = () => {}; exports.down = () => {};\n',
        'prisma/schema.prisma': PRISMA_SCHEMA,
        ...PRISMA_MIGRATION,
        'package-lock.json': JSON.stringify({ lockfileVersion: 3, packages: { '': {} } }),
        'src/server.js': `app.get('/health', () => {}); app.listen(process.env.PORT ?? 3000);\n`,
      },
      { knex: '^3', pg: '^8', ...PRISMA_DEPS },
    );
    const both = await rejectionOf(planFor(dir));
    expect(both).toMatch(/several migration tools are set up \(prisma: prisma\/schema\.prisma, knex: knexfile\.js\)/);
    expect(both).toMatch(/--orm/);
    const chosen = await renderedFor(dir, { orm: 'knex' });
    expect(chosen.plan.migration.tool).toBe('knex');
  });
});
