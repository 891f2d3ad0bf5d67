// The chain built by the prefix scan (replay-scan.ts) must be the sequential replay's chain, commit
// for commit, or not be used at all. Each fleet here is replayed both ways on the same base.
import { afterEach, describe, expect, it } from 'vitest';
import type { FleetFixture } from '../helpers/git-fixture.js';
import { makeFleet } from '../helpers/git-fixture.js';
import { readCommits } from '../../src/core/land/objects.js';
import { buildFrom, openReplay, type ReplayInput } from '../../src/core/land/replay.js';
import { scanFrom } from '../../src/core/land/replay-scan.js';
import { buildChain } from '../../src/core/land/content-check.js';

async function inputsOf(fx: FleetFixture): Promise<ReplayInput[]> {
  const out: ReplayInput[] = [];
  for (const i of fx.instances) {
    const commits = (await fx.git(i.worktree, 'rev-list', '--reverse', 'origin/main..HEAD'))
      .split('\n')
      .filter(Boolean);
    out.push({
      id: i.id,
      branch: i.branch,
      worktree: i.worktree,
      tip: await fx.git(i.worktree, 'rev-parse', 'HEAD'),
      commits,
      linear: true,
      merges: false,
      checkBase: null,
      newCount: commits.length,
    });
  }
  return out;
}

/** Both ways on origin/main: the scan's chain (or null) and the sequential one. */
async function bothWays(fx: FleetFixture) {
  const base = await fx.git(fx.repo, 'rev-parse', 'origin/main');
  const inputs = await inputsOf(fx);
  const committer = await fx.git(fx.repo, 'var', 'GIT_COMMITTER_IDENT');
  const ctx = openReplay(fx.repo, 'sha1', committer, {
    merges: 'merge',
    mainName: 'origin/main',
    mainBranch: 'main',
  });
  try {
    const raw = await readCommits(fx.repo, [base, ...inputs.flatMap((i) => i.commits)]);
    const start = { tip: base, tipTree: raw.get(base)!.tree };
    const todo = inputs.map((input, index) => ({ input, index }));
    const scanned = await scanFrom(ctx, raw, start, todo);
    const sequential = await buildFrom(ctx, raw, start, todo, new Set());
    const chain = await buildChain(ctx, base, inputs);
    return { scanned, sequential, chain };
  } finally {
    await ctx.close();
  }
}

