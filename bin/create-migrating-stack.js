#!/usr/bin/env node
// Runs the compiled CLI (npm run build, or the `prepare` step of npm ci / npm install).
import { run } from '../dist/cli/main.js';

process.exitCode = await run();
