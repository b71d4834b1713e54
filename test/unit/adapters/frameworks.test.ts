/**
 * Framework detection: what each adapter reads from a project (start command, port, health route,
 * what the runtime copies) and the one-line errors, with the fix, for setups that build no Node
 * server. Fixtures for the real projects, scratch projects for the variants.
 */
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { frameworks } from '../../../src/adapters/frameworks/index.js';
import { healthRoute } from '../../../src/adapters/frameworks/shared.js';
import type { FrameworkDetection } from '../../../src/adapters/types.js';
import { detectionContext, detectProject } from '../../../src/detect/index.js';
import { UserError } from '../../../src/errors.js';
import { Project } from '../../../src/project/project.js';
import { resolveStartCommand } from '../../../src/project/scripts.js';
import { userErrorOf } from '../../support/errors.js';
import { detectionOf, FIXTURES, removeScratchCopies, scratchProject } from '../../support/fixtures.js';

const context = detectionContext();

afterAll(removeScratchCopies);

/** A scratch project made of `files` (path → content) and a package.json named x with `packageJson`'s fields. */
function projectWith(packageJson: Record<string, unknown>, files: Record<string, string> = {}): Project {
  return new Project(scratchProject({ packageJson: { name: 'x', ...packageJson }, files }));
}

/** The detection of the framework adapter `id` (undefined when it doesn't match). */
function detect(id: string, project: Project): FrameworkDetection | undefined {
  return frameworks.find((framework) => framework.id === id)!.detect(project, context);
}

/** The UserError that detection throws (or reports as the start command's gap), checked to be one line naming `file`. */
function detectionError(id: string, project: Project, file: string): string {
  const message = userErrorOf(() => {
    const start = detect(id, project)?.start;
    if (start && 'gap' in start) throw new UserError(start.gap);
  });
  expect(message.startsWith(project.abs(file))).toBe(true);
  return message;
}

describe('the framework registry', () => {
  it('puts every framework before plain Node, which matches last', () => {
    expect(frameworks.map((f) => f.id)).toEqual(['nestjs', 'nextjs', 'nuxt', 'sveltekit', 'react-router', 'remix', 'astro', 'node']);
  });

  it('leaves a plain Express project to plain Node', () => {
    const facts = detectProject(path.join(FIXTURES, 'express-knex-postgres'));
    expect(facts.frameworks.map((f) => f.id)).toEqual(['node']);
  });
});

