/**
 * MikroORM 6 (Fastify, TypeScript): the migrate target runs `mikro-orm migration:up` with the
 * compiled dist/mikro-orm.config.js and the compiled dist/migrations, ts-node installed or not.
 */
import { expect, it } from 'vitest';
import { formatCommand } from '../../src/shared/shell.js';
import { appliedMigrations } from '../../src/verify/measure.js';
import { standardStackSuite } from './support/standard-suite.js';

standardStackSuite({
  fixture: 'fastify-mikroorm-postgres',
  tables: ['products', 'warehouses'],
  migrations: 2,
  extra: (stack) => {
    it('applied the compiled migrations, recorded by class name in mikro_orm_migrations', async () => {
      expect(await appliedMigrations(stack().compose, stack().plan)).toEqual([
        'Migration20240402093000_create_products',
        'Migration20240419141500_create_warehouses',
      ]);
      const logs = (await stack().compose.logs('migrate')).stdout;
      expect(logs).toMatch(/Successfully migrated up to the latest version/);
    });

    it('the migrate command keeps TypeScript loaders out although ts-node is installed (and without it, ts-node would load)', async () => {
      // A preloaded probe reports whether a .ts loader got registered while the CLI ran.
      const probe = "process.on('exit', () => console.log('typescript loader: ' + Boolean(require.extensions['.ts'])))";
      const [env, setting, ...cli] = stack().plan.migration.command;
      expect([env, setting]).toEqual(['env', 'MIKRO_ORM_CLI_USE_TS_NODE=false']);
      const run = (command: string[]) =>
        stack().compose.run(
          // Through the image's entrypoint, which builds DATABASE_URL from the parts compose passes.
          ['run', '--rm', '--no-deps', '-T', 'migrate', 'sh', '-c', `echo "$0" > /tmp/probe.js && exec ${formatCommand(command)}`, probe],
          { timeoutMs: 120_000 },
        );

      const generated = await run(['env', 'NODE_OPTIONS=--require=/tmp/probe.js', setting!, ...cli]);
      expect(generated.code, generated.stderr).toBe(0);
      expect(generated.stdout).toMatch(/typescript loader: false/);

      const withoutSetting = await run(['env', 'NODE_OPTIONS=--require=/tmp/probe.js', ...cli]);
      expect(withoutSetting.code, withoutSetting.stderr).toBe(0);
      expect(withoutSetting.stdout).toMatch(/typescript loader: true/);
    });
  },
});
