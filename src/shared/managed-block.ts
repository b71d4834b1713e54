/**
 * A file the user and the generator share (.env.example): the user's lines stay as they are and
 * the generator owns one block between these markers.
 */
export const BLOCK_START = '# >>> create-migrating-stack: managed block, regenerated; edit outside it';
export const BLOCK_END = '# <<< create-migrating-stack';

/** The managed block (markers included), or undefined. */
export function extractManagedBlock(text: string): string | undefined {
  const start = text.indexOf(BLOCK_START);
  const end = text.indexOf(BLOCK_END, start);
  return start === -1 || end === -1 ? undefined : text.slice(start, end + BLOCK_END.length);
}

/** The text without the managed block and the blank lines around it. */
export function stripManagedBlock(text: string): string {
  const block = extractManagedBlock(text);
  if (block === undefined) return text;
  const [before, after] = text.split(block) as [string, string];
  const kept = `${before.replace(/\n+$/, '\n')}${after.replace(/^\n+/, '')}`;
  return kept.trim() === '' ? '' : kept;
}

/** The user's text followed by the block, separated by one blank line. */
export function withManagedBlock(userText: string, block: string): string {
  const user = userText.replace(/\n*$/, '');
  return user === '' ? `${block}\n` : `${user}\n\n${block}\n`;
}
