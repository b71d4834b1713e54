/**
 * The questions: what each answer takes from detection, and the one-line error naming the flag
 * when detection can't settle it.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { rejectionOf } from '../../support/errors.js';
import { removeScratchCopies, scratchProject } from '../../support/fixtures.js';
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

describe('a framework recognised but refused stops there', () => {
  it('Next.js without output: \'standalone\': only that gap, no plain-Node "no start script" after it', async () => {
    const dir = scratchProject({
      packageJson: { name: 'web', scripts: { build: 'next build', start: 'next start' }, dependencies: { next: '14.2.16', knex: '^3', pg: '^8' } },
      files: {
        'next.config.js': 'module.exports = {};\n',
        'package-lock.json': JSON.stringify({ lockfileVersion: 3, packages: { '': {} } }),
        'knexfile.js': "module.exports = { client: 'pg', connection: process.env.DATABASE_URL };\n",
        'migrations/20240101_init.js': 'exports.up = () => {}; exports.down = () => {};\n',
      },
    });
    // One line: the framework's gap alone.
    expect(await rejectionOf(planFor(dir))).toMatch(/next\.config\.js: output: 'standalone' is not set/);
  });
});

describe('a migration tool that cannot be used yet stops there: no database or URL-variable line after it', () => {
  const server = { 'src/server.js': "app.get('/health', () => {}); app.listen(process.env.PORT ?? 3000);\n" };
  const lockfile = { 'package-lock.json': JSON.stringify({ lockfileVersion: 3, packages: { '': {} } }) };

  it('Prisma without migrations (and no driver): only the command that creates the first one', async () => {
    const dir = projectWith(
      { 'prisma/schema.prisma': PRISMA_SCHEMA.replace('postgresql', 'sqlite'), ...lockfile, ...server },
      { '@prisma/client': '6.19.3', prisma: '6.19.3' },
    );
    const message = await rejectionOf(planFor(dir));
    expect(message).toMatch(/prisma\/migrations: no Prisma migrations: .*prisma migrate dev --name init/);
    expect(message).not.toMatch(/database driver|--db|--db-url-var/);
  });

  it('MikroORM committed only as a template: only the copy to make', async () => {
    const dir = projectWith(
      { 'src/mikro-orm.config.ts.example': 'export default {};\n', 'src/migrations/.keep': '', ...lockfile, ...server },
      { '@mikro-orm/core': '6.6.16', '@mikro-orm/cli': '6.6.16', '@mikro-orm/migrations': '6.6.16' },
    );
    const message = await rejectionOf(planFor(dir));
    expect(message).toMatch(/src\/mikro-orm\.config\.ts\.example: the MikroORM config is committed only as this template/);
    expect(message).not.toMatch(/database driver|--db|--db-url-var/);
  });

  it('no migration tool at all: that line alone', async () => {
    const dir = projectWith({ ...lockfile, ...server }, { express: '4.21.2' });
    const message = await rejectionOf(planFor(dir));
    expect(message).toMatch(/^no migration tool found \(supported: .*\): set one up, or pass --orm/);
  });

  it.each<{ tool: string; dependencies: Record<string, string>; missing: RegExp }>([
    {
      tool: 'TypeORM',
      dependencies: { typeorm: '0.3.28', pg: '8.16.3' },
      missing: /no DataSource \(src\/data-source\.ts\) or ormconfig\.\* that lists migrations/,
    },
    { tool: 'Sequelize', dependencies: { sequelize: '6.37.7', sqlite3: '5.1.7' }, missing: /no sequelize-cli setup/ },
    { tool: 'Kysely', dependencies: { kysely: '0.28.8', pg: '8.16.3' }, missing: /no kysely-ctl config/ },
  ])('$tool in the dependencies without migrations (a schema synced at startup): the tool and what it lacks', async ({ tool, dependencies, missing }) => {
    const dir = projectWith({ ...lockfile, ...server }, { express: '4.21.2', ...dependencies });
    const message = await rejectionOf(planFor(dir));
    expect(message).toMatch(new RegExp(`^no migrations set up: ${tool} is a dependency, but there is `));
    expect(message).toMatch(missing);
    expect(message).toMatch(/--orm-config <path>/);
    expect(message.split('\n')).toHaveLength(1);
  });
});
