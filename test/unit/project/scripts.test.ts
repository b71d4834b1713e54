import { afterAll, describe, expect, it } from 'vitest';
import { detectionContext } from '../../../src/detect/index.js';
import { UserError } from '../../../src/errors.js';
import { Project } from '../../../src/project/project.js';
import { resolveStartCommand } from '../../../src/project/scripts.js';
import { userErrorOf } from '../../support/errors.js';
import { removeScratchCopies, scratchProject } from '../../support/fixtures.js';

const { scripts } = detectionContext();

/** A scratch project whose package.json has `scripts` and `extra`, with empty `files`. */
function projectWith(scripts: Record<string, string>, extra: Record<string, unknown> = {}, files: string[] = []): Project {
  return new Project(scratchProject({ packageJson: { name: 'x', scripts, ...extra }, files: Object.fromEntries(files.map((file) => [file, ''])) }));
}

afterAll(removeScratchCopies);

describe('resolveStartCommand', () => {
  it.each([
    ['node dist/server.js', ['node', 'dist/server.js']],
    ['NODE_ENV=production node --enable-source-maps dist/main.js', ['node', '--enable-source-maps', 'dist/main.js']],
    ['cross-env NODE_ENV=production PORT=8080 node build/index.js', ['node', 'build/index.js']],
    ['yarn node dist/index.mjs', ['node', 'dist/index.mjs']],
  ])('%s → node directly', (start, argv) => {
    expect(resolveStartCommand(projectWith({ start }), scripts)?.argv).toEqual(argv);
  });

  it('follows npm run to the script that starts the server', () => {
    const found = resolveStartCommand(projectWith({ start: 'npm run serve', serve: 'node dist/app.js' }), scripts);
    expect(found).toMatchObject({ argv: ['node', 'dist/app.js'], source: 'package.json#scripts.serve' });
  });

  it('drops a migration step before the server and says so', () => {
    const found = resolveStartCommand(projectWith({ start: 'knex migrate:latest && node dist/server.js' }), scripts);
    expect(found?.argv).toEqual(['node', 'dist/server.js']);
    expect(found?.warnings[0]).toMatch(/also migrates/);
  });

  it('falls back to main, then to server.js, like npm', () => {
    expect(resolveStartCommand(projectWith({}, { main: 'lib/index.js' }, ['lib/index.js']), scripts)?.argv).toEqual(['node', 'lib/index.js']);
    expect(resolveStartCommand(projectWith({}, {}, ['server.js']), scripts)?.argv).toEqual(['node', 'server.js']);
    expect(resolveStartCommand(projectWith({}), scripts)).toBeUndefined();
  });

  it.each([
    ['node dist/a.js | tee log', /shell syntax \(\|\)/],
    ['npm run build && node dist/a.js', /before the server/],
  ])('rejects %s with a one-line error naming package.json', (start, message) => {
    const attempt = () => resolveStartCommand(projectWith({ start, build: 'tsc' }), scripts);
    expect(attempt).toThrow(UserError);
    expect(attempt).toThrow(message);
    expect(attempt).toThrow(/package\.json/);
  });

  it('detects scripts that call each other in a loop', () => {
    expect(() => resolveStartCommand(projectWith({ start: 'npm run a', a: 'npm run start' }), scripts)).toThrow(/loop/);
  });
});

/** A TypeScript project: tsconfig (rootDir src, outDir dist), typescript installed, `files` beside. */
function typescriptProject(packageJson: Record<string, unknown>, files: Record<string, string> = {}, tsconfig: Record<string, unknown> = {}): Project {
  return new Project(
    scratchProject({
      packageJson: { name: 'x', devDependencies: { typescript: '5.9.3', 'ts-node': '10.9.2' }, ...packageJson },
      files: {
        'tsconfig.json': JSON.stringify({ compilerOptions: { outDir: 'dist', ...tsconfig } }),
        'src/index.ts': 'export {};\n',
        ...files,
      },
    }),
  );
}

