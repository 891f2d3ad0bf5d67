// Issue "Never lose work", item 5: with one selected branch freshly synced (it contains main)
// and another left needs-sync (it still holds commits that landed as copies), the next land
// did not recognise the landed commits: a false `conflict`, or "landed 0 commits" and a wasted
// push. Already-landed commits are now recognised by patch-id whatever the mix of branches.
import { afterEach, describe, expect, it } from 'vitest';
import { land } from '../../src/core/land/index.js';
import type { FleetFixture } from '../helpers/git-fixture.js';
import { countNetwork, fleetWithConfig } from '../helpers/land-helpers.js';

const main = (fx: FleetFixture, file: string) => fx.git(fx.origin, 'show', `main:${file}`);

/** ps1 synced, ps2 needs-sync (a dirty tracked file) holding a landed commit. */
async function mixedFleet(files: Record<string, string> = {}) {
  const f = await fleetWithConfig({
    instances: 2,
    files: { 'shared.txt': 'one\ntwo\nthree\n', ...files },
  });
  const fx = f.fx;
  const [ps1, ps2] = fx.instances;
  await fx.commit(ps1!.worktree, { 'ps1/a.txt': 'a\n' }, 'ps1: a');
  await fx.commit(ps2!.worktree, { 'shared.txt': 'ONE\ntwo\nthree\n' }, 'ps2: shout one');
  await fx.write(ps2!.worktree, { 'ps2-notes.txt': 'x\n' });
  await fx.git(ps2!.worktree, 'add', 'ps2-notes.txt');
  const first = await land(f.config, { all: true });
  expect(first.instances.map((i) => [i.outcome, i.sync])).toEqual([
    ['landed', 'synced'],
    ['landed', 'needs-sync'],
  ]);
  return { ...f, ps1: ps1!, ps2: ps2! };
}

describe('land: already-landed commits, synced and needs-sync branches mixed', () => {
  let fx: FleetFixture | undefined;
  afterEach(async () => {
    await fx?.cleanup();
    fx = undefined;
  });

  it('nothing new anywhere: every instance "nothing", no push', async () => {
    const f = await mixedFleet();
    fx = f.fx;
    const { value: r, pushes } = await countNetwork(() => land(f.config, { all: true }));
    expect(r.instances.map((i) => [i.id, i.outcome])).toEqual([
      ['ps1', 'nothing'],
      ['ps2', 'nothing'],
    ]);
    expect(r.instances[1]!.reason).toMatch(/already on origin\/main/);
    expect([r.ok, r.pushes, pushes]).toEqual([true, 0, 0]);
  });

  it('the synced one has new work: it lands, the needs-sync one is "nothing", no false conflict', async () => {
    const f = await mixedFleet();
    fx = f.fx;
    // ps1 (contains main) changes the very line ps2's landed commit changed.
    await fx.commit(f.ps1.worktree, { 'shared.txt': 'ONE!\ntwo\nthree\n' }, 'ps1: louder');
    const r = await land(f.config, { all: true });
    expect(r.instances.map((i) => [i.id, i.outcome, i.commits])).toEqual([
      ['ps1', 'landed', 1],
      ['ps2', 'nothing', 0],
    ]);
    expect(r.ok).toBe(true);
    // ps2's catch-up sync was refused (its staged file): said, not dropped.
    expect(r.instances[1]!.sync).toBe('unchanged');
    expect(r.instances[1]!.reason).toMatch(/not caught up with main: .+/);
    expect(await main(fx, 'shared.txt')).toBe('ONE!\ntwo\nthree');
  });

  it('the needs-sync one has a new commit too: only that commit lands, main keeps later edits', async () => {
    const f = await mixedFleet();
    fx = f.fx;
    await fx.commit(f.ps1.worktree, { 'shared.txt': 'ONE!\ntwo\nthree\n' }, 'ps1: louder');
    expect((await land(f.config, { all: true })).ok).toBe(true);
    await fx.commit(f.ps2.worktree, { 'ps2/b.txt': 'b\n' }, 'ps2: b');
    const before = await fx.git(fx.origin, 'rev-parse', 'main');
    const r = await land(f.config, { all: true });
    expect(r.instances.map((i) => [i.id, i.outcome, i.commits])).toEqual([
      ['ps1', 'nothing', 0],
      ['ps2', 'landed', 1],
    ]);
    expect(await fx.git(fx.origin, 'log', '--format=%s', `${before}..main`)).toBe('ps2: b');
    // ps2's old commit did not undo ps1's later edit of the same line.
    expect(await main(fx, 'shared.txt')).toBe('ONE!\ntwo\nthree');
    expect(await main(fx, 'ps2/b.txt')).toBe('b');
  });

  it('content check: a replay that would undo main\'s change is refused ("error"), the chain goes on without it', async () => {
    const f = await fleetWithConfig({ instances: 2, files: { 'shared.txt': 'a\n' } });
    fx = f.fx;
    const [ps1, ps2] = fx.instances;
    // ps1 lands a commit but stays needs-sync (something staged): its next land replays commit
    // by commit, as rebase does.
    await fx.commit(ps1!.worktree, { 'ps1/l.txt': 'l\n' }, 'ps1: l');
    await fx.write(ps1!.worktree, { 'staged.txt': 's\n' });
    await fx.git(ps1!.worktree, 'add', 'staged.txt');
    await fx.pushFromOutside({ 'other.txt': 'o\n' }, 'outside: other');
    const first = await land(f.config, { all: true });
    expect(first.instances[0]!.sync, JSON.stringify(first)).toBe('needs-sync');
    // Then it changes a line and changes it back: its own change to shared.txt is nothing.
    await fx.commit(ps1!.worktree, { 'shared.txt': 'b\n', 'ps1/x.txt': 'x\n' }, 'ps1: b');
    const tip = await fx.commit(ps1!.worktree, { 'shared.txt': 'a\n' }, 'ps1: back to a');
    // Main makes the same edit in a commit of its own (not the same patch).
    await fx.pushFromOutside({ 'shared.txt': 'b\n', 'outside.txt': 'o\n' }, 'outside: b');
    await fx.commit(ps2!.worktree, { 'ps2/y.txt': 'y\n' }, 'ps2: y');
    const r = await land(f.config, { all: true });
    // Replayed commit by commit, "back to a" would revert main's edit: refused, not landed.
    expect(r.instances.map((i) => [i.id, i.outcome, i.sync])).toEqual([
      ['ps1', 'error', 'unchanged'],
      ['ps2', 'landed', 'synced'],
    ]);
    expect(r.instances[0]!.files).toEqual(['shared.txt']);
    expect(r.instances[0]!.reason).toMatch(
      /content check failed.*shared\.txt.*nothing of it was landed/,
    );
    expect(await main(fx, 'shared.txt')).toBe('b');
    expect(await fx.git(fx.origin, 'log', '--format=%s', '-1', 'main')).toBe('ps2: y');
    expect(await fx.git(fx.origin, 'ls-tree', '--name-only', 'main', 'ps1/x.txt')).toBe('');
    expect(await fx.git(ps1!.worktree, 'rev-parse', 'HEAD')).toBe(tip);
  });
});
