import { afterAll, describe, expect, it } from 'vitest';
import { detectionContext } from '../../../src/detect/index.js';
import { UserError } from '../../../src/errors.js';
import { Project } from '../../../src/project/project.js';
import { resolveStartCommand } from '../../../src/project/scripts.js';
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
    ['tsx src/server.ts', /development runner/],
    ['nodemon dist/server.js', /development runner/],
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