describe('development runners: the container runs the compiled entry with node', () => {
  it.each([
    ['ts-node src/index.ts', ['node', 'dist/index.js']],
    ['ts-node --transpile-only -r dotenv/config src/index.ts --verbose', ['node', '-r', 'dotenv/config', 'dist/index.js', '--verbose']],
    ['ts-node -r tsconfig-paths/register -P tsconfig.json src/index', ['node', 'dist/index.js']],
    ['tsx watch --env-file=.env src/index.ts', ['node', 'dist/index.js']],
    ['ts-node-dev --respawn --transpile-only src/index.ts', ['node', 'dist/index.js']],
    ['node -r ts-node/register --enable-source-maps src/index.ts', ['node', '--enable-source-maps', 'dist/index.js']],
    ['nodemon src/index.ts', ['node', 'dist/index.js']],
    ['nodemon --watch src -e ts --exec ts-node src/index.ts', ['node', 'dist/index.js']],
    ['nodemon dist/server.js', ['node', 'dist/server.js']],
  ])('start: %s', (start, argv) => {
    const found = resolveStartCommand(typescriptProject({ scripts: { start } }), scripts);
    expect(found?.argv).toEqual(argv);
    expect(found?.compiled).toBe(true);
    expect(found?.warnings.join('\n')).toMatch(/development runner: the container runs the compiled JavaScript with node instead/);
  });

  it("with only a ts-node dev script (no start, no build), the entry is tsc's output: the common folder of every input", () => {
    // prisma/seed.ts is compiled too, so the output mirrors the project root: dist/src/index.js.
    const withSeed = typescriptProject({ scripts: { dev: 'ts-node src/index.ts' } }, { 'prisma/seed.ts': 'export {};\n' });
    expect(resolveStartCommand(withSeed, scripts)).toMatchObject({ argv: ['node', 'dist/src/index.js'], source: 'package.json#scripts.dev', compiled: true });
    const alone = typescriptProject({ scripts: { dev: 'ts-node src/index.ts' } });
    expect(resolveStartCommand(alone, scripts)?.argv).toEqual(['node', 'dist/index.js']);
  });

  it('a dev script that is no development runner shows no entry', () => {
    expect(resolveStartCommand(typescriptProject({ scripts: { dev: 'vite' } }), scripts)).toBeUndefined();
  });

  it('nodemon with no arguments runs the exec of nodemon.json, or package.json#nodemonConfig, or main', () => {
    const fromFile = typescriptProject(
      { scripts: { start: 'nodemon' } },
      { 'nodemon.json': JSON.stringify({ watch: ['src'], exec: 'ts-node ./src/index.ts' }) },
    );
    expect(resolveStartCommand(fromFile, scripts)?.argv).toEqual(['node', 'dist/index.js']);
    const fromConfigFlag = typescriptProject(
      { scripts: { start: 'nodemon --config config/dev/nodemon.json' } },
      { 'config/dev/nodemon.json': JSON.stringify({ exec: 'ts-node src/index.ts' }) },
    );
    expect(resolveStartCommand(fromConfigFlag, scripts)?.argv).toEqual(['node', 'dist/index.js']);
    const embedded = typescriptProject({ scripts: { start: 'nodemon' }, nodemonConfig: { exec: 'tsx src/index.ts' } });
    expect(resolveStartCommand(embedded, scripts)?.argv).toEqual(['node', 'dist/index.js']);
    const main = typescriptProject({ scripts: { start: 'nodemon' }, main: 'src/index.ts' });
    expect(resolveStartCommand(main, scripts)?.argv).toEqual(['node', 'dist/index.js']);
    const nothing = typescriptProject({ scripts: { start: 'nodemon' } });
    expect(userErrorOf(() => resolveStartCommand(nothing, scripts))).toMatch(/nodemon has no script to run .*pass --start/);
  });

  it('a TypeScript main runs compiled; a main in the output folder is built by the image', () => {
    expect(resolveStartCommand(typescriptProject({ main: 'src/index.ts' }), scripts)).toMatchObject({ argv: ['node', 'dist/index.js'], compiled: true });
    expect(resolveStartCommand(typescriptProject({ main: 'dist/index.js', scripts: { build: 'tsc' } }), scripts)?.argv).toEqual(['node', 'dist/index.js']);
  });

  it("uses the build's tsconfig: rootDir, and the folders it excludes", () => {
    const nest = typescriptProject(
      { scripts: { dev: 'ts-node src/index.ts' } },
      { 'test/app.spec.ts': 'export {};\n', 'tsconfig.build.json': JSON.stringify({ extends: './tsconfig.json', exclude: ['test'] }) },
    );
    expect(resolveStartCommand(nest, scripts)?.argv).toEqual(['node', 'dist/index.js']);
    const rooted = typescriptProject({ scripts: { dev: 'ts-node src/index.ts' } }, { 'prisma/seed.ts': '' }, { rootDir: 'src' });
    expect(resolveStartCommand(rooted, scripts)?.argv).toEqual(['node', 'dist/index.js']);
  });

  it("says why when the compiled entry can't be told", () => {
    const noOutDir = new Project(
      scratchProject({
        packageJson: { name: 'x', scripts: { dev: 'ts-node src/index.ts' }, devDependencies: { typescript: '5' } },
        files: { 'tsconfig.json': '{}' },
      }),
    );
    expect(userErrorOf(() => resolveStartCommand(noOutDir, scripts))).toMatch(
      /tsconfig\.json: no compilerOptions\.outDir, and scripts\.dev runs "ts-node src\/index\.ts"/,
    );
    const noCompiler = new Project(
      scratchProject({
        packageJson: { name: 'x', scripts: { start: 'tsx src/index.ts' } },
        files: { 'tsconfig.json': JSON.stringify({ compilerOptions: { outDir: 'dist' } }), 'src/index.ts': '' },
      }),
    );
    expect(userErrorOf(() => resolveStartCommand(noCompiler, scripts))).toMatch(
      /no "build" script, and scripts\.start runs "tsx src\/index\.ts".*add "build": "tsc"/,
    );
    const babel = typescriptProject({ scripts: { start: 'babel-node src/server.js' } }, { 'src/server.js': '' });
    expect(userErrorOf(() => resolveStartCommand(babel, scripts))).toMatch(/Babel's compiled output .*pass --start/);
  });
});

describe("node on a TypeScript file: Node's own type stripping (22.18+) when the project's Node has it", () => {
  const tsconfig = JSON.stringify({ compilerOptions: { rootDir: 'src', outDir: 'dist' } });
  const withTsconfig = (start: string) =>
    new Project(scratchProject({ packageJson: { name: 'x', scripts: { start, build: 'tsc' } }, files: { 'tsconfig.json': tsconfig } }));

  it('node index.ts runs as it is on Node 22 and later (as epic-stack starts)', () => {
    const found = resolveStartCommand(withTsconfig('cross-env NODE_ENV=production node index.ts'), { ...scripts, nodeRunsTypescript: true })!;
    expect(found.argv).toEqual(['node', 'index.ts']);
    expect(found.warnings).toEqual([]);
  });

  it('on Node 20, or through a loader (--import tsx, -r ts-node/register), the compiled JavaScript runs', () => {
    expect(resolveStartCommand(withTsconfig('node src/index.ts'), { ...scripts, nodeRunsTypescript: false })!.argv).toEqual(['node', 'dist/index.js']);
    expect(resolveStartCommand(withTsconfig('node --import tsx src/index.ts'), { ...scripts, nodeRunsTypescript: true })!.argv).toEqual([
      'node',
      'dist/index.js',
    ]);
    expect(resolveStartCommand(withTsconfig('node -r ts-node/register src/index.ts'), { ...scripts, nodeRunsTypescript: true })!.argv).toEqual([
      'node',
      'dist/index.js',
    ]);
  });

  it("is told from the project's Node version: engines ^22.18.0 yes, .nvmrc 20 no", () => {
    const at = (files: Record<string, string>, engines?: string) =>
      detectionContext(new Project(scratchProject({ packageJson: { name: 'x', ...(engines ? { engines: { node: engines } } : {}) }, files })));
    expect(at({}, '^22.18.0').scripts.nodeRunsTypescript).toBe(true);
    expect(at({ '.nvmrc': '20\n' }).scripts.nodeRunsTypescript).toBe(false);
  });
});

describe('shell-script starts: the production command, never a shell wrapper without exec', () => {
  const START = `#!/bin/bash\n\nset -e\n\nif [ "$NODE_ENV" = "production" ]; then\n  node lib/server.js\nelse\n  npx knex --knexfile config/knexfile.js migrate:latest\n  node --watch lib/server.js | npx pino-pretty -c -t\nfi\n`;

  it.each(['bin/start.sh', './bin/start.sh', 'sh bin/start.sh', 'bash ./bin/start.sh'])('%s: follows the production branch to node', (start) => {
    const project = new Project(scratchProject({ packageJson: { name: 'x', scripts: { start } }, files: { 'bin/start.sh': START } }));
    const resolved = resolveStartCommand(project, scripts);
    expect(resolved?.argv).toEqual(['node', 'lib/server.js']);
    expect(resolved?.warnings.join('\n')).toMatch(/runs the shell script bin\/start\.sh: the container runs its production command \(line 6\) directly/);
  });

  it('drops a migration before the server, follows npm run, and compiles a development runner', () => {
    const project = (text: string, extra: Record<string, string> = {}) =>
      typescriptProject({ scripts: { start: './start.sh', serve: 'node dist/index.js', build: 'tsc' } }, { 'start.sh': text, ...extra });
    const migrating = resolveStartCommand(project('#!/bin/sh\nnpx knex migrate:latest\nexec node dist/index.js\n'), scripts);
    expect(migrating?.argv).toEqual(['node', 'dist/index.js']);
    expect(migrating?.warnings.join('\n')).toMatch(/start\.sh also migrates \("npx knex migrate:latest"\)/);
    expect(resolveStartCommand(project('#!/bin/sh\nexec npm run serve\n'), scripts)?.argv).toEqual(['node', 'dist/index.js']);
    expect(resolveStartCommand(project('#!/bin/sh\nexec ts-node src/index.ts\n'), scripts)?.argv).toEqual(['node', 'dist/index.js']);
  });

  it('a script that sets things up and then execs its server is run itself, by its shell', () => {
    const project = new Project(
      scratchProject({
        packageJson: { name: 'x', scripts: { start: 'scripts/run.sh' } },
        files: { 'scripts/run.sh': '#!/usr/bin/env bash\nexport TZ=UTC\nexec node server.js\n' },
      }),
    );
    expect(resolveStartCommand(project, scripts)?.argv).toEqual(['bash', 'scripts/run.sh']);
  });

  it("a script whose production command can't be told is a gap naming --start", () => {
    const project = new Project(
      scratchProject({
        packageJson: { name: 'x', scripts: { start: 'bin/start.sh' } },
        files: { 'bin/start.sh': '#!/bin/sh\nif [ -f .env ]; then . ./.env; fi\nnode server.js\n' },
      }),
    );
    expect(userErrorOf(() => resolveStartCommand(project, scripts))).toMatch(
      /scripts\.start runs the shell script bin\/start\.sh, whose production command can't be told \(line 2 tests .*\): pass --start/,
    );
  });

  it('a node script without an extension (#!/usr/bin/env node) runs with node', () => {
    const project = new Project(
      scratchProject({ packageJson: { name: 'x', scripts: { start: './bin/www' } }, files: { 'bin/www': '#!/usr/bin/env node\nrequire("../app");\n' } }),
    );
    expect(resolveStartCommand(project, scripts)?.argv).toEqual(['node', 'bin/www']);
  });
});