describe('fixtures', () => {
  const detected = (fixture: string) => {
    const facts = detectProject(path.join(FIXTURES, fixture));
    expect(facts.frameworks.at(-1)!.id).toBe('node');
    const [first] = facts.frameworks;
    return { id: first!.id, detection: detectionOf(first) };
  };

  it('nestjs-knex-postgres: node dist/main from start:prod, the controller health route, tree + production deps', () => {
    const { id, detection } = detected('nestjs-knex-postgres');
    expect(id).toBe('nestjs');
    expect(detection.start).toEqual({ value: ['node', 'dist/main'], source: 'package.json#scripts.start:prod' });
    expect(detection.port).toEqual({ value: 3000, source: 'src/main.ts' });
    expect(detection.healthPath).toEqual({ value: '/health', source: 'src/health.controller.ts' });
    expect(detection.outputDirs).toEqual(['dist']);
    expect(detection.runtime).toBeUndefined();
  });

  it('nextjs-knex-postgres: the standalone server alone, no node_modules installed', () => {
    const { id, detection } = detected('nextjs-knex-postgres');
    expect(id).toBe('nextjs');
    expect(detection.start).toEqual({ value: ['node', 'server.js'], source: "next.config.ts (output: 'standalone')" });
    expect(detection.port).toEqual({ value: 3000, source: 'Next.js default' });
    expect(detection.healthPath).toEqual({ value: '/api/health', source: 'app/api/health/route.ts' });
    expect(detection.outputDirs).toEqual(['.next']);
    expect(detection.runtime).toEqual({
      copy: [
        { from: '.next/standalone', to: '.', writable: true },
        { from: '.next/static', to: '.next/static' },
        { from: 'public', to: 'public' },
      ],
      needsProductionDependencies: false,
    });
    expect(detection.env).toEqual({ HOSTNAME: '0.0.0.0' });
    expect(detection.buildEnv).toEqual({ NEXT_TELEMETRY_DISABLED: '1' });
  });

  it('nuxt-knex-postgres: .output alone, the server/api health route', () => {
    const { id, detection } = detected('nuxt-knex-postgres');
    expect(id).toBe('nuxt');
    expect(detection.start).toMatchObject({ value: ['node', '.output/server/index.mjs'] });
    expect(detection.port?.value).toBe(3000);
    expect(detection.healthPath).toEqual({ value: '/api/health', source: 'server/api/health.ts' });
    expect(detection.outputDirs).toEqual(['.output', '.nuxt']);
    expect(detection.runtime).toEqual({ copy: [{ from: '.output', to: '.output' }], needsProductionDependencies: false });
    expect(detection.buildEnv).toEqual({ NUXT_TELEMETRY_DISABLED: '1' });
  });

  it('sveltekit-knex-postgres: node build from adapter-node in vite.config.js', () => {
    const { id, detection } = detected('sveltekit-knex-postgres');
    expect(id).toBe('sveltekit');
    expect(detection.start).toEqual({ value: ['node', 'build'], source: 'vite.config.js (@sveltejs/adapter-node)' });
    expect(detection.port?.value).toBe(3000);
    expect(detection.healthPath).toEqual({ value: '/health', source: 'src/routes/health/+server.js' });
    expect(detection.outputDirs).toEqual(['build', '.svelte-kit']);
    expect(detection.runtime).toBeUndefined();
    expect(detection.warnings).toEqual([]);
  });

  it('react-router-knex-postgres: react-router-serve from node_modules/.bin, the route in app/routes.ts', () => {
    const { id, detection } = detected('react-router-knex-postgres');
    expect(id).toBe('react-router');
    expect(detection.start).toEqual({ value: ['node_modules/.bin/react-router-serve', './build/server/index.js'], source: 'package.json#scripts.start' });
    expect(detection.port?.value).toBe(3000);
    expect(detection.healthPath).toEqual({ value: '/health', source: 'app/routes/health.ts' });
    expect(detection.outputDirs).toEqual(['build', '.react-router']);
  });

  it('astro-knex-postgres: dist/server/entry.mjs on 4321, bound to every interface', () => {
    const { id, detection } = detected('astro-knex-postgres');
    expect(id).toBe('astro');
    expect(detection.start).toEqual({ value: ['node', 'dist/server/entry.mjs'], source: 'astro.config.mjs (@astrojs/node standalone)' });
    expect(detection.port).toEqual({ value: 4321, source: 'Astro default' });
    expect(detection.healthPath).toEqual({ value: '/health', source: 'src/pages/health.ts' });
    expect(detection.outputDirs).toEqual(['dist', '.astro']);
    expect(detection.env).toEqual({ HOST: '0.0.0.0' });
    expect(detection.buildEnv).toEqual({ ASTRO_TELEMETRY_DISABLED: '1' });
  });
});

describe('NestJS', () => {
  const nest = { dependencies: { '@nestjs/core': '^12.0.0' } };

  it('falls back to nest-cli.json (entryFile, tsconfig outDir) when there is no start:prod', () => {
    const project = projectWith(
      { ...nest, scripts: { start: 'nest start' } },
      {
        'nest-cli.json': '{ "sourceRoot": "src", "entryFile": "server" }',
        'tsconfig.json': '{ "compilerOptions": { "outDir": "./build" } }',
      },
    );
    const found = detect('nestjs', project)!;
    expect(found.start).toEqual({ value: ['node', 'build/server'], source: 'nest-cli.json' });
    expect(found.outputDirs).toEqual(['build']);
  });

  it('finds @Get("healthz") behind a global prefix, and the port main.ts listens on', () => {
    const project = projectWith(nest, {
      'src/main.ts': "const app = await NestFactory.create(AppModule);\napp.setGlobalPrefix('api');\nawait app.listen(process.env.PORT ?? 8080);",
      'src/status.controller.ts': "@Controller()\nexport class Status {\n  @Get('version') v() {}\n  @Get('healthz') h() {}\n}",
      'src/users.controller.ts': "@Controller({ path: 'users' })\nexport class Users { @Get() all() {} }",
    });
    const found = detect('nestjs', project)!;
    expect(found.healthPath).toEqual({ value: '/api/healthz', source: 'src/status.controller.ts' });
    expect(found.port).toEqual({ value: 8080, source: 'src/main.ts' });
  });

  it('rejects a nest-cli.json that is not JSON, naming it', () => {
    const project = projectWith(nest, { 'nest-cli.json': '{ "sourceRoot": ' });
    expect(detectionError('nestjs', project, 'nest-cli.json')).toMatch(/invalid JSON.*fix the syntax/);
  });
});

