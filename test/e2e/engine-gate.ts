/**
 * Global setup of the e2e layer: is there a Docker engine, Compose v2 and shellcheck?
 * In CI (CI set) their absence fails the run; elsewhere the e2e tests are skipped with a loud
 * notice saying how to get them.
 */
import type { TestProject } from 'vitest/node';
import { runCommand } from '../../src/verify/compose.js';
import { Engine } from '../../src/verify/engine.js';

declare module 'vitest' {
  export interface ProvidedContext {
    dockerLab: boolean;
  }
}

export default async function engineGate(project: TestProject): Promise<void> {
  const missing: string[] = [];
  if (!(await new Engine().available())) missing.push('a Docker engine (DOCKER_HOST or /var/run/docker.sock)');
  if ((await runCommand('docker', ['compose', 'version'])).code !== 0) missing.push('Docker Compose v2 (docker compose)');
  if ((await runCommand('shellcheck', ['--version'])).code !== 0) missing.push('shellcheck');

  if (missing.length > 0) {
    const message = `end-to-end tests need ${missing.join(', ')}: run ../shared/docker-lab/provision (as root) from the project root`;
    if (process.env.CI) throw new Error(`CI: ${message}`);
    const bar = '!'.repeat(100);
    console.warn(`\n${bar}\n!! SKIPPING THE END-TO-END TESTS: ${message}\n${bar}\n`);
  }
  project.provide('dockerLab', missing.length === 0);
}
