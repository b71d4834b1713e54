#!/usr/bin/env node
// Runs the bundled CLI (bundle/, built by `npm run build`, `npm test` and `npm pack`).
import { run } from '../bundle/cli.js';

process.exitCode = await run();
