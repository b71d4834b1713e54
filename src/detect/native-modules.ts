/**
 * Packages that compile C/C++ with node-gyp when no prebuilt binary can be downloaded (as on a
 * machine that only reaches the npm registry). Their presence anywhere in the lockfile puts
 * compilers into the install stages, and only there.
 */
export const NATIVE_PACKAGES = [
  'argon2',
  'bcrypt',
  'better-sqlite3',
  'bufferutil',
  'canvas',
  'cpu-features',
  'isolated-vm',
  'kerberos',
  'leveldown',
  'libxmljs2',
  'microtime',
  'node-sass',
  're2',
  'sqlite3',
  'utf-8-validate',
  'zeromq',
] as const;

/** Debian packages that build them. */
export const NATIVE_BUILD_TOOLS = ['python3', 'make', 'g++'];

/** Native packages among the project's locked packages, sorted. */
export function nativeModulesIn(locked: ReadonlySet<string>): string[] {
  return NATIVE_PACKAGES.filter((name) => locked.has(name));
}
