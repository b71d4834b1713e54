/**
 * The CI pipeline (--ci): a GitHub Actions workflow or a GitLab CI job set, and compose.ci.yaml,
 * which both use to run compose.yaml with the images the pipeline built. Built as objects and
 * serialised with the yaml library; the shell steps are the same text on both platforms.
 *
 *   drift gate ─▶ build once ─▶ test the stack ─▶ [backup ─▶ migrate] ─▶ push ─▶ deploy
 *   (pull/merge requests: the first three only)
 */
import { secretOptions } from './compose.js';
import { CI_FILES, GENERATED_MARK } from '../plan/ci.js';
import { SERVICE, type CiPlan, type CiVariable, type Plan } from '../plan/index.js';
import type { GeneratedFile } from './generated-file.js';
import { toYaml } from './yaml.js';

/** Official actions, by major version (actionlint checks their inputs). */
const ACTIONS = {
  checkout: 'actions/checkout@v4',
  setupNode: 'actions/setup-node@v4',
  setupBuildx: 'docker/setup-buildx-action@v3',
  buildPush: 'docker/build-push-action@v6',
  login: 'docker/login-action@v3',
  upload: 'actions/upload-artifact@v4',
  download: 'actions/download-artifact@v4',
} as const;

/** Docker images of the GitLab jobs: the CLI (with compose and buildx) and a Docker-in-Docker engine. */
const GITLAB_DOCKER = { image: 'docker:27-cli', service: 'docker:27-dind' } as const;
const GITLAB_TEMPLATE = '.stack-docker';
const IMAGES_ARCHIVE = 'images.tar';
const BACKUPS_DIR = 'backups';
/** Days the pipeline's backups are kept as artifacts. */
const BACKUP_RETENTION_DAYS = 30;

export function renderCiFiles(plan: Plan): GeneratedFile[] {
  const ci = plan.ci;
  if (!ci) return [];
  const images = { path: CI_FILES.composeImages, content: renderComposeImages(plan) };
  if (ci.platform === 'github') return [{ path: ci.workflowFile, content: renderGithubWorkflow(plan, ci) }, images];
  return [
    ...(ci.gitlabOwnPipeline ? [] : [{ path: CI_FILES.gitlabEntry, content: renderGitlabEntry(plan, ci) }]),
    { path: CI_FILES.gitlabJobs, content: renderGitlabJobs(plan, ci) },
    images,
  ];
}

// ---------------------------------------------------------------------------------------------
// compose.ci.yaml

function renderComposeImages(plan: Plan): string {
  const required = (suffix: string) => `\${IMAGE:?set IMAGE to the image the pipeline built}${suffix}`;
  return toYaml(
    { services: { [SERVICE.migrate]: { image: required('-migrate') }, [SERVICE.app]: { image: required('') } } },
    {
      comments: {
        '': [
          `${GENERATED_MARK} from migrating-stack.json: compose.yaml with the images the CI pipeline`,
          'built (targets migrate and runtime) instead of building them, on the runner and on the deploy host:',
          `  IMAGE=registry.example.com/${plan.name}:<commit> docker compose -f compose.yaml -f ${CI_FILES.composeImages} up --wait --no-build`,
        ].join('\n'),
      },
    },
  );
}

// ---------------------------------------------------------------------------------------------
// Shell steps, the same on both platforms (POSIX sh: GitLab's docker image runs them in ash).

function composeArgs(project: string, envFile: string): string {
  return `-p ${project} --env-file ${envFile} -f compose.yaml -f ${CI_FILES.composeImages}`;
}

/** Build job: runs compose.yaml with the images just built, on the runner, until the app is healthy. */
function testScript(plan: Plan, ci: CiPlan): string {
  const compose = `docker compose ${composeArgs(ci.testName, '.env.example')}`;
  const health = plan.app.healthPath ? `its healthcheck asks ${plan.app.healthPath}` : 'its healthcheck asks /';
  return lines(
    `# The images just built, with .env.example's settings: up --wait returns once app is healthy (${health}).`,
    ...(ci.migrates
      ? ['# The ci strategy: the stack does not migrate, the pipeline does (as the deploy job will).', `${compose} run --rm ${SERVICE.migrate}`]
      : []),
    `${compose} up --detach --wait --no-build`,
    `${compose} ps`,
  );
}

function testCleanup(ci: CiPlan): string {
  return `docker compose ${composeArgs(ci.testName, '.env.example')} down --volumes --remove-orphans`;
}

