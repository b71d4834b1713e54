import type { DatabaseAdapter, DatabaseStack } from '../adapters/types.js';
import { UserError } from '../errors.js';
import type { SwarmPlan, SwarmSecret } from './types.js';

/**
 * The Swarm stack's decisions: secrets (versioned names, read through *_FILE), the database's
 * environment for a stack deployed from a shell, and how deploy-swarm.sh builds the URL secret.
 */

/** Replicas of the app in the Swarm stack (override with APP_REPLICAS when deploying). */
export const SWARM_REPLICAS = 3;
/** The migrate job's runs before the deploy gives up: the first and two restarts. */
const SWARM_JOB_ATTEMPTS = 3;

export function swarmPlan(name: string, database: DatabaseAdapter, stack: DatabaseStack, connectionUrl: string): SwarmPlan {
  if (database.kind !== 'server') throw new UserError('--swarm: a Swarm stack needs a database server, not SQLite');
  const secret = (key: string): SwarmSecret => {
    const upper = key.toUpperCase();
    return { key, name: `${name}-${key.replace(/_/g, '-')}-v1`, nameVariable: `${upper}_SECRET`, valueVariable: upper };
  };
  const secretVariables = stack.secretVariables ?? {};
  const defaults = Object.fromEntries(stack.envExample.map((entry) => [entry.key, entry.value]));
  const databaseEnvironment: Record<string, string> = {};
  for (const [variable, value] of Object.entries(stack.serviceEnvironment)) {
    if (secretVariables[variable]) continue;
    // `${X:?…}` (compose reads .env) becomes `${X:-default}`: a stack is deployed from a shell.
    databaseEnvironment[variable] = value.startsWith(`\${${variable}:?`) ? `\${${variable}:-${defaults[variable] ?? ''}}` : value;
  }
  const urlAssignments = [...connectionUrl.matchAll(/\$\{(\w+)\}/g)].map(([, variable]) => {
    const secretKey = secretVariables[variable!];
    return { variable: variable!, value: secretKey ? `$${secretKey.toUpperCase()}` : `\${${variable}:-${defaults[variable!] ?? ''}}` };
  });
  return {
    stackName: name,
    databaseNodeLabel: `${name}.db`,
    replicas: SWARM_REPLICAS,
    jobAttempts: SWARM_JOB_ATTEMPTS,
    databaseSecrets: Object.entries(secretVariables).map(([environment, key]) => ({ ...secret(key), environment })),
    databaseEnvironment,
    urlSecret: secret('database_url'),
    urlAssignments,
  };
}