describe('Next.js', () => {
  const next = { dependencies: { next: '^16.0.0' }, scripts: { start: 'next start' } };

  it('without output: standalone, stops and says exactly what to add to next.config.*', () => {
    const project = projectWith(next, { 'next.config.js': "module.exports = {\n  // output: 'standalone',\n  reactStrictMode: true,\n};" });
    const message = detectionError('nextjs', project, 'next.config.js');
    expect(message).toMatch(/output: 'standalone' is not set: add `output: 'standalone',` to the exported config/);
    expect(message).toMatch(/instead of the whole node_modules/);
  });

  it('without any next.config.*, says which file to create', () => {
    expect(detectionError('nextjs', projectWith(next), 'next.config.mjs')).toMatch(/create it with `export default \{ output: 'standalone' \};`/);
  });

  it('rejects a static export: there is no server to run', () => {
    const project = projectWith(next, { 'next.config.mjs': "export default { output: 'export' };" });
    expect(detectionError('nextjs', project, 'next.config.mjs')).toMatch(/no Node server to run/);
  });

  it('follows distDir and basePath, finds pages/api routes, copies public/ only when there is one', () => {
    const project = projectWith(next, {
      'next.config.mjs': "const config = { output: 'standalone', distDir: 'out/next', basePath: '/shop' };\nexport default config;",
      'src/pages/api/healthz/index.ts': 'export default function handler() {}',
      'src/app/(internal)/[id]/health/route.ts': 'export function GET() {}',
    });
    const found = detect('nextjs', project)!;
    expect(found.healthPath).toEqual({ value: '/shop/api/healthz', source: 'src/pages/api/healthz/index.ts' });
    expect(found.runtime?.copy).toEqual([
      { from: 'out/next/standalone', to: '.', writable: true },
      { from: 'out/next/static', to: 'out/next/static' },
    ]);
    expect(found.outputDirs).toEqual(['out/next']);
  });

  it('prefers an app-router route in a group, and takes the port from next start -p', () => {
    const project = projectWith(
      { ...next, scripts: { start: 'next start -p 4000' } },
      {
        'next.config.ts': "export default { output: 'standalone' };",
        'app/(ops)/health/route.ts': 'export function GET() {}',
        'app/_lib/health/route.ts': 'export function GET() {}',
      },
    );
    const found = detect('nextjs', project)!;
    expect(found.healthPath).toEqual({ value: '/health', source: 'app/(ops)/health/route.ts' });
    expect(found.port).toEqual({ value: 4000, source: 'package.json#scripts.start' });
  });

  it('warns about pages that read the database while next build prerenders them (no database in the image build)', () => {
    const project = projectWith(next, {
      'next.config.mjs': "export default { output: 'standalone' };",
      'src/app/page.tsx': "import { prisma } from '@/lib/prisma';\nexport default async function Home() { return prisma.post.findMany(); }",
      'src/app/drafts/page.tsx': "import { db } from '../../server/db';\nexport default async function Drafts() { return db.query.posts.findMany(); }",
      'src/app/live/page.tsx': "import { db } from '~/server/db';\nexport const dynamic = 'force-dynamic';\nexport default async function Live() {}",
      'src/app/about/page.tsx': 'export default function About() { return null; }',
    });
    expect(detect('nextjs', project)!.warnings).toEqual([
      "src/app/drafts/page.tsx, src/app/page.tsx read the database and would be prerendered by next build, which has no database inside the image build: add `export const dynamic = 'force-dynamic'` to each (or fetch the data per request)",
    ]);
  });

  it("an env schema next.config validates at build time: the build sets the schema's own skip switch", () => {
    const env =
      "import { createEnv } from '@t3-oss/env-nextjs';\nexport const env = createEnv({ server: {}, skipValidation: !!process.env.CI || process.env.npm_lifecycle_event === 'lint' });";
    const project = projectWith(next, { 'next.config.js': "import './src/env';\nexport default { output: 'standalone' };", 'src/env.ts': env });
    expect(detect('nextjs', project)!.buildEnv).toEqual({ NEXT_TELEMETRY_DISABLED: '1', CI: '1' });
    // As create-t3-turbo writes it: the value on the next line.
    const wrapped = projectWith(next, {
      'next.config.js': "import './src/env';\nexport default { output: 'standalone' };",
      'src/env.ts': "createEnv({\n  server: {},\n  skipValidation:\n    !!process.env.CI || process.env.npm_lifecycle_event === 'lint',\n});",
    });
    expect(detect('nextjs', wrapped)!.buildEnv).toEqual({ NEXT_TELEMETRY_DISABLED: '1', CI: '1' });
    const strict = projectWith(next, {
      'next.config.js': "import './src/env.js';\nexport default { output: 'standalone' };",
      'src/env.ts': 'createEnv({ server: {} });',
    });
    expect(detect('nextjs', strict)!.warnings).toEqual([
      expect.stringMatching(/^src\/env\.ts: next\.config loads an env schema that is validated during next build/),
    ]);
  });
});

