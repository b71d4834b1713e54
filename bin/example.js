#!/usr/bin/env node
// `npm run example`: copies the bundled example project (fixtures/express-knex-postgres) to
// ./example and generates its stack there with --yes, as a user would in their own repository.
import { cpSync, existsSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { run } from '../bundle/cli.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const target = path.join(root, 'example');
if (existsSync(target)) rmSync(target, { recursive: true });
cpSync(path.join(root, 'fixtures/express-knex-postgres'), target, {
  recursive: true,
  filter: (source) => !/[\\/](node_modules|dist)([\\/]|$)/.test(source),
});
console.log(`example project copied to ${path.relative(process.cwd(), target) || '.'}/; generating its stack:\n`);
const code = await run([target, '--yes']);
if (code === 0) {
  console.log(`\nTry it: cd example && cp .env.example .env && docker compose up --wait && curl localhost:3000/health`);
  console.log(`Or let the tool prove it: node bin/create-migrating-stack.js verify example`);
}
process.exitCode = code;
