/**
 * render: plan → files. Text files come from ejs templates in templates/; YAML is built as
 * objects and serialised with the yaml library.
 */
import type { Plan } from '../plan/index.js';
import { renderCiFiles } from './ci.js';
import { renderCompose } from './compose.js';
import { renderEnvExample } from './env-example.js';
import type { GeneratedFile } from './generated-file.js';
import { assertRenderable } from './safety.js';
import { renderStack } from './stack.js';
import { renderTemplate } from './template.js';

export type { GeneratedFile } from './generated-file.js';

export function renderFiles(plan: Plan): GeneratedFile[] {
  // The project's values, checked against the syntax of each file they land in.
  assertRenderable(plan);
  return [
    { path: plan.docker.file, content: renderTemplate('Dockerfile', plan) },
    { path: plan.docker.ignoreFile, content: renderTemplate('dockerignore', plan) },
    { path: 'docker-entrypoint.sh', content: renderTemplate('docker-entrypoint.sh', plan), executable: true },
    ...(plan.migration.runner ? [{ path: plan.migration.runner.file, content: renderTemplate('docker-migrate.mjs', plan) }] : []),
    ...(plan.backup ? [{ path: plan.backup.file, content: renderTemplate('docker-backup.sh', plan), executable: true }] : []),
    { path: 'compose.yaml', content: renderCompose(plan) },
    { path: '.env.example', content: renderEnvExample(plan), sharedWithUser: true },
    ...(plan.swarm
      ? [
          { path: 'stack.yaml', content: renderStack(plan, plan.swarm) },
          { path: 'deploy-swarm.sh', content: renderTemplate('deploy-swarm.sh', plan), executable: true },
        ]
      : []),
    ...renderCiFiles(plan),
  ];
}
