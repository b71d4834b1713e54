/**
 * Start scripts read for their production command (NODE_ENV=production), never run.
 */
import { describe, expect, it } from 'vitest';
import { productionCommand, shebangInterpreter } from '../../../src/project/shell-script.js';

const isMigration = (argv: readonly string[]) => argv.some((word) => /migrat/.test(word));

describe('productionCommand', () => {
  it.each([
    ['if [ "$NODE_ENV" = "production" ]; then\n  node a.js\nelse\n  node --watch a.js\nfi\n', ['node', 'a.js']],
    ['if [ "${NODE_ENV:-development}" == production ]\nthen node a.js\nfi\n', ['node', 'a.js']],
    ['if [ "$NODE_ENV" != "production" ]; then\n  nodemon a.js\nelse\n  exec node b.js\nfi\n', ['node', 'b.js']],
    ['if [ "$NODE_ENV" = development ]; then node dev.js; elif [ "$NODE_ENV" = production ]; then node prod.js; else node other.js; fi', ['node', 'prod.js']],
    ['if [[ $NODE_ENV == prod* ]]; then node a.js; fi', ['node', 'a.js']],
    ['if [ -z "$NODE_ENV" ]; then node dev.js; else node prod.js; fi', ['node', 'prod.js']],
    ['case "$NODE_ENV" in\n  development|dev) nodemon x.js ;;\n  *) exec node x.js ;;\nesac\n', ['node', 'x.js']],
    [
      'set -eu\necho "starting"\nnode --enable-source-maps dist/main.js "--port" 80 # comment\n',
      ['node', '--enable-source-maps', 'dist/main.js', '--port', '80'],
    ],
    ['node \\\n  server.js\n', ['node', 'server.js']],
  ])('%j', (text, argv) => {
    expect(productionCommand(`#!/bin/sh\n${text}`, isMigration)).toMatchObject({ kind: 'command', argv });
  });

  it('reports a migration step before the server, which the stack runs on its own', () => {
    expect(productionCommand('npx knex migrate:latest\nnode server.js\n', isMigration)).toEqual({
      kind: 'command',
      argv: ['node', 'server.js'],
      line: 2,
      migrations: ['npx knex migrate:latest'],
    });
  });

  it('setup steps and then exec: the script itself hands over to the server', () => {
    expect(productionCommand('export TZ=UTC\ncd app\nexec node server.js\necho never\n', isMigration)).toMatchObject({
      kind: 'script',
      argv: ['node', 'server.js'],
      line: 3,
    });
    expect(productionCommand('exec node "$ENTRY"\n', isMigration)).toMatchObject({ kind: 'script' });
  });

  it.each([
    ['if [ -f .env ]; then . ./.env; fi\nnode a.js\n', /line 1 tests "\[ -f \.env \]"/],
    ['cd app\nnode server.js\n', /line 1 runs "cd app" before the server, and the server isn't started with exec/],
    ['node a.js | pino-pretty\n', /line 1 pipes or backgrounds/],
    ['if [ "$MODE" = web ]; then node a.js; fi\n', /tests \$MODE/],
    ['node "$ENTRY"\n', /depends on variables set at run time/],
    ['while true; do node a.js; done\n', /line 1 has a while block/],
    ['set -e\n', /runs no command in production/],
  ])("%j: can't be told", (text, reason) => {
    const found = productionCommand(text, isMigration);
    expect(found.kind).toBe('unknown');
    expect(found.kind === 'unknown' && found.reason).toMatch(reason);
  });

  it('reads the interpreter from the #! line', () => {
    expect(shebangInterpreter('#!/bin/bash\n')).toBe('bash');
    expect(shebangInterpreter('#!/usr/bin/env node\n')).toBe('node');
    expect(shebangInterpreter('echo\n')).toBeUndefined();
  });
});