function backupScript(plan: Plan, ci: CiPlan): string {
  const backup = ci.backup!;
  const env = backup.variables.map((name) => `-e ${name}`).join(' ');
  return lines(
    `# docker-backup.sh in the database's own image (${backup.image}), against the target database.`,
    `# The dump is kept as an artifact of this job for ${BACKUP_RETENTION_DAYS} days: copy it somewhere safer too.`,
    'backup=stack-backup-$$',
    `docker create --name "$backup" --network "\${MIGRATE_NETWORK:-host}" ${env} -v /backups --entrypoint sh ${backup.image} /usr/local/bin/${backup.file} backup >/dev/null`,
    `docker cp ${backup.file} "$backup:/usr/local/bin/${backup.file}"`,
    'status=0',
    'docker start --attach "$backup" || status=$?',
    `mkdir -p ${BACKUPS_DIR} && docker cp "$backup:/backups/." ${BACKUPS_DIR}/ || true`,
    'docker rm --volumes "$backup" >/dev/null',
    'test "$status" -eq 0',
  );
}

function migrateScript(plan: Plan): string {
  const variable = plan.database.urlVariable;
  return lines(
    `# The migrate image built above, under docker-migrate.mjs's lock, against the target database. ${variable} is passed`,
    '# by name from the secret store (never on the command line); a failed migration fails this step, and nothing is pushed or deployed.',
    `docker run --rm --init --network "\${MIGRATE_NETWORK:-host}" -e ${variable} "$IMAGE-migrate"`,
  );
}

function pushScript(): string {
  return lines('docker push "$IMAGE-migrate"', 'docker push "$IMAGE"');
}

/** Points docker at DEPLOY_HOST; for ssh://, loads the key into an agent (never into a file or the log). */
function deployHostScript(platform: 'github' | 'gitlab'): string {
  const key =
    platform === 'github'
      ? 'printf \'%s\\n\' "${DEPLOY_SSH_KEY:?set the secret DEPLOY_SSH_KEY to the private key that logs in to $DEPLOY_HOST}" | ssh-add - 2>/dev/null'
      : 'ssh-add - <"${DEPLOY_SSH_KEY:?set the File variable DEPLOY_SSH_KEY to the private key that logs in to $DEPLOY_HOST}" 2>/dev/null';
  return [
    ': "${DEPLOY_HOST:?set the CI variable DEPLOY_HOST to the engine to deploy to, e.g. ssh://deploy@host.example.com}"',
    'case $DEPLOY_HOST in',
    '  ssh://*)',
    '    command -v ssh-agent >/dev/null || apk add --no-cache openssh-client >/dev/null',
    '    eval "$(ssh-agent -s)" >/dev/null',
    `    ${key}`,
    '    mkdir -p ~/.ssh && printf \'%s\\n\' "${DEPLOY_KNOWN_HOSTS:?set DEPLOY_KNOWN_HOSTS to the output of ssh-keyscan for the host}" >>~/.ssh/known_hosts',
    '    ;;',
    'esac',
    'export DOCKER_HOST="$DEPLOY_HOST"',
  ].join('\n');
}

/** `envFile`: the line that sets env_file to the path of the deploy host's .env (compose). */
function deployScript(ci: CiPlan, envFile: string): string {
  if (ci.deploy === 'swarm') {
    return lines(
      deployHostScript(ci.platform),
      '# deploy-swarm.sh runs the migrate job from "$IMAGE-migrate" and waits for it, then rolls the app out to "$IMAGE".',
      `./deploy-swarm.sh ${ci.deployName}`,
    );
  }
  const compose = `docker compose ${composeArgs(ci.deployName, '"$env_file"')}`;
  const bound = ci.boundFiles.map((file) => `  ssh "\${DEPLOY_HOST#ssh://}" "mkdir -p '$PWD' && cat >'$PWD/${file}'" <${file}`);
  return lines(
    "# The deploy host's settings (compose.yaml's variables), from the secret store.",
    envFile,
    deployHostScript(ci.platform),
    ...(bound.length > 0
      ? [
          '# compose bind-mounts these from the project directory: a remote engine needs them at the same path.',
          'case $DEPLOY_HOST in ssh://*)',
          ...bound,
          'esac',
        ]
      : []),
    `if [ "\${PUSH_IMAGES:-true}" != false ]; then ${compose} pull ${ci.pulledServices.join(' ')}; fi`,
    `${compose} up --detach --wait --no-build --remove-orphans`,
  );
}

