/** Flags a fixture needs to generate with --yes (what a user would answer at the prompts). */
export const GOLDEN_FLAGS: Record<string, string[]> = {};

export function flagsFor(fixture: string): string[] {
  return GOLDEN_FLAGS[fixture] ?? [];
}
