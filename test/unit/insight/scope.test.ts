import { describe, expect, it } from 'vitest';
import { outsideScope } from '../../../src/core/insight/scope.js';
import { parsePorcelainV2 } from '../../../src/core/insight/scope-git.js';

describe('outsideScope (pure)', () => {
  it('keeps files matching neither the role nor the shared globs, sorted and once each', () => {
    expect(
      outsideScope(
        [
          'blog/a.ts',
          'web/b.ts',
          'web/b.ts',
          '.github/ci.yml',
          'package-lock.json',
          'docs/x/y.md',
          'blog',
        ],
        ['blog/**'],
        ['package-lock.json', 'docs/'],
      ),
    ).toEqual(['.github/ci.yml', 'web/b.ts']);
  });
  it('dotfiles match like other files; a role without paths owns everything', () => {
    expect(outsideScope(['blog/.env', 'x/.hidden'], ['blog/**'], [])).toEqual(['x/.hidden']);
    expect(outsideScope(['anything'], [], ['docs/**'])).toEqual([]);
  });
});

describe('parsePorcelainV2', () => {
  it('reads changed, renamed (both names), unmerged and untracked paths, spaces and newlines kept', () => {
    const out = [
      '1 M. N... 100644 100644 100644 aaa bbb src/a b.ts',
      '2 R. N... 100644 100644 100644 aaa bbb R100 new/name.ts',
      'old/name.ts',
      'u UU N... 100644 100644 100644 100644 aaa bbb ccc con\nflict.ts',
      '? untracked/one.txt',
      '! ignored.log',
      '',
    ].join('\0');
    expect(parsePorcelainV2(out)).toEqual([
      'src/a b.ts',
      'new/name.ts',
      'old/name.ts',
      'con\nflict.ts',
      'untracked/one.txt',
    ]);
  });
});
