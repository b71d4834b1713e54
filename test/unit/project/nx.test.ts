import { afterAll, describe, expect, it } from 'vitest';
import { detectionContext } from '../../../src/detect/index.js';
import { Project } from '../../../src/project/project.js';
import { resolveStartCommand } from '../../../src/project/scripts.js';
import { userErrorOf } from '../../support/errors.js';
import { removeScratchCopies, scratchProject } from '../../support/fixtures.js';

const { scripts } = detectionContext();
const NX_DEV = { devDependencies: { nx: '17.2.6', '@nx/esbuild': '17.2.6' } };

/** An Nx app: package.json with `start`, and project.json files (path → content). */
function nxProject(start: string, projects: Record<string, object>, extra: Record<string, unknown> = {}): Project {
  const files = Object.fromEntries(Object.entries(projects).map(([file, config]) => [file, JSON.stringify(config)]));
  return new Project(scratchProject({ packageJson: { name: 'ws', scripts: { start, build: 'nx build' }, ...NX_DEV, ...extra }, files }));
}

const serve = (buildTarget: string, executor = '@nx/js:node') => ({ executor, defaultConfiguration: 'development', options: { buildTarget } });
const build = (executor: string, outputPath: string, main: string) => ({ executor, options: { outputPath, main, tsConfig: 'tsconfig.app.json' } });

afterAll(removeScratchCopies);

describe('nx serve → node on the build target output', () => {
  it.each([
    ['@nx/esbuild:esbuild', 'dist/api', 'src/main.ts', 'dist/api/main.js'],
    ['@nx/webpack:webpack', 'dist/api', 'src/main.ts', 'dist/api/main.js'],
    ['@nrwl/webpack:webpack', 'dist/server', 'src/server.ts', 'dist/server/server.js'],
    ['@nx/js:tsc', 'dist/api', 'src/main.ts', 'dist/api/src/main.js'],
    ['@nx/js:swc', 'dist/api', 'src/main.ts', 'dist/api/src/main.js'],
  ])('a standalone app built with %s (%s, main %s) runs %s', (executor, outputPath, main, entry) => {
    const project = nxProject('nx serve', {
      'project.json': { name: 'api', targets: { build: build(executor, outputPath, main), serve: serve('api:build') } },
    });
    const found = resolveStartCommand(project, scripts)!;
    expect(found.argv).toEqual(['node', entry]);
    expect(found.warnings.join('\n')).toMatch(/nx serve, a development server through nx .*node .*from project\.json/);
  });

  it.each(['nx serve api', 'nx run api:serve', 'nx run api:serve:production', 'nx serve api --configuration=production'])(
    '%s in an integrated workspace reads apps/api/project.json (paths from the workspace root)',
    (start) => {
      const project = nxProject(start, {
        'apps/api/project.json': {
          name: 'api',
          targets: { build: build('@nx/esbuild:esbuild', 'dist/apps/api', 'apps/api/src/main.ts'), serve: serve('api:build:production') },
        },
        'apps/web/project.json': { name: 'web', targets: {} },
      });
      expect(resolveStartCommand(project, scripts)!.argv).toEqual(['node', 'dist/apps/api/main.js']);
    },
  );

  it('a serve target that is no node server (a dev server of a front end): exit 2 naming project.json and --start', () => {
    const project = nxProject('nx serve', {
      'project.json': { name: 'web', targets: { serve: { executor: '@nx/vite:dev-server', options: { buildTarget: 'web:build' } } } },
    });
    expect(userErrorOf(() => resolveStartCommand(project, scripts))).toMatch(
      /project\.json: target "serve" \(executor @nx\/vite:dev-server\) doesn't run a build's output with node: pass --start/,
    );
  });

  it('a build executor whose output file is unknown: exit 2 naming it', () => {
    const project = nxProject('nx serve', {
      'project.json': { name: 'api', targets: { build: build('@acme/nx-bundler:build', 'dist/api', 'src/main.ts'), serve: serve('api:build') } },
    });
    expect(userErrorOf(() => resolveStartCommand(project, scripts))).toMatch(
      /the build target api:build uses @acme\/nx-bundler:build, whose output file isn't known here: pass --start/,
    );
  });

  it('no project.json for the project named: exit 2', () => {
    const project = nxProject('nx serve api', {});
    expect(userErrorOf(() => resolveStartCommand(project, scripts))).toMatch(/runs nx serve api, but no project\.json of that project was found: pass --start/);
  });

  it('no build script: the image could not build what it runs, so exit 2 with the script to add', () => {
    const project = new Project(
      scratchProject({
        packageJson: { name: 'ws', scripts: { start: 'nx serve' }, ...NX_DEV },
        files: {
          'project.json': JSON.stringify({
            name: 'api',
            targets: { build: build('@nx/esbuild:esbuild', 'dist/api', 'src/main.ts'), serve: serve('api:build') },
          }),
        },
      }),
    );
    expect(userErrorOf(() => resolveStartCommand(project, scripts))).toMatch(/add "build": "nx build" to the scripts/);
  });
});

describe('a devDependency as the server command', () => {
  it('is refused: the runtime image installs production dependencies only', () => {
    const project = new Project(scratchProject({ packageJson: { name: 'x', scripts: { start: 'serve -s build' }, devDependencies: { serve: '14.2.4' } } }));
    expect(userErrorOf(() => resolveStartCommand(project, scripts))).toMatch(
      /scripts\.start runs serve, a devDependency, which the runtime image doesn't install: pass --start "node <the server's entry file>", or move serve to dependencies/,
    );
  });

  it("a production dependency's binary runs as it is", () => {
    const project = new Project(
      scratchProject({
        packageJson: { name: 'x', scripts: { start: 'fastify start -l info app.js' }, dependencies: { fastify: '5.6.2' }, devDependencies: { tap: '21.0.0' } },
      }),
    );
    expect(resolveStartCommand(project, scripts)!.argv).toEqual(['fastify', 'start', '-l', 'info', 'app.js']);
  });
});
