// `status` reads the whole fleet with one `worktree list`, one `log --no-walk` and, per worktree,
// `status` + ahead/behind; its rows must equal the per-instance reading the TUI uses (statusOf).
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { collectStatus, statusOf } from '../../src/core/git/index.js';
import { observeGit } from '../../src/core/git/run.js';
import { statusContext } from '../../src/core/git/status.js';
import { makeFleet, type FleetFixture } from '../helpers/git-fixture.js';

let fx: FleetFixture | undefined;
afterEach(async () => {
  await fx?.cleanup();
  fx = undefined;
});

it('batched rows equal per-instance rows: ahead, dirty, detached, mid-merge, missing, not a worktree', async () => {
  fx = await makeFleet({ instances: 6 });
  const [a, b, c, d, e, f] = fx.instances;
  await fx.commit(a!.worktree, { 'a.txt': 'a\n' }, 'ps1: a');
  await fx.write(b!.worktree, { 'dirty.txt': 'x\n' });
  await fx.pushFromOutside({ 'main.txt': 'm\n' }, 'main moves');
  await fx.git(fx.repo, 'fetch', '-q', 'origin');
  await fx.git(c!.worktree, 'checkout', '-q', '--detach');
  // d: a merge stopped on a conflict (MERGE_HEAD in its own git dir).
  await fx.commit(d!.worktree, { 'main.txt': 'mine\n' }, 'ps4: conflicting');
  await fx.git(d!.worktree, 'merge', '-q', 'origin/main').catch(() => undefined);
  // e: its worktree is gone; f: a plain directory where its worktree should be.
  await fx.git(fx.repo, 'worktree', 'remove', '--force', e!.worktree);
  await fx.git(fx.repo, 'worktree', 'remove', '--force', f!.worktree);
  await mkdir(f!.worktree, { recursive: true });
  await writeFile(path.join(f!.worktree, 'x'), 'not a worktree\n');

  const config = await loadConfig({ cwd: fx.repo });
  const ctx = await statusContext(config);
  const one = await Promise.all(config.instances.map((i) => statusOf(config, i, ctx)));
  const seen: string[][] = [];
  const stop = observeGit((args) => void seen.push([...args]));
  let batch;
  try {
    batch = await collectStatus(config);
  } finally {
    stop();
  }
  expect(batch).toEqual(one);
  expect(batch[3]!.operation).toBe('merge');
  expect(batch.map((r) => r.exists)).toEqual([true, true, true, true, false, false]);
  // One worktree list and one log for the fleet; no per-worktree rev-parse or log.
  const count = (sub: string) => seen.filter((s) => s[0] === sub).length;
  expect(count('worktree')).toBe(1);
  expect(count('log')).toBe(1);
  expect(count('status')).toBe(4);
  expect(seen.filter((s) => s[0] === 'rev-parse' && s.includes('--show-toplevel'))).toEqual([]);
});