describe('Nuxt', () => {
  const nuxtDeps = { dependencies: { nuxt: '^4.0.0' } };

  it('maps server/routes to the root, honours method suffixes, and reads PORT from .env.example', () => {
    const project = projectWith(nuxtDeps, {
      'server/routes/health.post.ts': 'export default defineEventHandler(() => 1)',
      'server/routes/healthz/index.get.ts': 'export default defineEventHandler(() => 1)',
      '.env.example': 'PORT=8080\n',
    });
    const found = detect('nuxt', project)!;
    expect(found.healthPath).toEqual({ value: '/healthz', source: 'server/routes/healthz/index.get.ts' });
    expect(found.port).toEqual({ value: 8080, source: '.env.example' });
  });

  it("rejects a nitro preset that doesn't build a Node server", () => {
    const project = projectWith(nuxtDeps, { 'nuxt.config.ts': "export default defineNuxtConfig({ nitro: { preset: 'vercel' } })" });
    expect(detectionError('nuxt', project, 'nuxt.config.ts')).toMatch(
      /nitro preset 'vercel' doesn't build a Node server: remove it \(or set preset: 'node-server'\)/,
    );
  });
});

describe('SvelteKit', () => {
  const kit = { devDependencies: { '@sveltejs/kit': '^2.0.0', '@sveltejs/adapter-node': '^5.0.0' } };

  it('reads adapter-node options from svelte.config.js (Kit 2): out, and route groups', () => {
    const project = projectWith(kit, {
      'svelte.config.js':
        "import adapter from '@sveltejs/adapter-node';\nexport default { kit: { adapter: adapter({ out: './server-build', precompress: false }), paths: { base: '/app' } } };",
      'src/routes/(ops)/healthz/+server.ts': 'export const GET = () => new Response()',
    });
    const found = detect('sveltekit', project)!;
    expect(found.start).toEqual({ value: ['node', 'server-build'], source: 'svelte.config.js (@sveltejs/adapter-node)' });
    expect(found.outputDirs).toEqual(['server-build', '.svelte-kit']);
    expect(found.healthPath).toEqual({ value: '/app/healthz', source: 'src/routes/(ops)/healthz/+server.ts' });
  });

  it('warns when envPrefix renames PORT', () => {
    const project = projectWith(kit, { 'vite.config.ts': "import node from '@sveltejs/adapter-node';\nsveltekit({ adapter: node({ envPrefix: 'APP_' }) })" });
    expect(detect('sveltekit', project)!.warnings).toEqual([expect.stringMatching(/reads APP_PORT/)]);
  });

  it('rejects adapter-auto, naming the file and the switch to adapter-node', () => {
    const project = projectWith(kit, {
      'vite.config.ts': "import adapter from '@sveltejs/adapter-auto';\nexport default defineConfig({ plugins: [sveltekit({ adapter: adapter() })] });",
    });
    expect(detectionError('sveltekit', project, 'vite.config.ts')).toMatch(
      /@sveltejs\/adapter-auto doesn't build a Node server: npm install --save-dev @sveltejs\/adapter-node/,
    );
  });

  it('rejects a project with no adapter at all', () => {
    expect(detectionError('sveltekit', projectWith(kit, { 'vite.config.js': 'export default {}' }), 'vite.config.js')).toMatch(/no SvelteKit adapter found/);
  });

  it('rejects adapter-node imported but not installed', () => {
    const project = projectWith({ devDependencies: { '@sveltejs/kit': '^3.0.0' } }, { 'vite.config.js': "import adapter from '@sveltejs/adapter-node';" });
    expect(detectionError('sveltekit', project, 'package.json')).toMatch(/npm install --save-dev @sveltejs\/adapter-node/);
  });
});

