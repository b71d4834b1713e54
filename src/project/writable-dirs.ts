/**
 * Folders the app writes into relative to its working directory: upload folders (multer's
 * `dest`, `diskStorage({ destination })`), folders it creates (`fs.mkdirSync('./x')`,
 * fs-extra's ensureDir), MikroORM's metadata cache (`temp/`, TsMorphMetadataProvider). The
 * image's project tree belongs to root, and the app runs as `node`: these must exist and be
 * the app's. Read with the parser, never run.
 */
import path from 'node:path';
import { normaliseRelative } from './config-text.js';
import { asString, readModule, type JsValue } from './js-module.js';
import type { Project } from './project.js';
import { isTypeScript, typescriptDirectories } from './typescript.js';

export interface WritableDirectory {
  /** Relative to the app's working directory (the project root in the image). */
  path: string;
  /** The file that shows it. */
  source: string;
  /** What writes there, for the note. */
  why: string;
  /** The migration tool writes there too (the migrate image needs it). */
  migrate?: true;
}

/** Calls whose first argument is a folder the app writes into. */
const FOLDER_CALLS = ['mkdirSync', 'mkdir', 'mkdirp', 'mkdirpSync', 'ensureDir', 'ensureDirSync', 'mkdirsSync', 'mkdirs'];
/** Calls whose options name an upload folder: multer({ dest }), diskStorage({ destination }), Nest's MulterModule.register({ dest }). */
const UPLOAD_CALLS: [string, string][] = [
  ['multer', 'dest'],
  ['MulterModule.register', 'dest'],
  ['diskStorage', 'destination'],
];
/** Only files that mention one of these are parsed. */
const MENTIONS = /\b(?:mkdir|ensureDir|multer|Multer|diskStorage|TsMorphMetadataProvider)/;
/** MikroORM's metadata cache when the config doesn't move it (metadataCache.options.cacheDir). */
const MIKRO_ORM_CACHE = 'temp';

/** The folders the sources write into, each once, sorted by path. */
export function writableDirectories(project: Project, sources: readonly string[]): WritableDirectory[] {
  const found = new Map<string, WritableDirectory>();
  const add = (directory: WritableDirectory) => {
    const known = found.get(directory.path);
    if (!known) found.set(directory.path, directory);
    else if (directory.migrate && !known.migrate) found.set(directory.path, { ...known, migrate: true });
  };
  for (const file of sources) {
    const text = project.readText(file) ?? '';
    if (!MENTIONS.test(text)) continue;
    if (/\bTsMorphMetadataProvider\b/.test(text) && /@mikro-orm\/reflection/.test(text)) {
      add({ path: MIKRO_ORM_CACHE, source: file, why: "MikroORM's metadata cache (TsMorphMetadataProvider)", migrate: true });
    }
    let constructions: (name: string) => JsValue[][];
    try {
      const module = readModule(project, file);
      constructions = (name) => module.constructions(name);
    } catch {
      continue; // a file the parser can't read writes nowhere we can tell
    }
    for (const call of FOLDER_CALLS) {
      for (const [folder] of constructions(call)) {
        const dir = runtimePath(project, file, folder);
        if (dir) add({ path: dir, source: file, why: `${call}()` });
      }
    }
    for (const [call, option] of UPLOAD_CALLS) {
      for (const [options] of constructions(call)) {
        const value = options?.kind === 'object' ? options.properties.get(option) : undefined;
        const dir = runtimePath(project, file, value);
        if (dir) add({ path: dir, source: file, why: `uploads (${call === 'diskStorage' ? 'diskStorage' : call}'s ${option})` });
      }
    }
  }
  return [...found.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/**
 * Where a folder value points inside the running app, relative to its working directory: a
 * relative string as it is; a folder computed from the file's own location (`path.join(__dirname,
 * 'uploads')`) where that file runs, its compiled copy for TypeScript. Undefined for an absolute
 * path, one outside the app, or a value known only at run time.
 */
function runtimePath(project: Project, file: string, value: JsValue | undefined): string | undefined {
  let relative: string | undefined;
  const literal = asString(value);
  if (literal !== undefined) {
    relative = literal;
  } else if (value?.kind === 'path' && !value.outsideProject) {
    relative = value.path;
    // __dirname of a compiled file is in the output folder.
    if (isTypeScript(file)) {
      try {
        const { rootDir, outDir } = typescriptDirectories(project, 'the app writes into a folder next to its compiled code');
        relative = path.posix.join(outDir, path.posix.relative(rootDir, value.path));
      } catch {
        return undefined;
      }
    }
  }
  if (relative === undefined || relative === '' || path.posix.isAbsolute(relative) || /[*$`]/.test(relative)) return undefined;
  const normal = normaliseRelative(relative);
  // A name the Dockerfile can use as it is (no spaces or quotes to escape).
  return normal === '.' || normal === '' || normal.startsWith('..') || !/^[\w@+.-][\w@+./-]*$/.test(normal) ? undefined : normal;
}
