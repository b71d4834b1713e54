import { SERVICE, type Plan } from '../plan/index.js';
import { composeSchemaErrors } from './compose-schema.js';
import { appHealthcheck, BACKEND_NETWORK, databaseHealthcheck, projectEnvironment, publishedPort } from './services.js';
import { toYaml } from './yaml.js';

/** compose.yaml as a plain object: db (healthy) → migrate (exit 0) → app. */
export function composeObject(plan: Plan): Record<string, unknown> {
  const { database } = plan;
  const server = database.kind === 'server';
  // A server's URL is built by the entrypoint from its parts, percent-encoded (compose can't encode).
  const connection =
    database.urlParts.length > 0
      ? Object.fromEntries(database.urlParts.map((variable) => [variable, `\${${variable}}`]))
      : { [database.urlVariable]: database.connectionUrl };
  const sharedFile = server ? {} : { volumes: [`${database.volume}:${database.dataPath}`] };
  const networks = server ? { networks: [BACKEND_NETWORK] } : {};

  const services: Record<string, unknown> = {};
  if (server) {
    services[SERVICE.database] = {
      image: database.image,
      environment: database.serviceEnvironment,
      volumes: [`${database.volume}:${database.dataPath}`],
      healthcheck: databaseHealthcheck(plan),
      restart: 'unless-stopped',
      networks: [BACKEND_NETWORK],
    };
  }
  const gated = plan.strategy === 'compose';
  const backup = plan.backup;
  if (backup) {
    services[SERVICE.backup] = {
      image: database.image,
      entrypoint: ['sh', `/usr/local/bin/${backup.file}`],
      command: ['backup'],
      environment: backup.environment,
      volumes: ['backups:/backups', `./${backup.file}:/usr/local/bin/${backup.file}:ro`],
      depends_on: { [SERVICE.database]: { condition: 'service_healthy' } },
      // The pipeline backs up before it migrates: here, only on demand.
      ...(plan.strategy === 'ci' ? { profiles: [SERVICE.migrate] } : {}),
      restart: 'no',
      networks: [BACKEND_NETWORK],
    };
  }
  // Whoever migrates first (migrate, or the app under the entrypoint strategy) waits for the backup.
  const afterBackup = backup && plan.strategy !== 'ci' ? { [SERVICE.backup]: { condition: 'service_completed_successfully' } } : {};
  services[SERVICE.migrate] = {
    build: build(plan, 'migrate'),
    // Not started by `up`: run it on demand with `docker compose run --rm migrate`.
    ...(gated ? {} : { profiles: [SERVICE.migrate] }),
    environment: projectEnvironment(plan, connection, { requireLoudly: true }),
    ...sharedFile,
    ...(server ? { depends_on: { [SERVICE.database]: { condition: 'service_healthy' }, ...(gated ? afterBackup : {}) } } : {}),
    // A restart policy would race compose's completion check: a one-shot never restarts.
    restart: 'no',
    ...networks,
  };
  services[SERVICE.app] = {
    build: build(plan, 'runtime'),
    environment: projectEnvironment(plan, connection, { requireLoudly: true }),
    ...sharedFile,
    ports: [publishedPort(plan)],
    ...(gated || server
      ? {
          depends_on: {
            ...(server ? { [SERVICE.database]: { condition: 'service_healthy' } } : {}),
            ...(plan.strategy === 'entrypoint' ? afterBackup : {}),
            ...(gated ? { [SERVICE.migrate]: { condition: 'service_completed_successfully' } } : {}),
          },
        }
      : {}),
    healthcheck: appHealthcheck(plan),
    restart: 'unless-stopped',
    ...(server ? { networks: [BACKEND_NETWORK, 'default'] } : {}),
  };

  return {
    services,
    volumes: { [database.volume]: {}, ...(backup ? { backups: {} } : {}) },
    ...(server ? { networks: { [BACKEND_NETWORK]: { internal: true } } } : {}),
    ...(plan.buildSecrets.length > 0 ? { secrets: Object.fromEntries(plan.buildSecrets.map((secret) => [secret.id, { file: `./${secret.file}` }])) } : {}),
  };
}

/** A build's secrets (.npmrc): the installs mount them, no image holds them. */
function buildSecrets(plan: Plan): { secrets?: string[] } {
  return plan.buildSecrets.length > 0 ? { secrets: plan.buildSecrets.map((secret) => secret.id) } : {};
}

/** `docker build`'s --secret options for the build secrets (.npmrc). */
export function secretOptions(plan: Plan): string {
  return plan.buildSecrets.map((secret) => ` --secret id=${secret.id},src=${secret.file}`).join('');
}

/**
 * A service's build: the project as context (a workspace's root, for one of its apps), one target
 * of the generated Dockerfile (named, relative to the context, when it isn't the default).
 */