describe('Remix', () => {
  const remixDeps = { dependencies: { '@remix-run/node': '^2.0.0', '@remix-run/serve': '^2.0.0' }, devDependencies: { '@remix-run/dev': '^2.0.0' } };

  it('Vite build: remix-serve build/server/index.js from node_modules/.bin, flat-route health', () => {
    const project = projectWith(
      { ...remixDeps, scripts: { start: 'remix-serve ./build/server/index.js' } },
      {
        'vite.config.ts': "import { vitePlugin as remix } from '@remix-run/dev';\nexport default { plugins: [remix()] };",
        'app/routes/_index.tsx': '',
        'app/routes/api.health.ts': 'export const loader = () => null',
        'app/routes/users.$id.tsx': '',
      },
    );
    const found = detect('remix', project)!;
    expect(found.evidence).toBe('dependency @remix-run/dev');
    expect(found.start).toEqual({ value: ['node_modules/.bin/remix-serve', './build/server/index.js'], source: 'package.json#scripts.start' });
    expect(found.healthPath).toEqual({ value: '/api/health', source: 'app/routes/api.health.ts' });
    expect(found.outputDirs).toEqual(['build']);
  });

  it('classic compiler without a start script: remix-serve build/index.js; folder routes and pathless layouts', () => {
    const project = projectWith(remixDeps, {
      'remix.config.js': 'module.exports = {};',
      'app/routes/_ops.healthz/route.ts': 'export const loader = () => null',
    });
    const found = detect('remix', project)!;
    expect(found.start).toEqual({ value: ['node_modules/.bin/remix-serve', 'build/index.js'], source: '@remix-run/serve default' });
    expect(found.healthPath).toEqual({ value: '/healthz', source: 'app/routes/_ops.healthz' });
    expect(found.outputDirs).toEqual(['build', 'public/build', '.cache']);
  });

  it('rejects remix-serve as a devDependency: the runtime image would not have it', () => {
    const project = projectWith({
      dependencies: { '@remix-run/node': '^2.0.0' },
      devDependencies: { '@remix-run/serve': '^2.0.0' },
      scripts: { start: 'remix-serve build/index.js' },
    });
    expect(detectionError('remix', project, 'package.json')).toMatch(/@remix-run\/serve is a devDependency.*move it to "dependencies"/);
  });
});

describe('React Router (framework mode)', () => {
  const rr = {
    dependencies: { 'react-router': '^8.0.0', '@react-router/node': '^8.0.0', '@react-router/serve': '^8.0.0' },
    devDependencies: { '@react-router/dev': '^8.0.0' },
  };

  it('a custom server (node server.js) wins over react-router-serve; flatRoutes() file conventions', () => {
    const project = projectWith(
      { ...rr, scripts: { start: 'cross-env NODE_ENV=production node ./server.js' } },
      {
        'react-router.config.ts': "export default { ssr: true, buildDirectory: 'out' } satisfies Config;",
        'app/routes.ts': "import { flatRoutes } from '@react-router/fs-routes';\nexport default flatRoutes() satisfies RouteConfig;",
        'app/routes/healthz.ts': 'export const loader = () => null',
      },
    );
    const found = detect('react-router', project)!;
    expect(found.start).toEqual({ value: ['node', './server.js'], source: 'package.json#scripts.start' });
    expect(found.healthPath).toEqual({ value: '/healthz', source: 'app/routes/healthz.ts' });
    expect(found.outputDirs).toEqual(['out', '.react-router']);
  });

  it('without a start script: react-router-serve on the configured build directory', () => {
    const project = projectWith(rr, {
      'react-router.config.ts': "export default { buildDirectory: 'dist' };",
      'app/routes.ts': "export default [route('/api/health', './routes/api-health.ts'), route('users/:id', './routes/user.tsx')];",
    });
    const found = detect('react-router', project)!;
    expect(found.start).toEqual({ value: ['node_modules/.bin/react-router-serve', 'dist/server/index.js'], source: '@react-router/serve default' });
    expect(found.healthPath).toEqual({ value: '/api/health', source: 'app/routes/api-health.ts' });
  });

  it('a development start script is replaced by react-router-serve, with a warning', () => {
    const found = detect('react-router', projectWith({ ...rr, scripts: { start: 'react-router dev' } }))!;
    expect((found.start as { value: string[] } | undefined)?.value).toEqual(['node_modules/.bin/react-router-serve', 'build/server/index.js']);
    expect(found.warnings).toEqual([expect.stringMatching(/not a production server/)]);
  });

  it('rejects SPA mode: no server is built', () => {
    const project = projectWith(rr, { 'react-router.config.ts': 'export default { ssr: false };' });
    expect(detectionError('react-router', project, 'react-router.config.ts')).toMatch(/ssr: false \(SPA mode\).*set ssr: true/);
  });
});