function migrationNote(plan: Plan, ci: CiPlan): string {
  if (ci.migrates) return 'Migrations: this pipeline runs them (the ci strategy), from the migrate image it built, before it pushes or deploys.';
  const where =
    ci.deploy === 'swarm'
      ? 'deploy-swarm.sh runs the migrate job before the rollout'
      : plan.strategy === 'compose'
        ? "compose.yaml's migrate one-shot runs before app starts"
        : 'each app container migrates in its entrypoint before it starts';
  return `Migrations: left to the stack (the ${plan.strategy} strategy): ${where}. The pipeline doesn't migrate.`;
}

function lines(...text: string[]): string {
  return `${text.filter((line) => line !== '').join('\n')}\n`;
}

function variablesHelp(ci: CiPlan, platform: 'github' | 'gitlab'): string[] {
  const width = Math.max(...ci.variables.map((variable) => variable.name.length));
  const kind = (variable: CiVariable) =>
    platform === 'github' ? (variable.secret ? 'secret' : 'variable') : variable.file ? 'file, protected' : variable.secret ? 'masked, protected' : 'variable';
  return ci.variables.map(
    (variable) => `  ${variable.name.padEnd(width)}  (${kind(variable)}${variable.optional ? ', optional' : ''}) ${variable.description}`,
  );
}

function header(plan: Plan, ci: CiPlan, platform: 'github' | 'gitlab', howToSet: string): string {
  return [
    `${GENERATED_MARK} ${ci.toolVersion} from migrating-stack.json: the CI pipeline (${platform === 'github' ? 'GitHub Actions' : 'GitLab CI'}).`,
    'Pull/merge requests: drift gate (create-migrating-stack --check), build once, test the stack.',
    `Default branch, also: ${ci.migrates ? `${ci.backup ? 'back up and ' : ''}migrate the target database, then ` : ''}push the images and deploy (${ci.deploy === 'swarm' ? 'deploy-swarm.sh' : 'docker compose'} on DEPLOY_HOST), in the environment "production".`,
    migrationNote(plan, ci),
    `${howToSet}; values are never written here:`,
    ...variablesHelp(ci, platform),
  ].join('\n');
}

// ---------------------------------------------------------------------------------------------
// GitHub Actions

const ON_DEFAULT_BRANCH = "github.event_name == 'push' && github.ref_name == github.event.repository.default_branch";
const SET_IMAGE = { name: 'Image name (GHCR, tagged by commit)', run: 'echo "IMAGE=ghcr.io/${GITHUB_REPOSITORY,,}:${GITHUB_SHA}" >>"$GITHUB_ENV"\n' };

function buildStep(plan: Plan, target: string, tag: string): Record<string, unknown> {
  return {
    name: `Build the ${target} target`,
    uses: ACTIONS.buildPush,
    with: {
      context: plan.workspace?.context ?? '.',
      ...(plan.docker.file !== 'Dockerfile' ? { file: plan.docker.file } : {}),
      // The project's .npmrc reaches the install steps as a BuildKit secret, never as a layer.
      ...(plan.buildSecrets.length > 0 ? { 'secret-files': plan.buildSecrets.map((secret) => `${secret.id}=${secret.file}`).join('\n') } : {}),
      target,
      tags: tag,
      load: true,
      'cache-from': `type=gha,scope=${target}`,
      'cache-to': `type=gha,scope=${target},mode=max`,
    },
  };
}

