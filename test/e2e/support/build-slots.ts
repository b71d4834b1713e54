/**
 * Image builds of the end-to-end suites, coordinated across vitest's workers (separate processes):
 * the same fixture is never built twice at the same time (the second build waits, then takes every
 * layer from the BuildKit cache instead of compiling native modules again), and at most two builds
 * run at once, so that on a two-core machine each takes a predictable time, far inside the hooks'
 * timeout, whatever else the machine is doing.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const LOCKS = path.join(tmpdir(), 'cms-e2e-build-locks');
/** Builds running at once, machine-wide. */
const BUILD_SLOTS = 2;
const POLL_MS = 500;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A lock directory (mkdir is atomic), holding the owner's pid: a lock whose owner died is taken over. */
function tryLock(name: string): boolean {
  const dir = path.join(LOCKS, name);
  mkdirSync(LOCKS, { recursive: true });
  try {
    mkdirSync(dir);
  } catch {
    const owner = Number(readFileSync(path.join(dir, 'pid'), { encoding: 'utf8', flag: 'a+' }) || 0);
    if (owner > 0 && !alive(owner)) rmSync(dir, { recursive: true, force: true });
    return false;
  }
  writeFileSync(path.join(dir, 'pid'), String(process.pid));
  return true;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function unlock(name: string): void {
  rmSync(path.join(LOCKS, name), { recursive: true, force: true });
}

/** Runs `build` holding the fixture's lock and one of the machine-wide build slots. */
export async function withBuildSlot<T>(fixture: string, build: () => Promise<T>): Promise<T> {
  const fixtureLock = `fixture-${fixture}`;
  while (!tryLock(fixtureLock)) await sleep(POLL_MS);
  let slot: string | undefined;
  try {
    while (slot === undefined) {
      slot = Array.from({ length: BUILD_SLOTS }, (_, index) => `slot-${index}`).find((name) => tryLock(name));
      if (slot === undefined) await sleep(POLL_MS);
    }
    return await build();
  } finally {
    if (slot !== undefined) unlock(slot);
    unlock(fixtureLock);
  }
}
