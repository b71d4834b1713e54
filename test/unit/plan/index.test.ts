/**
 * The plan's decisions that are not the migration's: how the runtime image gets its production
 * dependencies.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderFiles } from '../../../src/render/index.js';
import { FIXTURES } from '../../support/fixtures.js';
import { planFor } from '../../support/pipeline.js';

describe('production dependencies', () => {
  it('come from pruning the full install when native modules would compile twice (npm)', async () => {
    const plan = await planFor(path.join(FIXTURES, 'express-drizzle-sqlite'));
    expect(plan.system.nativeModules).toEqual(['better-sqlite3']);
    expect(plan.install.pruneToProduction).toBe('npm prune --omit=dev');
    const dockerfile = renderFiles(plan).find((file) => file.path === 'Dockerfile')!.content;
    expect(dockerfile).toMatch(/^FROM deps AS prod-deps\nRUN npm prune --omit=dev$/m);
    // The runtime still starts from base: no compiler reaches it.
    expect(dockerfile).toMatch(/^FROM base AS runtime$/m);
  });

  it('come from a production-only install otherwise', async () => {
    const plan = await planFor(path.join(FIXTURES, 'express-knex-postgres'));
    expect(plan.install.pruneToProduction).toBeUndefined();
    const dockerfile = renderFiles(plan).find((file) => file.path === 'Dockerfile')!.content;
    expect(dockerfile).toMatch(/^FROM base AS prod-deps$/m);
    expect(dockerfile).toContain('npm ci --omit=dev');
  });
});
