/**
 * Folders the app writes into relative to its working directory, read from the sources with the
 * parser (never run).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { Project } from '../../../src/project/project.js';
import { writableDirectories } from '../../../src/project/writable-dirs.js';
import { removeScratchCopies, scratchProject } from '../../support/fixtures.js';

afterAll(removeScratchCopies);

function scan(files: Record<string, string>, tsconfig?: Record<string, unknown>) {
  const project = new Project(
    scratchProject({
      packageJson: { name: 'x', scripts: { build: 'tsc' }, devDependencies: { typescript: '5' } },
      files: { ...(tsconfig ? { 'tsconfig.json': JSON.stringify(tsconfig) } : {}), ...files },
    }),
  );
  return writableDirectories(project, Object.keys(files));
}

describe('writableDirectories', () => {
  it('multer dest, diskStorage destination (in a Nest module factory), MulterModule.register', () => {
    expect(
      scan({
        'src/a.js': "const multer = require('multer');\nconst upload = multer({ dest: './uploads/' });\n",
        'src/files.module.ts': [
          "import { diskStorage } from 'multer';",
          'export const options = { useFactory: () => ({ storage: diskStorage({ destination: "./files", filename: (req, file, cb) => cb(null, file.originalname) }) }) };',
        ].join('\n'),
        'src/app.module.ts': "MulterModule.register({ dest: './upload' });\n",
      }).map(({ path, why }) => [path, why]),
    ).toEqual([
      ['files', "uploads (diskStorage's destination)"],
      ['upload', "uploads (MulterModule.register's dest)"],
      ['uploads', "uploads (multer's dest)"],
    ]);
  });

  it('mkdirSync / fs.promises.mkdir / ensureDir of a relative path, through local constants', () => {
    const found = scan({
      'src/a.ts':
        "import fs from 'node:fs';\nconst LOGS = 'var/logs';\nfs.mkdirSync(LOGS, { recursive: true });\nawait fs.promises.mkdir('./tmp/cache', { recursive: true });\n",
      'lib/b.js': "const fse = require('fs-extra');\nfse.ensureDirSync('exports');\n",
    });
    expect(found.map((dir) => dir.path)).toEqual(['exports', 'tmp/cache', 'var/logs']);
  });

  it("a folder next to the code (__dirname) is where the code runs: a TypeScript file's compiled copy", () => {
    const found = scan(
      {
        'src/store.ts':
          "import path from 'node:path';\nimport fs from 'node:fs';\nfs.mkdirSync(path.join(__dirname, 'data'));\nfs.mkdirSync(path.join(__dirname, '..', 'shared'));\n",
      },
      { compilerOptions: { rootDir: 'src', outDir: 'dist' } },
    );
    expect(found.map((dir) => dir.path)).toEqual(['dist/data', 'shared']);
  });

  it("MikroORM's TsMorphMetadataProvider caches metadata in temp/, for the app and the migration CLI", () => {
    const found = scan({
      'src/mikro-orm.config.ts':
        "import { TsMorphMetadataProvider } from '@mikro-orm/reflection';\nexport default { metadataProvider: TsMorphMetadataProvider };\n",
    });
    expect(found).toEqual([{ path: 'temp', source: 'src/mikro-orm.config.ts', why: "MikroORM's metadata cache (TsMorphMetadataProvider)", migrate: true }]);
  });

  it('ignores absolute paths, paths outside the app, values known only at run time, and files the parser cannot read', () => {
    expect(
      scan({
        'a.js':
          "fs.mkdirSync('/tmp/x'); fs.mkdirSync('../up'); fs.mkdirSync(process.env.DIR); fs.mkdirSync(`./${name}`); multer({ storage: memoryStorage() });\n",
        'b.js': 'mkdirSync(( \n',
      }),
    ).toEqual([]);
  });
});
