import { describe, expect, it } from 'vitest';
import { parseCommand } from '../../../src/shared/shell.js';

describe('parseCommand', () => {
  it('splits shell words and refuses operators', () => {
    expect(parseCommand('node "dist/my server.js" --flag', '--start')).toEqual(['node', 'dist/my server.js', '--flag']);
    expect(() => parseCommand('node a.js && rm -rf /', '--start')).toThrow(/--start/);
  });
});
