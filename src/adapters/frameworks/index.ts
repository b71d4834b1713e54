import type { FrameworkAdapter } from '../types.js';
import { plainNode } from './node.js';

/** Every supported framework, most specific first: the first whose detect() matches wins. */
export const frameworks: readonly FrameworkAdapter[] = [plainNode];

export function frameworkById(id: string): FrameworkAdapter | undefined {
  return frameworks.find((framework) => framework.id === id);
}
