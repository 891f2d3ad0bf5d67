import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { expect, it } from 'vitest';
import { buildKeymap } from '../../src/keymap/keymap.js';
import { keysMarkdown } from '../../src/keymap/markdown.js';
import { REPO_ROOT } from '../helpers/git-fixture.js';

it('the README key table is the one generated from the keymap', async () => {
  const readme = await readFile(path.join(REPO_ROOT, 'README.md'), 'utf8');
  const table = keysMarkdown(buildKeymap());
  // On failure: paste this table into README.md under "Keys".
  expect(readme.includes(table), `README.md is missing the current key table:\n${table}`).toBe(
    true,
  );
});
