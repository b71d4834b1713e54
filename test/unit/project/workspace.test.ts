/**
 * Workspaces read from their root: the members, the ones that look deployable (servers first),
 * the workspaces one app depends on, and the root found from inside a member.
 */
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Project } from '../../../src/project/project.js';
import { catalogRange, deployableApps, findMember, readWorkspaceLayout, workspaceAbove, workspaceDependencies } from '../../../src/project/workspace.js';
import { FIXTURES, removeScratchCopies, scratchProject } from '../../support/fixtures.js';

afterAll(removeScratchCopies);

const layoutOf = (dir: string) => readWorkspaceLayout(new Project(dir))!;

describe('readWorkspaceLayout', () => {
  it('reads pnpm-workspace.yaml: members, catalogs, and no linking by name', () => {
    const layout = layoutOf(path.join(FIXTURES, 'pnpm-turbo-monorepo'));
    expect(layout.declaredIn).toBe('pnpm-workspace.yaml');
    expect(layout.packages.map((pkg) => `${pkg.dir}=${pkg.name}`)).toEqual([
      'apps/api=@ws/api',
      'apps/web=@ws/web',
      'packages/db=@ws/db',
      'packages/ui=@ws/ui',
    ]);
    expect(layout.linksByName).toBe(false);
    expect(catalogRange(layout, 'pg', 'catalog:')).toBe('^8.13.1');
    expect(catalogRange(layout, 'hono', '^4.0.0')).toBe('^4.0.0');
  });

  it('reads package.json#workspaces (npm, Yarn, Bun), where a plain range of a member links it', () => {
    const layout = layoutOf(path.join(FIXTURES, 'npm-workspaces-nest-knex'));
    expect(layout.declaredIn).toBe('package.json#workspaces');
    expect(layout.linksByName).toBe(true);
    const api = findMember(layout, 'apps/api')!;
    expect(workspaceDependencies(layout, api).map((pkg) => pkg.dir)).toEqual(['packages/shared']);
  });

  it('is undefined for a project that declares no workspaces', () => {
    expect(readWorkspaceLayout(new Project(path.join(FIXTURES, 'express-knex-postgres')))).toBeUndefined();
  });

  it('never walks patterns that leave the root, and honours negated ones', () => {
    const dir = scratchProject({
      packageJson: { name: 'root', workspaces: ['../*', '/etc', 'apps/*', '!apps/legacy'] },
      files: { 'apps/api/package.json': '{"name":"api"}', 'apps/legacy/package.json': '{"name":"legacy"}' },
    });
    expect(layoutOf(dir).packages.map((pkg) => pkg.dir)).toEqual(['apps/api']);
  });
});

describe('deployableApps', () => {
  it('lists servers first, then web frameworks, then start scripts; never a mobile app or a library', () => {
    const dir = scratchProject({
      packageJson: { name: 'root', workspaces: ['apps/*', 'packages/*'] },
      files: {
        'apps/site/package.json': JSON.stringify({ name: 'site', dependencies: { next: '16.0.0' } }),
        'apps/mobile/package.json': JSON.stringify({ name: 'mobile', scripts: { start: 'expo start' }, dependencies: { express: '4.0.0' } }),
        'apps/api/package.json': JSON.stringify({ name: 'api', dependencies: { fastify: '5.0.0' } }),
        'apps/worker/package.json': JSON.stringify({ name: 'worker', scripts: { start: 'node worker.js' } }),
        'packages/db/package.json': JSON.stringify({ name: 'db', dependencies: { knex: '3.0.0' } }),
      },
    });
    expect(deployableApps(layoutOf(dir)).map((app) => `${app.dir}:${app.kind}:${app.evidence}`)).toEqual([
      'apps/api:server:fastify',
      'apps/site:framework:next',
      'apps/worker:start:scripts.start',
    ]);
  });
});

describe('workspaceDependencies', () => {
  it('follows workspace: dependencies transitively, dependencies first, without the app; pnpm ignores a plain range', () => {
    const dir = scratchProject({
      packageJson: { name: 'root' },
      files: {
        'pnpm-workspace.yaml': 'packages:\n  - apps/*\n  - packages/*\n',
        'apps/api/package.json': JSON.stringify({ name: 'api', dependencies: { db: 'workspace:*', ui: '^1.0.0' }, devDependencies: { config: 'workspace:^' } }),
        'packages/db/package.json': JSON.stringify({ name: 'db', dependencies: { core: 'workspace:*' } }),
        'packages/core/package.json': JSON.stringify({ name: 'core', dependencies: { api: 'workspace:*' } }),
        'packages/config/package.json': JSON.stringify({ name: 'config' }),
        'packages/ui/package.json': JSON.stringify({ name: 'ui', version: '1.0.0' }),
      },
    });
    const layout = layoutOf(dir);
    expect(workspaceDependencies(layout, findMember(layout, 'api')!).map((pkg) => pkg.dir)).toEqual(['packages/config', 'packages/core', 'packages/db']);
  });
});

describe('workspaceAbove', () => {
  it('finds the root a member folder belongs to', () => {
    const found = workspaceAbove(path.join(FIXTURES, 'pnpm-turbo-monorepo', 'apps', 'api'))!;
    expect(found.layout.root.root).toBe(path.join(FIXTURES, 'pnpm-turbo-monorepo'));
    expect(found.member.dir).toBe('apps/api');
  });

  it('is undefined for a folder no workspace lists, and for a project of its own', () => {
    expect(workspaceAbove(path.join(FIXTURES, 'pnpm-turbo-monorepo', 'apps'))).toBeUndefined();
    expect(workspaceAbove(path.join(FIXTURES, 'express-knex-postgres'))).toBeUndefined();
  });
});
