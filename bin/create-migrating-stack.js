#!/usr/bin/env node
// Runs the bundled CLI (bundle/, built by `npm run bundle`, `npm test` and `npm pack`).
import module from 'node:module';

// Node 22.1+: V8 keeps the bundle's compiled code in the OS temp folder, so later starts skip most
// of the parsing (Node 20 has no such cache and starts a little slower).
module.enableCompileCache?.();

const { run } = await import('../bundle/cli.js');
process.exitCode = await run();
