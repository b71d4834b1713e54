/**
 * The last check before the files are rendered: every value of the plan that came from the
 * project (paths from its configuration, commands built around them, variable names and values
 * from its env templates) is checked against the syntax of each file it lands in, with
 * src/shared/syntax.ts. Every problem is reported at once, one line each, naming where the value
 * came from; nothing is written.
 */
import type { Plan } from '../plan/index.js';
import { UserError } from '../errors.js';
import { dockerignorePatternProblem, ENV_NAME, hasControlCharacter, imagePathProblem, plainCommandProblem, projectPathProblem } from '../shared/syntax.js';

export function assertRenderable(plan: Plan): void {
  const problems: string[] = [];
  const check = (problem: string | undefined, where: string, fix: string): void => {
    if (problem !== undefined) problems.push(`${where} ${problem}: ${fix}`);
  };
  const config = plan.migration.configFile;
  const rename = 'rename it, or point the configuration at a plain path inside the project';

  // Dockerfile COPY lines and .dockerignore.
  check(projectPathProblem(plan.migration.migrationsDir), `${config}: the migrations folder "${plan.migration.migrationsDir}"`, rename);
  for (const entry of [...plan.install.files, ...plan.install.directories]) {
    check(projectPathProblem(entry), `the install copies "${entry}" (named by the ${plan.install.label} or ${plan.migration.label} settings), which`, rename);
  }
  for (const copy of plan.runtime.copies) {
    for (const value of [copy.from, copy.to]) {
      check(projectPathProblem(value), `the runtime image copies "${value}" (the ${plan.framework.label} or ${plan.migration.label} output), which`, rename);
    }
  }
  for (const pattern of plan.ignoredOutputs) {
    check(dockerignorePatternProblem(pattern), `the build output "${pattern}" (kept out of the build context by .dockerignore)`, rename);
  }
  // Folders the app writes into (RUN mkdir … && chown), found in its code.
  for (const dir of new Set([...plan.writableDirectories.runtime, ...plan.writableDirectories.migrate])) {
    check(projectPathProblem(dir), `the folder "${dir}" the app writes into (created in the image)`, rename);
  }
  // A workspace's folders: COPY lines, WORKDIR, PATH, .dockerignore.
  for (const dir of plan.workspace ? [...plan.workspace.packages, plan.workspace.migrations, plan.workspace.prefix.replace(/\/$/, '') || '.'] : []) {
    check(projectPathProblem(dir), `the workspace folder "${dir}"`, 'rename it to a plain name');
  }
  for (const file of [plan.docker.file, plan.docker.ignoreFile]) {
    check(projectPathProblem(file), `the generated file name "${file}"`, 'pass --dockerfile with a plain file name');
  }
  for (const value of [plan.runtime.migrationBundle, plan.writableDirectory, plan.migration.onStart?.directory]) {
    if (value !== undefined) check(imagePathProblem(value), `the image path "${value}"`, 'report this as a bug of create-migrating-stack');
  }

  // Dockerfile RUN lines: plain words joined by &&.
  const commands = [
    ...plan.install.setup,
    plan.install.installAll,
    plan.install.installProd,
    ...(plan.install.pruneToProduction ? [plan.install.pruneToProduction] : []),
    ...plan.buildCommands,
  ];
  for (const command of commands) {
    check(
      plainCommandProblem(command),
      `the Dockerfile command "${command}"`,
      'rename what it names from the project (a script, a schema, a Yarn release) to a plain name',
    );
  }
  // Dockerfile ENV and ARG.
  for (const [name, value] of Object.entries({ ...plan.env.base, ...plan.env.build, ...plan.env.runtime })) {
    check(ENV_NAME.test(name) ? undefined : 'is not a variable name', `the image variable "${name}"`, 'name it with letters, digits and _');
    check(/^[^\s"'`$\\]*$/.test(value) ? undefined : 'has a quote, a space, "$" or "\\"', `the value of ${name} ("${value}")`, 'set a plain value');
  }
  for (const name of plan.buildArgs)
    check(ENV_NAME.test(name) ? undefined : 'is not a variable name', `the build argument "${name}"`, 'name it with letters, digits and _');

  // Exec-form commands (JSON, quoted as such) and the entrypoint's shell-quoted migrate command:
  // quoting holds any word, but a line break has no business in one.
  for (const [what, argv] of [
    ['the start command', plan.app.command],
    ['the migrate command', plan.migration.containerCommand],
    ['the migrate command', plan.migration.onStart?.command ?? []],
  ] as const) {
    const bad = argv.find(hasControlCharacter);
    if (bad !== undefined) problems.push(`${what} has a line break or control character in "${bad}": fix the command (or pass --start)`);
  }

  // Variables: Dockerfile ENV, compose environment and interpolation, the entrypoint's shell, .env.example.
  const variables = [
    plan.database.urlVariable,
    ...(plan.database.connectionParts ?? []).map((part) => part.variable),
    ...(plan.database.typeVariable ? [plan.database.typeVariable.name] : []),
    ...plan.app.passed.map((variable) => variable.name),
  ];
  for (const name of variables) {
    check(
      ENV_NAME.test(name) ? undefined : 'is not a variable name compose, a shell and a Dockerfile all accept',
      `the variable "${name}"`,
      'name it with letters, digits and _',
    );
  }
  for (const { name, example } of plan.app.passed) {
    if (example !== undefined && hasControlCharacter(example))
      problems.push(`the example value of ${name} has a line break or control character: .env.example holds one line per variable; fix it in the env template`);
  }
  for (const { key, value } of plan.envExample.entries) {
    if (!ENV_NAME.test(key) || hasControlCharacter(value))
      problems.push(`.env.example entry ${key}: not one line of NAME=value: report this as a bug of create-migrating-stack`);
  }
  if (plan.app.healthPath !== null && !/^\/[\w\-./~%]*(\?[\w\-.=&%]*)?$/.test(plan.app.healthPath)) {
    problems.push(`the health route "${plan.app.healthPath}" is not a plain URL path: pass --health-path /health (or none)`);
  }

  if (problems.length > 0) throw new UserError([...new Set(problems)].map((problem) => `${problem}; nothing was written`));
}
