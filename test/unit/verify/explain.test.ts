import { describe, expect, it } from 'vitest';
import { explainBuild, explainService, lastMeaningful } from '../../../src/verify/explain.js';

/** What BuildKit prints (plain progress) when `npm ci` refuses the lockfile: measured on the lab engine. */
const NPM_CI_FAILURE = [
  '#8 [migrate deps 2/2] RUN --mount=type=cache,target=/root/.npm     npm ci',
  '#8 1.269 npm error code EUSAGE',
  '#8 1.269 npm error',
  '#8 1.269 npm error `npm ci` can only install packages when your package.json and package-lock.json or npm-shrinkwrap.json are in sync. Please update your lock file with `npm install` before continuing.',
  '#8 1.269 npm error',
  "#8 1.269 npm error Invalid: lock file's knex@3.3.0 does not satisfy knex@0.0.1",
  '#8 1.269 npm error Missing: generic-pool@2.0.4 from lock file',
  '#8 1.269 npm error',
  '#8 1.269 npm error Clean install a project',
  '#8 1.269 npm error Usage:',
  '#8 1.269 npm error npm ci',
  '#8 1.269 npm error Options:',
  '#8 1.269 npm error [--install-strategy <hoisted|nested|shallow|linked>] [--legacy-bundling]',
  '#8 1.269 npm error aliases: clean-install, ic, install-clean, isntall-clean',
  '#8 1.269 npm error Run "npm help ci" for more info',
  '#8 1.271 npm error A complete log of this run can be found in: /root/.npm/_logs/debug-0.log',
  '#8 ERROR: executor failed running [/bin/sh -c npm ci]: exit code: 1',
  '------',
  ' > [migrate deps 2/2] RUN --mount=type=cache,target=/root/.npm     npm ci:',
  '1.269 npm error aliases: clean-install, ic, install-clean, isntall-clean',
  '------',
  'failed to solve: executor failed running [/bin/sh -c npm ci]: exit code: 1',
].join('\n');

describe('explaining a failed build', () => {
  it('names the failed step, keeps its telling lines (not npm usage text) and gives the likely fix', () => {
    const explanation = explainBuild(NPM_CI_FAILURE)!;
    expect(explanation.where).toBe('the image build failed at [migrate deps 2/2] RUN --mount=type=cache,target=/root/.npm     npm ci');
    expect(explanation.lines).toContain("npm error Invalid: lock file's knex@3.3.0 does not satisfy knex@0.0.1");
    expect(explanation.lines.join('\n')).not.toMatch(/Usage|Options|aliases|complete log/);
    expect(explanation.hint).toMatch(/package-lock\.json doesn't satisfy the image's npm .* "packageManager": "npm@/);
  });

  it('a TypeScript error in the build script', () => {
    const output = [
      '#12 [build 2/2] RUN npm run build',
      '#12 2.1 src/server.ts(3,7): error TS2322: Type string is not assignable',
      '#12 ERROR: process "/bin/sh -c npm run build" did not complete successfully: exit code: 2',
    ].join('\n');
    expect(explainBuild(output)?.hint).toMatch(/failed to compile TypeScript/);
  });

  it('no failed step: nothing to explain', () => {
    expect(explainBuild(' Container x-db-1  Healthy\n')).toBeUndefined();
  });
});

describe('explaining a service that exited or never got healthy', () => {
  it('an app whose health route does not exist', () => {
    const explanation = explainService('service app is unhealthy', 'orders-api listening on 3000\n', [
      'exit 1: HTTP 404',
      'exit 1: HTTP 404',
      'exit 1: HTTP 404',
    ]);
    expect(explanation.lines).toEqual(['orders-api listening on 3000', 'healthcheck: exit 1: HTTP 404', 'healthcheck: exit 1: HTTP 404']);
    expect(explanation.hint).toMatch(/health route doesn't exist in the app: pass --health-path/);
  });

  it('a compiled file that is not where the command expects it (not a missing dependency)', () => {
    const hint = explainService('service migrate exited 1', "Error: Cannot find module '/app/dist/src/database/data-source.js'").hint;
    expect(hint).toMatch(/\/app\/dist\/src\/database\/data-source\.js is not where the build wrote it/);
    expect(explainService('service app exited 1', "Error: Cannot find module 'bcrypt'").hint).toMatch(
      /bcrypt is not installed .* move it from devDependencies/,
    );
  });

  it('an app listening elsewhere', () => {
    expect(explainService('service app is unhealthy', '', ['exit 1: ECONNREFUSED']).hint).toMatch(/listens on another port .* 0\.0\.0\.0/);
  });

  it('a migration that cannot log in', () => {
    const logs = 'docker-migrate: waiting\nerror: password authentication failed for user "app"\n';
    expect(explainService('service migrate exited 1', logs).hint).toMatch(/credentials in \.env: .*docker compose down --volumes/);
  });

  it('an app whose environment validation fails', () => {
    expect(explainService('service app exited 1', '❌ Invalid environment variables: { DATABASE_URL: [ "Required" ] }').hint).toMatch(/set it in \.env/);
  });
});

it('lastMeaningful keeps the error and drops its stack frames (they would push the message out)', () => {
  const log = [
    '[Nest] 1  - ERROR [ExceptionHandler] Error: AUTH_JWT_SECRET must be a string',
    '    at validateConfig (/app/dist/utils/validate-config.js:15:15)',
    '    at async Injector.loadInstance (/app/node_modules/@nestjs/core/injector/injector.js:75:13)',
    '    at async Promise.all (index 5)',
  ].join('\n');
  expect(lastMeaningful(log)).toEqual(['[Nest] 1  - ERROR [ExceptionHandler] Error: AUTH_JWT_SECRET must be a string']);
});

it('lastMeaningful drops blank lines and terminal colours', () => {
  expect(lastMeaningful('a\n\n\x1b[31mb\x1b[0m\n\n', 8)).toEqual(['a', 'b']);
});