describe('land: the chain by prefix scan', () => {
  let fx: FleetFixture | undefined;
  afterEach(async () => {
    await fx?.cleanup();
    fx = undefined;
  });

  it('clean overlapping edits, an emptied commit, a directory moved under another one’s new file: the same chain', async () => {
    fx = await makeFleet({
      instances: 6,
      files: { 'docs/a.md': 'a\n', 'docs/b.md': 'b\n', 'shared.txt': '1\n2\n3\n4\n5\n6\n7\n8\n' },
    });
    const w = fx.instances.map((i) => i.worktree);
    await fx.commit(w[0]!, { 'ps1/x.txt': 'x\n' }, 'ps1: x');
    await fx.commit(w[0]!, { 'ps1/y.txt': 'y\n' }, 'ps1: y');
    // ps2 and ps3 edit far-apart lines of one file: merges that are clean but not disjoint.
    await fx.commit(w[1]!, { 'shared.txt': 'one\n2\n3\n4\n5\n6\n7\n8\n' }, 'ps2: line 1');
    await fx.commit(w[2]!, { 'shared.txt': '1\n2\n3\n4\n5\n6\n7\neight\n' }, 'ps3: line 8');
    // ps4 moves docs/ to manual/; ps5 adds a file under docs/ (git's directory rename applies).
    await fx.git(w[3]!, 'mv', 'docs', 'manual');
    await fx.git(w[3]!, 'commit', '-q', '-m', 'ps4: docs → manual');
    await fx.commit(w[4]!, { 'docs/c.md': 'c\n' }, 'ps5: docs/c');
    // ps6 makes the same change as ps1's first commit (it becomes empty on the chain), then more.
    await fx.commit(w[5]!, { 'ps1/x.txt': 'x\n' }, 'ps6: same x');
    await fx.commit(w[5]!, { 'ps6/z.txt': 'z\n' }, 'ps6: z');
    const { scanned, sequential, chain } = await bothWays(fx);
    // git calls ps5's new file a conflict (its directory moved): one at a time drops ps5.
    const said = (r: { id: string; outcome: string; files: string[] }) => [
      r.id,
      r.outcome,
      r.files,
    ];
    expect(sequential.refusals.map(said)).toEqual([['ps5', 'conflict', ['manual/c.md']]]);
    expect(scanned).toBeNull();
    expect(chain.tip).toBe(sequential.tip);
    expect(chain.refusals.map(said)).toEqual(sequential.refusals.map(said));
    expect(chain.steps.find((s) => s.id === 'ps6')!.added).toBe(1);
  });

  it('overlapping clean edits and an emptied commit: the scan gives the sequential chain', async () => {
    fx = await makeFleet({ instances: 4, files: { 'shared.txt': '1\n2\n3\n4\n5\n6\n7\n8\n' } });
    const w = fx.instances.map((i) => i.worktree);
    await fx.commit(w[0]!, { 'ps1/x.txt': 'x\n' }, 'ps1: x');
    await fx.commit(w[1]!, { 'shared.txt': 'one\n2\n3\n4\n5\n6\n7\n8\n' }, 'ps2: line 1');
    await fx.commit(w[2]!, { 'shared.txt': '1\n2\n3\n4\n5\n6\n7\neight\n' }, 'ps3: line 8');
    await fx.commit(w[3]!, { 'ps1/x.txt': 'x\n' }, 'ps4: same x as ps1');
    await fx.commit(w[3]!, { 'ps4/z.txt': 'z\n' }, 'ps4: z');
    const { scanned, sequential, chain } = await bothWays(fx);
    expect(sequential.refusals).toEqual([]);
    expect(scanned).not.toBeNull();
    expect(scanned!.tip).toBe(sequential.tip);
    expect(scanned!.steps).toEqual(sequential.steps);
    expect(chain.tip).toBe(sequential.tip);
    expect(sequential.steps.map((s) => s.added)).toEqual([1, 1, 1, 1]);
  });

  it('plain disjoint instances: the scan is used and gives the sequential chain', async () => {
    fx = await makeFleet({ instances: 5 });
    for (const i of fx.instances) {
      await fx.commit(i.worktree, { [`${i.id}/a.txt`]: 'a\n' }, `${i.id}: a`);
      await fx.commit(i.worktree, { [`${i.id}/b.txt`]: 'b\n' }, `${i.id}: b`);
    }
    const { scanned, sequential, chain } = await bothWays(fx);
    expect(scanned).not.toBeNull();
    expect(scanned!.tip).toBe(sequential.tip);
    expect(scanned!.steps).toEqual(sequential.steps);
    expect(chain.tip).toBe(sequential.tip);
    expect(sequential.steps.map((s) => s.added)).toEqual([2, 2, 2, 2, 2]);
  });

  it('a conflict between two instances: no scan; one at a time drops the later one', async () => {
    fx = await makeFleet({ instances: 4 });
    const w = fx.instances.map((i) => i.worktree);
    await fx.commit(w[0]!, { 'ps1/a.txt': 'a\n' }, 'ps1: a');
    await fx.commit(w[1]!, { 'same.txt': 'from ps2\n' }, 'ps2: same');
    await fx.commit(w[2]!, { 'ps3/a.txt': 'a\n' }, 'ps3: a');
    await fx.commit(w[3]!, { 'same.txt': 'from ps4\n' }, 'ps4: same');
    const { scanned, sequential, chain } = await bothWays(fx);
    expect(scanned).toBeNull();
    expect(chain.tip).toBe(sequential.tip);
    expect(chain.refusals.map((r) => [r.id, r.outcome, r.files])).toEqual([
      ['ps4', 'conflict', ['same.txt']],
    ]);
    expect(chain.steps.map((s) => s.id)).toEqual(['ps1', 'ps2', 'ps3']);
  });
});
