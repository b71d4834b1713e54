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
 * The app's environment: the connection, and each variable its code reads that the stack doesn't
 * set, without a value, which compose and docker stack fill from .env / the shell when it is set
 * there (and leave unset otherwise, unlike an empty string).
 */
export function appEnvironment(plan: Plan, connection: Record<string, string>): Record<string, string | null> {
  return { ...connection, ...Object.fromEntries(plan.app.passThrough.map((name) => [name, null])) };
}

/** The app's port on the host: APP_PORT, by default the container's. */
export function publishedPort(plan: Plan): string {
  return `\${APP_PORT:-${plan.app.port}}:${plan.app.port}`;
}
