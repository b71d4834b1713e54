/**
 * The shape of the code: imports point down the pipeline only, and an adapter added to a registry
 * reaches the flags, the prompts, the answers schema and the README without edits elsewhere.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { databases } from '../../src/adapters/databases/index.js';
import { frameworks } from '../../src/adapters/frameworks/index.js';
import { orms } from '../../src/adapters/orms/index.js';
import { packageManagers } from '../../src/adapters/package-managers/index.js';
import { DATABASE_IDS, PACKAGE_MANAGER_IDS } from '../../src/adapters/types.js';
import { answersSchema, answersSchemaText } from '../../src/plan/answers-schema.js';
import { QUESTIONS } from '../../src/plan/questions.js';
import { REPO_ROOT } from '../support/fixtures.js';

const SRC = path.join(REPO_ROOT, 'src');

/**
 * Layers from the top down: a module may import its own layer and the ones below it. errors.ts and
 * shared/ are below everything; render sees only the plan.
 */
const LAYERS = ['cli', 'verify', 'generate', 'write', 'render', 'plan', 'detect', 'adapters', 'project', 'shared', 'errors'] as const;
type Layer = (typeof LAYERS)[number];
const RENDER_MAY_IMPORT: readonly Layer[] = ['render', 'plan', 'shared', 'errors'];

function layerOf(file: string): Layer {
  const [top] = path.relative(SRC, file).split(path.sep);
  const name = top!.replace(/\.ts$/, '') as Layer;
  if (!LAYERS.includes(name)) throw new Error(`${file}: not in a known layer`);
  return name;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => path.join(entry.parentPath, entry.name));
}

/** Relative imports of a module, static and dynamic, resolved to .ts files. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specifiers = [...text.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|^import\s+)['"](\.{1,2}\/[^'"]+)['"]/gm)].map((match) => match[1]!);
  return specifiers.map((specifier) => path.resolve(path.dirname(file), specifier).replace(/\.js$/, '.ts'));
}

describe('the import graph', () => {
  const edges = sourceFiles(SRC).flatMap((file) => importsOf(file).map((target) => ({ from: file, to: target })));

  it('has edges to check (the parser found the imports)', () => {
    expect(edges.length).toBeGreaterThan(100);
  });

  it('has no arrow from a lower layer to a higher one', () => {
    const upward = edges
      .filter(({ from, to }) => LAYERS.indexOf(layerOf(to)) < LAYERS.indexOf(layerOf(from)))
      .map(({ from, to }) => `${path.relative(SRC, from)} → ${path.relative(SRC, to)}`);
    expect(upward).toEqual([]);
  });

  it('has no circle: no module reaches itself through its imports (type-only ones included)', () => {
    const targets = new Map<string, string[]>();
    for (const { from, to } of edges) targets.set(from, [...(targets.get(from) ?? []), to]);
    const done = new Set<string>();
    const circles: string[] = [];
    const visit = (file: string, trail: string[]): void => {
      const seenAt = trail.indexOf(file);
      if (seenAt >= 0) {
        circles.push([...trail.slice(seenAt), file].map((step) => path.relative(SRC, step)).join(' → '));
        return;
      }
      if (done.has(file)) return;
      for (const target of targets.get(file) ?? []) visit(target, [...trail, file]);
      done.add(file);
    };
    for (const file of targets.keys()) visit(file, []);
    expect(circles).toEqual([]);
  });

  it('render sees only the plan (and the shared helpers)', () => {
    const outside = edges
      .filter(({ from, to }) => layerOf(from) === 'render' && !RENDER_MAY_IMPORT.includes(layerOf(to)))
      .map(({ from, to }) => `${path.relative(SRC, from)} → ${path.relative(SRC, to)}`);
    expect(outside).toEqual([]);
  });
});

describe('an adapter in a registry is all a new one needs', () => {
  const registries = [
    { flag: '--pm', key: 'packageManager', ids: packageManagers.map((adapter) => adapter.id) },
    { flag: '--framework', key: 'framework', ids: frameworks.map((adapter) => adapter.id) },
    { flag: '--orm', key: 'orm', ids: orms.map((adapter) => adapter.id) },
    { flag: '--db', key: 'database', ids: databases.map((adapter) => adapter.id) },
  ];
  const readme = readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');

  it.each(registries)('$flag offers exactly the registry: in its --help value, its prompt and the answers schema', ({ flag, key, ids }) => {
    const question = QUESTIONS.find((candidate) => candidate.flag === flag)!;
    expect(question.key).toBe(key);
    expect(question.valueName).toBe(`<${ids.join('|')}>`);
    const properties = (answersSchema().properties as { answers: { properties: Record<string, { enum?: string[] }> } }).answers.properties;
    expect(properties[key]!.enum).toEqual(ids);
  });

  it('the id types name exactly the registered adapters', () => {
    expect([...PACKAGE_MANAGER_IDS].sort()).toEqual(packageManagers.map((adapter) => adapter.id).sort());
    expect([...DATABASE_IDS].sort()).toEqual(databases.map((adapter) => adapter.id).sort());
  });

  it('schema/migrating-stack.schema.json is the schema the answers are validated with (npm run schema:update)', () => {
    expect(readFileSync(path.join(REPO_ROOT, 'schema/migrating-stack.schema.json'), 'utf8')).toBe(answersSchemaText());
  });

  it.each(QUESTIONS.map((question) => ({ flag: question.flag, valueName: question.valueName })))(
    'the README documents $flag as --help shows it',
    ({ flag, valueName }) => {
      const shown = valueName === '' ? `\`${flag}\`, \`${flag.replace(/^--/, '--no-')}\`` : `\`${flag} ${valueName.replace(/\|/g, '\\|')}\``;
      expect(readme).toContain(`| ${shown} |`);
    },
  );

  it('the README names every saved answer', () => {
    const answers = (answersSchema().properties as { answers: { properties: Record<string, unknown> } }).answers.properties;
    const listed = /The answers are those of the \[flags\]\(#flags\):([^;]*);/.exec(readme)?.[1] ?? '';
    expect([...listed.matchAll(/`(\w+)`/g)].map((match) => match[1]).sort()).toEqual(Object.keys(answers).sort());
  });

  it.each(orms.map((orm) => orm.label))('the README has a row for the migration tool %s', (label) => {
    expect(readme).toMatch(new RegExp(`^\\| ${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\|`, 'm'));
  });

  it.each(frameworks.filter((framework) => framework.id !== 'node').map((framework) => framework.label))(
    'the README has a row for the framework %s',
    (label) => {
      expect(readme).toMatch(new RegExp(`^\\| ${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\|`, 'm'));
    },
  );
});
