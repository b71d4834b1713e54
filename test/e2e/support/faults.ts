/**
 * Fault injection for the lock e2e suites (lock-faults-*.test.ts): waiting for a moment inside a
 * slow migration, throwaway TLS certificates, an IPv6 network, the container a migrator runs in.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { expect } from 'vitest';
import { runCommand, type ComposeProject } from '../../../src/verify/compose.js';
import type { MigratorRun } from '../../../src/verify/measure.js';

/** A password with every character that has a meaning in a URL or a shell: `@:/?#%+= '"$\`` and a backtick. */
export const NASTY_PASSWORD = 'p@ss:w/o?r#d%+= \'"$\\`';

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `check` until it holds; fails the test naming `what` after `timeoutMs`. */
export async function until(what: string, check: () => Promise<boolean>, timeoutMs = 60_000, everyMs = 250): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check().catch(() => false)) return;
    if (Date.now() >= deadline) throw new Error(`timed out after ${timeoutMs / 1000}s waiting until ${what}`);
    await sleep(everyMs);
  }
}

/** The runner's own lines of a migrator's output. */
export function runnerLines(run: MigratorRun | string): string[] {
  const output = typeof run === 'string' ? run : run.output;
  return output.split('\n').filter((line) => line.startsWith('docker-migrate: '));
}

/**
 * A throwaway CA and a certificate for the host name `db` signed by it, in <dir>/tls: ca.crt,
 * server.crt, server.key. Made with this machine's openssl, else with the one in the lab's
 * postgres image.
 */
export async function makeCertificates(dir: string): Promise<{ dir: string; ca: string }> {
  const tls = path.join(dir, 'tls');
  mkdirSync(tls, { recursive: true });
  const script = (at: string) =>
    [
      'set -e',
      `cd '${at}'`,
      'openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=create-migrating-stack test CA" -keyout ca.key -out ca.crt',
      'openssl req -newkey rsa:2048 -nodes -subj "/CN=db" -keyout server.key -out server.csr',
      'printf "subjectAltName=DNS:db\\n" > san.ext',
      'openssl x509 -req -in server.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 2 -extfile san.ext -out server.crt',
      'chmod 644 ./*',
    ].join('\n');
  const made =
    (await runCommand('openssl', ['version'])).code === 0
      ? await runCommand('sh', ['-c', script(tls)], { timeoutMs: 60_000 })
      : await runCommand('docker', ['run', '--rm', '--entrypoint', 'sh', '-v', `${tls}:/tls`, 'postgres:15', '-c', script('/tls')], { timeoutMs: 60_000 });
  expect(made.code, made.stderr).toBe(0);
  return { dir: tls, ca: readFileSync(path.join(tls, 'ca.crt'), 'utf8') };
}

/**
 * A migrator's command that trusts `ca` (NODE_EXTRA_CA_CERTS, read when node starts): the PEM comes
 * in the environment and is written to a file first, so that no bind mount is needed.
 */
export function trusting(ca: string, command: string[]): { command: string[]; env: Record<string, string> } {
  return {
    command: ['sh', '-c', 'printf "%s" "$TEST_CA_PEM" > /tmp/test-ca.crt && exec "$@"', 'sh', ...command],
    env: { TEST_CA_PEM: ca, NODE_EXTRA_CA_CERTS: '/tmp/test-ca.crt' },
  };
}

/** A compose override giving the backend network an IPv6 subnet of its own (IPv4 stays). */
export function ipv6Override(network = 'backend'): Record<string, unknown> {
  const subnet = `fd00:${randomBytes(2).toString('hex')}:${randomBytes(2).toString('hex')}::/64`;
  return { networks: { [network]: { enable_ipv6: true, ipam: { config: [{ subnet }] } } } };
}

/** The IPv6 address of a service's (first) container. */
export async function ipv6Address(project: ComposeProject, service: string): Promise<string> {
  const id = (await project.run(['ps', '--quiet', service])).stdout.trim().split('\n')[0]!;
  const inspected = await runCommand('docker', ['inspect', '--format', '{{range .NetworkSettings.Networks}}{{.GlobalIPv6Address}} {{end}}', id]);
  const address = inspected.stdout.trim().split(/\s+/).find(Boolean);
  expect(address, `no IPv6 address on ${service}`).toMatch(/:/);
  return address!;
}

/** Writes a file into the project (a compose override, a pg_hba.conf). */
export function writeInto(dir: string, file: string, text: string): void {
  mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
  writeFileSync(path.join(dir, file), text);
}

/** The container id of a compose service's one container. */
export async function containerOf(project: ComposeProject, service: string): Promise<string> {
  const listed = await project.run(['ps', '--all', '--quiet', service]);
  const id = listed.stdout.trim().split('\n')[0];
  expect(id, `no container for ${service}`).toBeTruthy();
  return id!;
}

/** A variable of the project's .env (what compose interpolates: credentials). */
export function envValue(dir: string, name: string): string {
  const line = readFileSync(path.join(dir, '.env'), 'utf8')
    .split('\n')
    .find((each) => each.startsWith(`${name}=`));
  expect(line, `${name} in .env`).toBeDefined();
  return line!.slice(name.length + 1);
}
