// classify cuts a repository path at its last '/' (no path.posix walk): it must decide exactly
// as the directory and base name path.posix gives, for every shape of path git prints.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SUPABASE_MIGRATION_PATTERN } from '../../../src/config/migration-pattern.js';
import { classify, compilePattern } from '../../../src/core/migrations/model.js';

const re = compilePattern(SUPABASE_MIGRATION_PATTERN);

/** What classify decided before: path.posix.dirname / basename. */
function byPosix(relPath: string, dir: string) {
  if (path.posix.dirname(relPath) !== dir) return 'other';
  const file = path.posix.basename(relPath);
  if (re.test(file)) return `migration ${file}`;
  return file.toLowerCase().endsWith('.sql') ? `bad-name ${file}` : 'other';
}

function decided(relPath: string, dir: string) {
  const c = classify(relPath, dir, re, 'main', null, 'a'.repeat(40));
  return c.kind === 'other' ? 'other' : `${c.kind} ${c.entry.file}`;
}

describe('classify', () => {
  const paths = [
    'supabase/migrations/20261123001000_add.sql',
    'supabase/migrations/seed.SQL',
    'supabase/migrations/README.md',
    'supabase/migrations/nested/20261123001000_add.sql',
    'supabase/migrations',
    'supabase/migrations.sql',
    'supabase/20261123001000_add.sql',
    'xsupabase/migrations/20261123001000_add.sql',
    '20261123001000_top.sql',
    'top.sql',
    'migrations/1_x.sql',
    'a/b/migrations/1_x.sql',
  ];
  it.each(['supabase/migrations', 'migrations', '.', 'a/b/migrations'])(
    'decides as path.posix does in %s',
    (dir) => {
      for (const p of paths) expect([p, decided(p, dir)]).toEqual([p, byPosix(p, dir)]);
    },
  );

  it('keeps the entry it returned before', () => {
    expect(classify('m/20261123001000_add_posts.sql', 'm', re, 'worktree', 'ps1', 'o1')).toEqual({
      kind: 'migration',
      entry: {
        instance: 'ps1',
        where: 'worktree',
        path: 'm/20261123001000_add_posts.sql',
        file: '20261123001000_add_posts.sql',
        oid: 'o1',
        version: '20261123001000',
        name: 'add_posts',
      },
    });
  });
});