describe('Astro', () => {
  const astroDeps = { dependencies: { astro: '^7.0.0', '@astrojs/node': '^11.0.0' } };
  const standalone = "import node from '@astrojs/node';\nexport default defineConfig({ adapter: node({ mode: 'standalone' }) });";

  it('reads outDir and server.port from astro.config, endpoints from src/pages', () => {
    const project = projectWith(astroDeps, {
      'astro.config.ts':
        "import nodeAdapter from '@astrojs/node';\nexport default defineConfig({ outDir: './out', server: { port: 8081 }, adapter: nodeAdapter({ mode: 'standalone' }) });",
      'src/pages/api/health/index.ts': 'export const GET = () => new Response()',
      'src/pages/_health.ts': '',
    });
    const found = detect('astro', project)!;
    expect((found.start as { value: string[] } | undefined)?.value).toEqual(['node', 'out/server/entry.mjs']);
    expect(found.port).toEqual({ value: 8081, source: 'astro.config.ts' });
    expect(found.healthPath).toEqual({ value: '/api/health', source: 'src/pages/api/health/index.ts' });
  });

  it.each([
    ['no adapter', 'export default defineConfig({});', /no server adapter: every page is prerendered.*npx astro add node/],
    [
      'another host',
      "import vercel from '@astrojs/vercel';\nexport default defineConfig({ adapter: vercel() });",
      /the adapter @astrojs\/vercel doesn't build a Node server/,
    ],
    [
      'middleware mode',
      "import node from '@astrojs/node';\nexport default defineConfig({ adapter: node({ mode: 'middleware' }) });",
      /mode 'middleware' builds no server of its own: set adapter: node\(\{ mode: 'standalone' \}\)/,
    ],
    [
      'a commented-out adapter',
      "// import node from '@astrojs/node';\nexport default defineConfig({ /* adapter: node({ mode: 'standalone' }) */ });",
      /no server adapter/,
    ],
  ])('rejects %s, naming astro.config.mjs and the fix', (_case, config, message) => {
    expect(detectionError('astro', projectWith(astroDeps, { 'astro.config.mjs': config }), 'astro.config.mjs')).toMatch(message);
  });

  it('rejects @astrojs/node as a devDependency: the server imports it at run time', () => {
    const project = projectWith({ dependencies: { astro: '^7.0.0' }, devDependencies: { '@astrojs/node': '^11.0.0' } }, { 'astro.config.mjs': standalone });
    expect(detectionError('astro', project, 'package.json')).toMatch(/@astrojs\/node is a devDependency.*move it to "dependencies"/);
  });
});

describe('framework start scripts seen by plain Node (project/scripts.ts)', () => {
  it.each([
    ['next start -p 4000', ['node_modules/.bin/next', 'start', '-p', '4000']],
    ['remix-serve ./build/index.js', ['node_modules/.bin/remix-serve', './build/index.js']],
    ['react-router-serve ./build/server/index.js', ['node_modules/.bin/react-router-serve', './build/server/index.js']],
    ['nuxt start', ['node', '.output/server/index.mjs']],
    ['NODE_ENV=production nest start', ['node', 'dist/main']],
  ])('%s → %j', (start, argv) => {
    expect(resolveStartCommand(projectWith({ scripts: { start } }), context.scripts)?.argv).toEqual(argv);
  });

  it('says that nest start compiles, and what runs instead', () => {
    expect(resolveStartCommand(projectWith({ scripts: { start: 'nest start' } }), context.scripts)?.warnings).toEqual([
      expect.stringMatching(/runs nest start, which compiles before serving: the container runs the compiled dist\/main/),
    ]);
  });

  it('leaves other next commands alone', () => {
    expect(resolveStartCommand(projectWith({ scripts: { start: 'next dev' } }), context.scripts)?.argv).toEqual(['next', 'dev']);
  });
});

describe('health routes by name', () => {
  it('a heartbeat route counts (umami serves app/api/heartbeat), after the conventional names', () => {
    expect(healthRoute([['/api/heartbeat', 'src/app/api/heartbeat/route.ts']])).toEqual({ value: '/api/heartbeat', source: 'src/app/api/heartbeat/route.ts' });
    expect(
      healthRoute([
        ['/api/heartbeat', 'a.ts'],
        ['/api/health', 'b.ts'],
      ])?.value,
    ).toBe('/api/health');
    expect(healthRoute([['/api/heartbeats', 'c.ts']])).toBeUndefined();
  });
});
