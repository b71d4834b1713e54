/**
 * `create-migrating-stack plugin install|uninstall`: the tool as a Docker CLI plugin, run as
 * `docker migratingstack [dir] [options]` and `docker migratingstack verify [dir]`.
 *
 * Docker's CLI plugin protocol: an executable `docker-<name>` in a cli-plugins folder
 * ($DOCKER_CONFIG/cli-plugins, by default ~/.docker/cli-plugins) that prints its metadata as JSON
 * when called with `docker-cli-plugin-metadata`, and is then called as
 * `docker-<name> [docker's global options] <name> [args]`. Plugin names must match
 * ^[a-z][a-z0-9]*$, so the plugin is `migratingstack`: docker refuses `migrating-stack`.
 *
 * The shim is a POSIX sh script, which answers the metadata without starting Node (docker asks
 * every plugin for it on `docker --help` and `docker info`). It runs a copy of this package's
 * runnable files (bin/, bundle/: no dependencies) kept beside it, so that the plugin outlives the
 * npx cache it may have been installed from; `plugin install` again updates it.
 */
import { chmodSync, cpSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { UserError } from '../errors.js';
import { packageRoot, toolVersion } from '../shared/package-info.js';

export const PLUGIN_NAME = 'migratingstack';
export const SHIM = `docker-${PLUGIN_NAME}`;
/** The folder beside the shim with the copy of the tool it runs. */
export const PAYLOAD = 'create-migrating-stack';
/** Set by the shim: the command name --help shows. */
export const COMMAND_ENV = 'CREATE_MIGRATING_STACK_COMMAND';
const MARKER = '# Written by `create-migrating-stack plugin install`';

/** Docker's per-user CLI plugin folder. */
export function pluginsDir(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(env.DOCKER_CONFIG || path.join(homedir(), '.docker'), 'cli-plugins');
}

/** What `docker-migratingstack docker-cli-plugin-metadata` prints. */
export function pluginMetadata(version = toolVersion()): Record<string, string> {
  return {
    SchemaVersion: '0.1.0',
    Vendor: 'create-migrating-stack',
    Version: version,
    ShortDescription: 'Generate and verify a Compose stack whose migrations run once, before the app',
    URL: 'https://www.npmjs.com/package/create-migrating-stack',
  };
}

/** A word for sh, in single quotes. */
function quote(word: string): string {
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

/** The shim: answers the metadata itself, runs the copied CLI otherwise. */
export function shimScript(payload: string, node: string, version = toolVersion()): string {
  return `#!/bin/sh
# docker ${PLUGIN_NAME}: create-migrating-stack ${version} as a Docker CLI plugin.
${MARKER}; removed by \`create-migrating-stack plugin uninstall\`.
set -eu
if [ "\${1-}" = docker-cli-plugin-metadata ]; then
  printf '%s\\n' ${quote(JSON.stringify(pluginMetadata(version)))}
  exit 0
fi
# docker runs: ${SHIM} [docker's global options] ${PLUGIN_NAME} [args]. The tool takes the args;
# -H/--host, -c/--context and --config are passed on to the docker commands it runs.
while [ $# -gt 0 ]; do
  case $1 in
    ${PLUGIN_NAME}) shift; break ;;
    -H | --host) export DOCKER_HOST="$2"; shift 2 ;;
    --host=*) export DOCKER_HOST="\${1#*=}"; shift ;;
    -c | --context) export DOCKER_CONTEXT="$2"; shift 2 ;;
    --context=*) export DOCKER_CONTEXT="\${1#*=}"; shift ;;
    --config) export DOCKER_CONFIG="$2"; shift 2 ;;
    --config=*) export DOCKER_CONFIG="\${1#*=}"; shift ;;
    -l | --log-level | --tlscacert | --tlscert | --tlskey) shift 2 ;;
    *) shift ;;
  esac
done
node=${quote(node)}
[ -x "$node" ] || node=node
${COMMAND_ENV}='docker ${PLUGIN_NAME}' exec "$node" ${quote(path.join(payload, 'bin/create-migrating-stack.js'))} "$@"
`;
}

export interface PluginInstall {
  shim: string;
  payload: string;
}

/**
 * Copies the runnable files (bin/create-migrating-stack.js, bundle/) beside the shim and writes
 * the shim. Replaces a previous install, also when it runs from it (`docker migratingstack plugin install`).
 */
export function installPlugin(dir = pluginsDir(), node = process.execPath): PluginInstall {
  const root = packageRoot();
  if (!existsSync(path.join(root, 'bundle/cli.js'))) {
    throw new UserError(`${path.join(root, 'bundle')}: not built: run npm run build first (the plugin runs the bundled CLI)`);
  }
  const shim = path.join(dir, SHIM);
  const payload = path.join(dir, PAYLOAD);
  if (existsSync(shim) && !readFileSync(shim, 'utf8').includes(MARKER)) {
    throw new UserError(`${shim}: exists and was not written by create-migrating-stack: remove it first`);
  }
  mkdirSync(dir, { recursive: true });
  const next = `${payload}.next-${process.pid}`;
  const previous = `${payload}.previous-${process.pid}`;
  try {
    rmSync(next, { recursive: true, force: true });
    cpSync(path.join(root, 'bin/create-migrating-stack.js'), path.join(next, 'bin/create-migrating-stack.js'));
    cpSync(path.join(root, 'bundle'), path.join(next, 'bundle'), { recursive: true });
    // bin/ and bundle/ are ES modules in .js files.
    writeFileSync(
      path.join(next, 'package.json'),
      `${JSON.stringify({ name: 'create-migrating-stack', version: toolVersion(), private: true, type: 'module' }, null, 2)}\n`,
    );
    if (existsSync(payload)) renameSync(payload, previous);
    renameSync(next, payload);
    rmSync(previous, { recursive: true, force: true });
    writeFileSync(`${shim}.next`, shimScript(payload, node));
    chmodSync(`${shim}.next`, 0o755);
    renameSync(`${shim}.next`, shim);
  } catch (error) {
    rmSync(next, { recursive: true, force: true });
    rmSync(`${shim}.next`, { force: true });
    throw new UserError(`${dir}: the plugin can't be installed (${(error as Error).message}): check its permissions, or set DOCKER_CONFIG`);
  }
  return { shim, payload };
}

/** Removes the shim and its copy of the tool; the paths removed (none when not installed). */
export function uninstallPlugin(dir = pluginsDir()): string[] {
  const shim = path.join(dir, SHIM);
  const payload = path.join(dir, PAYLOAD);
  const removed: string[] = [];
  if (existsSync(shim)) {
    if (!readFileSync(shim, 'utf8').includes(MARKER)) throw new UserError(`${shim}: was not written by create-migrating-stack: left as it is`);
    rmSync(shim);
    removed.push(shim);
  }
  if (existsSync(payload)) {
    rmSync(payload, { recursive: true, force: true });
    removed.push(payload);
  }
  return removed;
}
