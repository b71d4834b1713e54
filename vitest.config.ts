import { defineConfig } from 'vitest/config';

// Layers, each runnable alone (npm run test:<layer>):
//   unit   – one module at a time, test/unit/<src folder>/<module>.test.ts: detection, answers,
//            plan, render and write on the fixtures and scratch projects, without the CLI; seconds
//   golden – every generated file of every fixture, compared with test/golden/__golden__
//   cli    – the CLI through the whole pipeline, writing into scratch projects: in-process (flags,
//            exit codes, statuses, conflicts, --check, --dry-run) and as the built binary (a real
//            terminal, permissions)
//   e2e    – generated stacks built and run on the Docker engine (../shared/docker-lab)
//   swarm  – the Swarm stack on a single-node swarm the test makes and leaves; runs after the
//            others, alone: joining and leaving a swarm reconfigures the engine's networking,
//            which breaks name resolution in compose stacks running at the same time
// The layers that run bin/create-migrating-stack.js, which runs bundle/: rebuilt first when stale.
const BUNDLE = 'test/support/bundle.ts';
// @actions/workflow-parser imports its schema JSON without an import attribute, which only a
// bundler accepts: vitest bundles it (the CI pipeline tests of the golden and e2e layers).
const bundled = { server: { deps: { inline: ['@actions/workflow-parser'] } } };

const engineTests = {
  globalSetup: [BUNDLE, 'test/e2e/engine-gate.ts'],
  // Stacks build images and wait for healthchecks: minutes, not seconds.
  testTimeout: 10 * 60_000,
  hookTimeout: 10 * 60_000,
};

export default defineConfig({
  test: {
    // End-to-end files spend most of their time waiting on the engine (builds, healthchecks), so
    // more of them run side by side than the lab machines' two cores would suggest.
    maxWorkers: 4,
    projects: [
      { test: { name: 'unit', include: ['test/unit/**/*.test.ts'], isolate: false } },
      { test: { name: 'golden', include: ['test/golden/**/*.test.ts'], isolate: false, ...bundled } },
      { test: { name: 'cli', include: ['test/cli/**/*.test.ts'], globalSetup: [BUNDLE], testTimeout: 60_000 } },
      { test: { name: 'e2e', include: ['test/e2e/**/*.test.ts'], exclude: ['test/e2e/swarm.test.ts'], ...engineTests, ...bundled } },
      { test: { name: 'swarm', include: ['test/e2e/swarm.test.ts'], sequence: { groupOrder: 1 }, ...engineTests } },
    ],
  },
});
