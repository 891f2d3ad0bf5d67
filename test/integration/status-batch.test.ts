// `status` reads the whole fleet with one `worktree list`, one `log --no-walk`, one ahead/behind
// walk and, per worktree, `status`; its rows must equal the per-instance reading the TUI uses
// (statusOf).
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

it('ahead/behind of the whole fleet in one rev-list equals each row counted alone: merges of main, criss-cross, far behind', async () => {
  fx = await makeFleet({ instances: 5 });
  const [a, b, c] = fx.instances.map((i) => i.worktree);
  // a: two commits, then main moves twice and a merges it, then one more commit.
  await fx.commit(a!, { 'a1.txt': '1\n' }, 'a1');
  await fx.commit(a!, { 'a2.txt': '2\n' }, 'a2');
  await fx.pushFromOutside({ 'm1.txt': '1\n' }, 'm1');
  await fx.pushFromOutside({ 'm2.txt': '2\n' }, 'm2');
  await fx.git(a!, 'fetch', '-q', 'origin');
  await fx.git(a!, 'merge', '-q', '--no-edit', 'origin/main');
  await fx.commit(a!, { 'a3.txt': '3\n' }, 'a3');
  // b and c: a criss-cross (each merged the other's first commit), then main moves on.
  await fx.commit(b!, { 'b.txt': 'b\n' }, 'b1');
  await fx.commit(c!, { 'c.txt': 'c\n' }, 'c1');
  const b1 = await fx.git(b!, 'rev-parse', 'HEAD');
  const c1 = await fx.git(c!, 'rev-parse', 'HEAD');
  await fx.git(b!, 'merge', '-q', '--no-edit', c1);
  await fx.git(c!, 'merge', '-q', '--no-edit', b1);
  await fx.pushFromOutside({ 'm3.txt': '3\n' }, 'm3');
  // d: nothing of its own, far behind; e: untouched.
  for (let k = 4; k < 9; k++) await fx.pushFromOutside({ [`m${k}.txt`]: `${k}\n` }, `m${k}`);
  await fx.git(fx.repo, 'fetch', '-q', 'origin');

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
  expect(batch.map((r) => [r.ahead, r.behind])).toEqual([
    [4, 6],
    [3, 8],
    [3, 8],
    [0, 8],
    [0, 8],
  ]);
  expect(seen.filter((s) => s[0] === 'rev-list')).toHaveLength(1);
});

it('heads read from the files start the fleet reads beside the listing; where the listing differs they are read again', async () => {
  fx = await makeFleet({ instances: 3 });
  const [a, b, c] = fx.instances;
  await fx.commit(a!.worktree, { 'a.txt': 'a\n' }, 'ps1: a');
  // b's branch only in packed-refs; c: not a worktree, but a `.git` file naming a git dir whose
  // HEAD is main's first commit, which no listed worktree has checked out.
  await fx.commit(b!.worktree, { 'b.txt': 'b\n' }, 'ps2: b');
  await fx.git(fx.repo, 'pack-refs', '--all');
  const config = await loadConfig({ cwd: fx.repo });
  const ctx = await statusContext(config);
  const rows = async () => {
    const seen: string[][] = [];
    const stop = observeGit((args) => void seen.push([...args]));
    try {
      return {
        batch: await collectStatus(config),
        bases: seen.filter((s) => s[0] === 'merge-base'),
      };
    } finally {
      stop();
    }
  };
  const guessed = await rows();
  expect(guessed.batch).toEqual(
    await Promise.all(config.instances.map((i) => statusOf(config, i, ctx))),
  );
  expect(guessed.bases).toHaveLength(1);

  const first = await fx.git(fx.repo, 'rev-list', '--max-parents=0', 'HEAD');
  await fx.git(fx.repo, 'worktree', 'remove', '--force', c!.worktree);
  const fake = path.join(fx.dir, 'fake-git-dir');
  await mkdir(fake, { recursive: true });
  await writeFile(path.join(fake, 'HEAD'), `${first}\n`);
  await mkdir(c!.worktree, { recursive: true });
  await writeFile(path.join(c!.worktree, '.git'), `gitdir: ${fake}\n`);
  const wrong = await rows();
  expect(wrong.batch).toEqual(
    await Promise.all(config.instances.map((i) => statusOf(config, i, ctx))),
  );
  expect(wrong.batch.map((r) => r.exists)).toEqual([true, true, false]);
  // Once with the guess (which has `first`), once with the listed heads (which do not).
  expect(wrong.bases).toHaveLength(2);
  expect(wrong.bases[0]).toContain(first);
  expect(wrong.bases[1]).not.toContain(first);
});