function renderGithubWorkflow(plan: Plan, ci: CiPlan): string {
  const secret = (name: string) => `\${{ secrets.${name} }}`;
  const setting = (name: string) => `\${{ vars.${name} }}`;
  const deployEnv: Record<string, string> = { DEPLOY_SSH_KEY: secret('DEPLOY_SSH_KEY'), DEPLOY_KNOWN_HOSTS: setting('DEPLOY_KNOWN_HOSTS') };
  if (ci.deploy === 'compose') deployEnv.DEPLOY_ENV_FILE = secret('DEPLOY_ENV_FILE');
  for (const variable of ci.variables.filter((candidate) => candidate.optional && candidate.secret && candidate.name !== 'DEPLOY_SSH_KEY')) {
    deployEnv[variable.name] = secret(variable.name);
  }
  const deployRun = deployScript(
    ci,
    `env_file="$RUNNER_TEMP/deploy.env" && printf '%s\\n' "\${DEPLOY_ENV_FILE:?set the secret DEPLOY_ENV_FILE to the .env of the deploy host (see .env.example)}" >"$env_file"`,
  );

  const workflow = {
    name: 'deploy',
    on: { push: null, pull_request: null },
    permissions: { contents: 'read' },
    jobs: {
      check: {
        name: 'Generated files are current',
        'runs-on': 'ubuntu-latest',
        steps: [
          { uses: ACTIONS.checkout },
          { uses: ACTIONS.setupNode, with: { 'node-version': ci.toolNode } },
          { name: 'Drift gate', run: `npx --yes create-migrating-stack@${ci.toolVersion} --check\n` },
        ],
      },
      build: {
        name: 'Build and test',
        needs: 'check',
        'runs-on': 'ubuntu-latest',
        steps: [
          { uses: ACTIONS.checkout },
          SET_IMAGE,
          { uses: ACTIONS.setupBuildx },
          buildStep(plan, 'migrate', '${{ env.IMAGE }}-migrate'),
          buildStep(plan, 'runtime', '${{ env.IMAGE }}'),
          { name: 'Test the stack', run: testScript(plan, ci) },
          { name: 'Remove the test stack', if: 'always()', run: `${testCleanup(ci)}\n` },
          { name: 'Save the images for the deploy job', if: ON_DEFAULT_BRANCH, run: `docker save -o ${IMAGES_ARCHIVE} "$IMAGE" "$IMAGE-migrate"\n` },
          { uses: ACTIONS.upload, if: ON_DEFAULT_BRANCH, with: { name: 'images', path: IMAGES_ARCHIVE, 'retention-days': 1 } },
        ],
      },
      deploy: {
        name: 'Deploy',
        needs: 'build',
        if: ON_DEFAULT_BRANCH,
        'runs-on': 'ubuntu-latest',
        environment: 'production',
        // One deploy at a time, in order; never cancel one half-way.
        concurrency: { group: 'deploy-production', 'cancel-in-progress': false },
        permissions: { contents: 'read', packages: 'write' },
        env: {
          DEPLOY_HOST: setting('DEPLOY_HOST'),
          PUSH_IMAGES: setting('PUSH_IMAGES'),
          ...(ci.migrates ? { MIGRATE_NETWORK: setting('MIGRATE_NETWORK') } : {}),
        },
        steps: [
          { uses: ACTIONS.checkout },
          SET_IMAGE,
          { uses: ACTIONS.download, with: { name: 'images' } },
          { name: 'Load the images the build job built', run: `docker load -i ${IMAGES_ARCHIVE}\n` },
          ...(ci.backup
            ? [
                {
                  name: 'Back up the database',
                  env: Object.fromEntries(ci.backup.variables.map((name) => [name, secret(name)])),
                  run: backupScript(plan, ci),
                },
                {
                  uses: ACTIONS.upload,
                  if: 'always()',
                  with: { name: 'backup-${{ github.sha }}', path: `${BACKUPS_DIR}/`, 'retention-days': BACKUP_RETENTION_DAYS, 'if-no-files-found': 'ignore' },
                },
              ]
            : []),
          ...(ci.migrates ? [{ name: 'Migrate', env: { [plan.database.urlVariable]: secret(plan.database.urlVariable) }, run: migrateScript(plan) }] : []),
          {
            uses: ACTIONS.login,
            if: "vars.PUSH_IMAGES != 'false'",
            with: { registry: 'ghcr.io', username: '${{ github.actor }}', password: '${{ secrets.GITHUB_TOKEN }}' },
          },
          { name: 'Push', if: "vars.PUSH_IMAGES != 'false'", run: pushScript() },
          { name: `Deploy with ${ci.deploy === 'swarm' ? 'deploy-swarm.sh' : 'docker compose'}`, env: deployEnv, run: deployRun },
        ],
      },
    },
  };
  return toYaml(workflow, {
    comments: {
      '': header(plan, ci, 'github', 'Set in Settings > Environments > production (add required reviewers for approvals)'),
      'jobs.deploy': migrationNote(plan, ci),
    },
  });
}

// ---------------------------------------------------------------------------------------------
// GitLab CI

const GITLAB_ON_REVIEW = [{ if: '$CI_PIPELINE_SOURCE == "merge_request_event"' }, { if: '$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH' }];
const GITLAB_ON_DEFAULT_BRANCH = [{ if: '$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH' }];
const GITLAB_LOGIN = 'printf \'%s\' "$CI_REGISTRY_PASSWORD" | docker login --username "$CI_REGISTRY_USER" --password-stdin "$CI_REGISTRY"';

function renderGitlabEntry(plan: Plan, ci: CiPlan): string {
  return toYaml(
    { include: [{ local: CI_FILES.gitlabJobs }] },
    {
      comments: {
        '': [
          `${GENERATED_MARK} ${ci.toolVersion} from migrating-stack.json (${plan.name}): the pipeline is in ${CI_FILES.gitlabJobs}.`,
          'Your own jobs can go in a pipeline of your own that includes it instead (the generator then leaves this file alone).',
        ].join('\n'),
      },
    },
  );
}