function build(plan: Plan, target: 'migrate' | 'runtime'): Record<string, unknown> {
  const context = plan.workspace?.context ?? '.';
  const dockerfile = plan.workspace?.dockerfile ?? plan.docker.file;
  return { context, ...(dockerfile === 'Dockerfile' ? {} : { dockerfile }), target, ...buildSecrets(plan) };
}

/** `docker build` of a target of the generated Dockerfile (-f when it isn't the default), from where the files are. */
export function dockerBuild(plan: Plan, target: 'migrate' | 'runtime', tag: string): string {
  const context = plan.workspace?.context ?? '.';
  const named = plan.docker.file !== 'Dockerfile' || context !== '.';
  return `docker build${named ? ` -f ${plan.docker.file}` : ''}${secretOptions(plan)} --target ${target} -t ${tag} ${context}`;
}

/** The header: how to start, and in which order things happen under the chosen strategy. */
function header(plan: Plan): string {
  const db = plan.database.kind === 'server' ? 'db (healthy) -> ' : '';
  const lines = ['Generated by create-migrating-stack from migrating-stack.json.', 'Start:  cp .env.example .env && docker compose up --wait'];
  if (plan.strategy === 'compose') {
    lines.push(
      `Order:  ${db}migrate (applies pending migrations, must exit 0) -> app.`,
      'A failed migration stops the rollout: `up` exits non-zero and app is never started.',
    );
  } else if (plan.strategy === 'entrypoint') {
    lines.push(
      `Order:  ${db}app; each app container migrates (under a lock) before it starts.`,
      'A failed migration stops that container; replicas take turns on the lock.',
    );
  } else {
    lines.push(
      `Order:  ${db}app. Migrations run in CI, from the same image, before the deploy:`,
      `  ${dockerBuild(plan, 'migrate', '<image>-migrate')} && docker run --rm -e ${plan.database.urlVariable} <image>-migrate`,
      'Locally: docker compose run --rm migrate',
    );
  }
  return lines.join('\n');
}

export function renderCompose(plan: Plan): string {
  const server = plan.database.kind === 'server';
  const gated = plan.strategy === 'compose';
  const lock = plan.migration.runner ? 'docker-migrate.mjs holds a database lock around the tool, so concurrent runs take turns.' : plan.migration.lockNote;
  const comments: Record<string, string> = {
    '': header(plan),
    [`services.${SERVICE.migrate}`]: gated
      ? `One-shot from the image's migrate target; runs on every \`up\` (nothing pending = no-op).\n${lock}`
      : `The migrate target, on demand: docker compose run --rm migrate\n${lock}`,
  };
  if (gated) comments[`services.${SERVICE.app}.depends_on`] = 'Starts only once migrate has exited 0.';
  const built =
    plan.database.urlParts.length > 0
      ? `The entrypoint builds ${plan.database.urlVariable} from ${plan.database.urlParts.join(', ')}, percent-encoded: any password works.`
      : undefined;
  const passed =
    plan.app.passed.length > 0 ? "Your project's variables: without a value, taken from .env when set there; ${X:?…} ones its env schema requires." : undefined;
  if (built || passed) comments[`services.${SERVICE.app}.environment`] = [built, passed].filter(Boolean).join('\n');
  if (plan.buildSecrets.length > 0) {
    comments.secrets = `Build secrets: the installs read ${plan.buildSecrets.map((secret) => secret.file).join(', ')} (a registry token) without copying it into any image.`;
  }
  if (server) {
    comments[`services.${SERVICE.database}`] = `${plan.database.label}: reachable only on the internal "${BACKEND_NETWORK}" network, no published port.`;
  } else {
    comments[`services.${SERVICE.migrate}.volumes`] = 'The SQLite file lives on a volume shared with app.';
  }
  const flowLists = [SERVICE.migrate, SERVICE.app].flatMap((service) => [`services.${service}.networks`, `services.${service}.build.secrets`]);
  if (!gated) flowLists.push(`services.${SERVICE.migrate}.profiles`);
  if (server) flowLists.push(`services.${SERVICE.database}.networks`, `services.${SERVICE.database}.healthcheck.test`);
  if (plan.backup) {
    comments[`services.${SERVICE.backup}`] =
      `Dumps the database into the "backups" volume before migrations run.\nRestore: docker compose run --rm backup restore [file]  (list: docker compose run --rm backup list)`;
    flowLists.push(`services.${SERVICE.backup}.entrypoint`, `services.${SERVICE.backup}.command`, `services.${SERVICE.backup}.networks`);
  }
  const compose = composeObject(plan);
  const problems = composeSchemaErrors(compose);
  // Generated output that breaks the Compose schema is our bug, never the user's.
  if (problems.length > 0) throw new Error(`generated compose.yaml is invalid: ${problems.join('; ')}`);
  return toYaml(compose, {
    comments,
    flow: [...flowLists, `services.${SERVICE.app}.healthcheck.test`],
    quoted: [`services.${SERVICE.app}.ports`],
  });
}
