// The land gate reads every chain segment's migration changes with one `git diff-tree --stdin`;
// each segment's changes must equal `git diff from..to` of that segment alone (readRange).
import { afterEach, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { layoutOf } from '../../src/core/migrations/check.js';
import { readRange, readRanges } from '../../src/core/migrations/sources.js';
import { makeFleet, type FleetFixture } from '../helpers/git-fixture.js';

let fx: FleetFixture | undefined;
afterEach(async () => {
  await fx?.cleanup();
  fx = undefined;
});

it('readRanges equals readRange per range: adds, edits, a rename, deletes, empty and repeated ranges', async () => {
  fx = await makeFleet({ instances: 1, worktrees: false });
  const dir = 'supabase/migrations';
  const c0 = await fx.git(fx.repo, 'rev-parse', 'HEAD');
  const c1 = await fx.commit(
    fx.repo,
    { [`${dir}/20260101000000_a.sql`]: 'select 1;\n', 'other.txt': 'x' },
    'a',
  );
  const c2 = await fx.commit(fx.repo, { [`${dir}/20260101000500_b.sql`]: 'select 2;\n' }, 'b');
  await fx.git(fx.repo, 'mv', `${dir}/20260101000000_a.sql`, `${dir}/20260101001000_a_moved.sql`);
  await fx.git(fx.repo, 'commit', '-q', '-m', 'rename');
  const c3 = await fx.git(fx.repo, 'rev-parse', 'HEAD');
  await fx.git(fx.repo, 'rm', '-q', `${dir}/20260101000500_b.sql`);
  await fx.git(fx.repo, 'commit', '-q', '-m', 'delete');
  const c4 = await fx.git(fx.repo, 'rev-parse', 'HEAD');
  const c5 = await fx.commit(fx.repo, { 'only-other.txt': 'y' }, 'no migrations');
  const layout = layoutOf(await loadConfig({ cwd: fx.repo }));
  const ranges: Array<[string, string]> = [
    [c0, c1],
    [c1, c2],
    [c2, c3],
    [c3, c4],
    [c4, c5],
    [c2, c2],
    [c0, c3],
    [c1, c3],
  ];
  const batch = await readRanges(fx.repo, ranges, layout);
  const one = await Promise.all(ranges.map(([f, t]) => readRange(fx!.repo, `${f}..${t}`, layout)));
  expect(batch).toEqual(one);
  expect(batch[2]!.some((c) => c.status === 'R')).toBe(true);
  expect(batch[4]).toEqual([]);
});
