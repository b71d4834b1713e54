/**
 * The parts compose.yaml and stack.yaml share, so that the two files describe the same services.
 */
import type { Plan } from '../plan/index.js';
import type { HealthcheckTimings } from '../plan/types.js';

/** The network only the database, migrate and app are on. */
export const BACKEND_NETWORK = 'backend';

function healthcheck(test: string[] | undefined, timings: HealthcheckTimings): Record<string, unknown> {
  return { test, interval: timings.interval, timeout: timings.timeout, retries: timings.retries, start_period: timings.startPeriod };
}

export function databaseHealthcheck(plan: Plan): Record<string, unknown> {
  return healthcheck(plan.database.healthcheck, plan.healthchecks.database);
}

export function appHealthcheck(plan: Plan): Record<string, unknown> {
  return healthcheck(['CMD', ...plan.app.healthcheck], plan.healthchecks.app);
}

/**
 * The environment of app and migrate: the connection, and each variable of the project the stack
 * doesn't set. Without a value, compose and docker stack fill it from .env / the shell when it is
 * set there (and leave it unset otherwise, unlike an empty string); one the project's env schema
 * requires is `${X:?…}` in compose.yaml, so that `up` refuses to start without it.
 */
export function projectEnvironment(
  plan: Plan,
  connection: Record<string, string | null>,
  { requireLoudly }: { requireLoudly: boolean },
): Record<string, string | null> {
  const passed = plan.app.passed.map(({ name, required }): [string, string | null] => [
    name,
    required && requireLoudly ? `\${${name}:?set ${name} in .env (see .env.example)}` : null,
  ]);
  const type = plan.database.typeVariable;
  return { ...connection, ...Object.fromEntries(passed), ...(type ? { [type.name]: type.value } : {}) };
}

/** The app's port on the host: the host-port variable, by default the container's port. */
export function publishedPort(plan: Plan): string {
  return `\${${plan.app.hostPortVariable}:-${plan.app.port}}:${plan.app.port}`;
}
