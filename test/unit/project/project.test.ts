/**
 * The read-only project view on a project that may be hostile: links out of the project, named
 * pipes, devices and oversized files are refused with one line naming the file (never read, never
 * waited on); paths that leave the project are refused; package.json's fields have the types
 * detection relies on; a byte order mark is accepted; the source scan stays bounded without
 * losing the entry files.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Project } from '../../../src/project/project.js';
import { MAX_FILE_BYTES, readRegularFile } from '../../../src/shared/files.js';
import { removeScratchCopies, scratchDir, scratchProject } from '../../support/fixtures.js';
import { userErrorOf } from '../../support/errors.js';

afterAll(removeScratchCopies);

const PACKAGE = { name: 'app', scripts: { start: 'node server.js' }, dependencies: { express: '^4.0.0' } };

/** A secret outside every project, which no read may return. */
function outsideSecret(): string {
  const dir = scratchDir('outside');
  writeFileSync(path.join(dir, 'secret'), 'TOP-SECRET=1\n');
  return path.join(dir, 'secret');
}

describe('reading files', () => {
  it('reads a file through a link that stays inside the project', () => {
    const root = scratchProject({ packageJson: PACKAGE, files: { 'config/.env.sample': 'A=1\n' } });
    symlinkSync('config/.env.sample', path.join(root, '.env.example'));
    expect(new Project(root).readText('.env.example')).toBe('A=1\n');
  });

  it('refuses a link that leads out of the project, naming the link and where it leads', () => {
    const secret = outsideSecret();
    const root = scratchProject({ packageJson: PACKAGE });
    symlinkSync(secret, path.join(root, '.env.example'));
    const project = new Project(root);
    const message = userErrorOf(() => project.readText('.env.example'));
    expect(message).toContain(`${path.join(root, '.env.example')}: a symbolic link to ${secret}, outside the project`);
    expect(message).not.toContain('TOP-SECRET');
    // A link out of the project is refused wherever it is asked about, not only when read.
    expect(userErrorOf(() => project.exists('.env.example'))).toContain('outside the project');
  });

  it('refuses a package.json that is a link out of the project', () => {
    const secret = outsideSecret();
    const root = scratchDir('project');
    symlinkSync(secret, path.join(root, 'package.json'));
    expect(userErrorOf(() => new Project(root))).toContain('outside the project');
  });

  it('refuses a link to a device (/dev/zero) before reading a byte', () => {
    const root = scratchProject({ packageJson: PACKAGE });
    symlinkSync('/dev/zero', path.join(root, '.nvmrc'));
    expect(userErrorOf(() => new Project(root).readText('.nvmrc'))).toContain('a symbolic link to /dev/zero, outside the project');
  });

  it('refuses a device itself: reading /dev/zero would never end', () => {
    expect(userErrorOf(() => readRegularFile('/dev/zero'))).toBe(
      '/dev/zero: a character device, not a regular file: create-migrating-stack reads only regular files; replace it with a file or remove it',
    );
  });

  it('refuses a named pipe without waiting for a writer', () => {
    const root = scratchProject({ packageJson: PACKAGE });
    execFileSync('mkfifo', [path.join(root, '.nvmrc')]);
    const started = Date.now();
    expect(userErrorOf(() => new Project(root).readText('.nvmrc'))).toContain('.nvmrc: a named pipe (FIFO), not a regular file');
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('refuses a file larger than the limit without reading it', () => {
    const root = scratchProject({ packageJson: PACKAGE, files: { 'package-lock.json': '' } });
    // Sparse: no disk used, and nothing read.
    truncateSync(path.join(root, 'package-lock.json'), MAX_FILE_BYTES + 1);
    expect(userErrorOf(() => new Project(root).readText('package-lock.json'))).toMatch(
      /package-lock\.json: larger than 64 MB, the most create-migrating-stack reads/,
    );
  });

  it('reads a folder where a file may be as no file, and a missing file as none', () => {
    const root = scratchProject({ packageJson: PACKAGE, files: { '.nvmrc/inside': 'x' } });
    const project = new Project(root);
    expect(project.readText('.nvmrc')).toBeUndefined();
    expect(project.readText('.node-version')).toBeUndefined();
  });

  it('accepts a byte order mark in package.json, as npm does, and strips it from every text', () => {
    const root = scratchProject({ files: { 'package.json': `\uFEFF${JSON.stringify(PACKAGE)}`, '.nvmrc': '\uFEFF22\n' } });
    const project = new Project(root);
    expect(project.packageJson.name).toBe('app');
    expect(project.readText('.nvmrc')).toBe('22\n');
  });
});

describe('paths', () => {
  it('refuses paths that leave the project, naming where they lead', () => {
    const root = scratchProject({ packageJson: PACKAGE });
    const project = new Project(root);
    for (const outside of ['../x', '../../etc/passwd', '/etc/passwd', 'prisma/../../x']) {
      expect(
        userErrorOf(() => project.readText(outside)),
        outside,
      ).toMatch(/: outside the project \(.*\), which is all the image contains/);
      expect(
        userErrorOf(() => project.exists(outside)),
        outside,
      ).toContain('outside the project');
      expect(
        userErrorOf(() => project.isDirectory(outside)),
        outside,
      ).toContain('outside the project');
    }
    expect(project.exists('prisma/../package.json')).toBe(true);
  });

  it('refuses a path with a NUL character (one line, not a crash)', () => {
    const project = new Project(scratchProject({ packageJson: PACKAGE }));
    expect(userErrorOf(() => project.exists('migrations\0x'))).toContain('a path with a NUL character');
  });

  it('says "not a directory" for a file, and "not found" for nothing', () => {
    const root = scratchProject({ packageJson: PACKAGE });
    expect(userErrorOf(() => new Project(path.join(root, 'package.json')))).toBe(
      `${path.join(root, 'package.json')}: not a directory: pass the directory of a Node.js project (the folder with its package.json)`,
    );
    expect(userErrorOf(() => new Project(path.join(root, 'missing')))).toMatch(/missing: not found/);
  });
});

describe("package.json's types", () => {
  const cases: [string, Record<string, unknown>, string][] = [
    ['name as a number', { name: 42 }, '"name" must be a string, not a number (42)'],
    ['packageManager as an object', { packageManager: { name: 'pnpm' } }, '"packageManager" must be a string, not an object'],
    ['main as a list', { main: ['server.js'] }, '"main" must be a string, not a list'],
    ['type as a boolean', { type: true }, '"type" must be a string, not a boolean (true)'],
    ['scripts.start as a number', { scripts: { start: 5 } }, '"scripts.start" must be a string, not a number (5)'],
    ['scripts as a list', { scripts: ['node server.js'] }, '"scripts" must be an object, not a list'],
    ['dependencies as a string', { dependencies: 'express' }, '"dependencies" must be an object, not a string'],
    ['a devDependency as an object', { devDependencies: { typescript: { version: '5' } } }, '"devDependencies.typescript" must be a string, not an object'],
    ['engines.node as a number', { engines: { node: 22 } }, '"engines.node" must be a string, not a number (22)'],
    ['volta.node as null', { volta: { node: null } }, '"volta.node" must be a string, not null'],
    ['workspaces as a number', { workspaces: 3 }, '"workspaces" must be a list of strings, not a number (3)'],
    ['workspaces.packages with a number', { workspaces: { packages: ['apps/*', 1] } }, '"workspaces.packages[1]" must be a string, not a number (1)'],
  ];

  it.each(cases)('%s: exit 2 naming the field', (_, fields, expected) => {
    const root = scratchProject({ packageJson: { ...PACKAGE, ...fields } });
    expect(userErrorOf(() => new Project(root))).toBe(`${path.join(root, 'package.json')}: ${expected}: fix the field`);
  });

  it('leaves the fields detection does not rely on alone', () => {
    const root = scratchProject({ packageJson: { ...PACKAGE, engines: { node: '>=20', vscode: 1 }, version: 3, private: 'yes' } });
    expect(new Project(root).packageJson.engines?.node).toBe('>=20');
  });

  it("knows a dependency by its own key only (not Object.prototype's)", () => {
    const project = new Project(scratchProject({ packageJson: PACKAGE }));
    expect(project.hasDependency('express')).toBe(true);
    expect(project.hasDependency('constructor')).toBe(false);
    expect(project.isProductionDependency('toString')).toBe(false);
  });
});

describe('the source scan', () => {
  it('reads the entry files first when a big tree cuts the scan short', () => {
    const files: Record<string, string> = { 'src/server.ts': "app.get('/healthz', ok); app.listen(4000);" };
    for (let i = 0; i < 30; i++) files[`src/aaa/module-${String(i).padStart(2, '0')}.ts`] = 'export {};';
    const project = new Project(scratchProject({ packageJson: { ...PACKAGE, scripts: { start: 'node dist/server.js', dev: 'tsx src/server.ts' } }, files }));
    // Sorted, src/aaa/ comes before src/server.ts: a bound of 10 never reaches it...
    expect(project.sourceFiles(['src'], ['.ts'], 10)).not.toContain('src/server.ts');
    // ...unless the entry files are named.
    const scanned = project.sourceFiles(['src'], ['.ts'], 10, ['src/server.ts', 'src/index.ts']);
    expect(scanned[0]).toBe('src/server.ts');
    expect(scanned).toHaveLength(11);
    // Under the bound, the scan is what it always was.
    expect(project.sourceFiles(['src'], ['.ts'], 100, ['src/server.ts'])).toEqual(project.sourceFiles(['src'], ['.ts'], 100));
  });

  it('never follows links to folders (a loop, or a tree elsewhere) nor reads links out of the project', () => {
    const secret = outsideSecret();
    const root = scratchProject({ packageJson: PACKAGE, files: { 'src/server.ts': 'listen(3000)' } });
    symlinkSync('..', path.join(root, 'src/loop'));
    symlinkSync(path.dirname(secret), path.join(root, 'src/elsewhere'));
    symlinkSync(secret, path.join(root, 'src/secret.ts'));
    symlinkSync('server.ts', path.join(root, 'src/alias.ts'));
    mkdirSync(path.join(root, 'src/pipes'));
    execFileSync('mkfifo', [path.join(root, 'src/pipes/pipe.ts')]);
    expect(new Project(root).sourceFiles(['src'], ['.ts'])).toEqual(['src/alias.ts', 'src/server.ts']);
  });

  it('skips sources too large to be code worth scanning (bundles)', () => {
    const root = scratchProject({ packageJson: PACKAGE, files: { 'src/server.ts': 'listen(3000)', 'src/vendor.js': '' } });
    truncateSync(path.join(root, 'src/vendor.js'), 3 * 1024 * 1024);
    expect(new Project(root).sourceFiles(['src'], ['.ts', '.js'])).toEqual(['src/server.ts']);
  });

  it("doesn't scan a source folder that is a link out of the project", () => {
    const outside = scratchDir('outside-src');
    writeFileSync(path.join(outside, 'server.ts'), 'listen(4567)');
    const root = scratchProject({ packageJson: PACKAGE });
    symlinkSync(outside, path.join(root, 'src'));
    expect(new Project(root).sourceFiles(['src'], ['.ts'])).toEqual([]);
  });
});