function gitlabBuildScript(plan: Plan): string {
  // -f when the Dockerfile isn't the default; the project's .npmrc as a BuildKit secret, never a layer.
  const options = `${plan.docker.file !== 'Dockerfile' ? ` -f ${plan.docker.file}` : ''}${secretOptions(plan)}`;
  const context = plan.workspace?.context ?? '.';
  return lines(
    '# BUILD_CACHE: the registry repository holding the layer cache; none: a plain docker build, without a cache.',
    'cached=true',
    'case ${BUILD_CACHE:-none} in none) cached=false ;; esac',
    'build() { # target tag',
    '  if $cached; then',
    `    docker buildx build --load --cache-from "type=registry,ref=$BUILD_CACHE:$1" --cache-to "type=registry,ref=$BUILD_CACHE:$1,mode=max"${options} --target "$1" -t "$2" ${context}`,
    '  else',
    `    docker build${options} --target "$1" -t "$2" ${context}`,
    '  fi',
    '}',
    `if $cached; then ${GITLAB_LOGIN} && docker buildx create --use --driver docker-container >/dev/null; fi`,
    'build migrate "$IMAGE-migrate"',
    'build runtime "$IMAGE"',
  );
}

function renderGitlabJobs(plan: Plan, ci: CiPlan): string {
  const docker = { extends: GITLAB_TEMPLATE };
  const deployNeeds = ci.migrates ? ['stack:build', 'stack:migrate'] : ['stack:build'];
  const jobs: Record<string, unknown> = {
    [GITLAB_TEMPLATE]: {
      image: GITLAB_DOCKER.image,
      services: [GITLAB_DOCKER.service],
      variables: { DOCKER_TLS_CERTDIR: '/certs', IMAGE: '$CI_REGISTRY_IMAGE:$CI_COMMIT_SHA' },
    },
    'stack:drift-gate': {
      stage: '.pre',
      image: `node:${ci.toolNode}-bookworm-slim`,
      rules: GITLAB_ON_REVIEW,
      script: [`npx --yes create-migrating-stack@${ci.toolVersion} --check`],
    },
    'stack:build': {
      ...docker,
      stage: 'build',
      rules: GITLAB_ON_REVIEW,
      variables: { BUILD_CACHE: '$CI_REGISTRY_IMAGE/cache' },
      script: [
        gitlabBuildScript(plan),
        testScript(plan, ci),
        `if [ "$CI_COMMIT_BRANCH" = "$CI_DEFAULT_BRANCH" ]; then docker save -o ${IMAGES_ARCHIVE} "$IMAGE" "$IMAGE-migrate"; fi`,
      ],
      after_script: [testCleanup(ci)],
      artifacts: { paths: [IMAGES_ARCHIVE], expire_in: '1 day' },
    },
  };
  if (ci.migrates) {
    jobs['stack:migrate'] = {
      ...docker,
      stage: 'deploy',
      needs: ['stack:build'],
      rules: GITLAB_ON_DEFAULT_BRANCH,
      environment: { name: 'production', action: 'prepare' },
      resource_group: 'production',
      script: [`docker load -i ${IMAGES_ARCHIVE}`, ...(ci.backup ? [backupScript(plan, ci)] : []), migrateScript(plan)],
      ...(ci.backup ? { artifacts: { when: 'always', paths: [`${BACKUPS_DIR}/`], expire_in: `${BACKUP_RETENTION_DAYS} days` } } : {}),
    };
  }
  jobs['stack:deploy'] = {
    ...docker,
    stage: 'deploy',
    needs: deployNeeds,
    rules: GITLAB_ON_DEFAULT_BRANCH,
    environment: { name: 'production' },
    resource_group: 'production',
    script: [
      `docker load -i ${IMAGES_ARCHIVE}`,
      `if [ "\${PUSH_IMAGES:-true}" != false ]; then ${GITLAB_LOGIN} && docker push "$IMAGE-migrate" && docker push "$IMAGE"; fi`,
      deployScript(ci, 'env_file="${DEPLOY_ENV_FILE:?set the File variable DEPLOY_ENV_FILE to the .env of the deploy host (see .env.example)}"'),
    ],
  };
  return toYaml(jobs, {
    comments: {
      '': header(plan, ci, 'gitlab', 'Set in Settings > CI/CD > Variables (protect the production environment for approvals)'),
      'stack:deploy': migrationNote(plan, ci),
    },
  });
}
