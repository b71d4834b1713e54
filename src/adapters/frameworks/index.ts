import type { FrameworkAdapter } from '../types.js';
import { astro } from './astro.js';
import { nestjs } from './nestjs.js';
import { nextjs } from './nextjs.js';
import { plainNode } from './node.js';
import { nuxt } from './nuxt.js';
import { reactRouter } from './react-router.js';
import { remix } from './remix.js';
import { sveltekit } from './sveltekit.js';

/** Every supported framework, most specific first: the first whose detect() matches wins. */
export const frameworks: readonly FrameworkAdapter[] = [nestjs, nextjs, nuxt, sveltekit, reactRouter, remix, astro, plainNode];

export function frameworkById(id: string): FrameworkAdapter | undefined {
  return frameworks.find((framework) => framework.id === id);
}
