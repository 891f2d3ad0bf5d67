// Issue "Never lose work", item 2: content introduced by a merge commit on an instance branch
// (a file added while merging main with --no-commit, a conflict resolution, an extra edit) used
// to be dropped from main and then from the branch by the sync; a resolved conflict reported
// `conflict` on every land. Now such a branch lands linearly when that carries everything, and
// as one merge commit otherwise (land.merges: 'merge'), or is blocked ('refuse').
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { land, syncInstance } from '../../src/core/land/index.js';
import type { FleetFixture } from '../helpers/git-fixture.js';
import { fleetWithConfig } from '../helpers/land-helpers.js';

const main = (fx: FleetFixture, file: string) => fx.git(fx.origin, 'show', `main:${file}`);

/** The instance merges origin/main without committing, lets `edit` change the result, commits. */
async function mergeMain(
  fx: FleetFixture,
  wt: string,
  edit: (wt: string) => Promise<void>,
): Promise<string> {
  await fx.git(wt, 'fetch', '-q', 'origin');
  await fx.git(wt, 'merge', '--no-commit', '--no-ff', 'origin/main').catch(() => undefined);
  await edit(wt);
  await fx.git(wt, 'add', '-A');
  await fx.git(wt, 'commit', '-q', '--no-edit');
  return fx.git(wt, 'rev-parse', 'HEAD');
}

describe('land: branches with merge commits', () => {
  let fx: FleetFixture | undefined;
  afterEach(async () => {
    await fx?.cleanup();
    fx = undefined;
  });

  it('merge of main with a file added under --no-commit: the file lands, as one merge commit', async () => {
    const f = await fleetWithConfig({ instances: 2 });
    fx = f.fx;
    const [ps1, ps2] = fx.instances;
    await fx.commit(ps1!.worktree, { 'ps1/a.txt': 'a\n' }, 'ps1: a');
    await fx.pushFromOutside({ 'outside.txt': 'out\n' }, 'outside');
    const tip = await mergeMain(fx, ps1!.worktree, (wt) =>
      fx!.write(wt, { 'added-in-merge.txt': 'only in the merge\n' }),
    );
    await fx.commit(ps2!.worktree, { 'ps2/b.txt': 'b\n' }, 'ps2: b');
    const r = await land(f.config, { all: true });
    expect(r.instances.map((i) => [i.id, i.outcome, i.sync])).toEqual([
      ['ps1', 'landed', 'synced'],
      ['ps2', 'landed', 'synced'],
    ]);
    expect(await main(fx, 'added-in-merge.txt')).toBe('only in the merge');
    expect(await main(fx, 'ps1/a.txt')).toBe('a');
    expect(await main(fx, 'ps2/b.txt')).toBe('b');
    // Landed as a merge of the branch tip: its whole history is on main.
    await fx.git(fx.origin, 'merge-base', '--is-ancestor', tip, 'main');
    expect((await fx.git(fx.origin, 'rev-list', '--merges', 'main')).split('\n')).toHaveLength(2);
    // The sync keeps the file in the worktree.
    expect(await readFile(path.join(ps1!.worktree, 'added-in-merge.txt'), 'utf8')).toBe(
      'only in the merge\n',
    );
  });

  it('a resolved conflict lands (it used to be "conflict" on every land)', async () => {
    const f = await fleetWithConfig({ instances: 1, files: { 'shared.txt': 'base\n' } });
    fx = f.fx;
    const [ps1] = fx.instances;
    await fx.commit(ps1!.worktree, { 'shared.txt': 'ps1\n', 'ps1/x.txt': 'x\n' }, 'ps1: edit');
    await fx.pushFromOutside({ 'shared.txt': 'outside\n' }, 'outside: edit');
    await mergeMain(fx, ps1!.worktree, (wt) => fx!.write(wt, { 'shared.txt': 'resolved\n' }));
    const r = await land(f.config, { all: true });
    expect(r.instances[0]).toMatchObject({ outcome: 'landed', sync: 'synced' });
    expect(await main(fx, 'shared.txt')).toBe('resolved');
    expect(await main(fx, 'ps1/x.txt')).toBe('x');
    expect(await readFile(path.join(ps1!.worktree, 'shared.txt'), 'utf8')).toBe('resolved\n');
    // A second land has nothing to do.
    const again = await land(f.config, { all: true });
    expect(again.instances[0]).toMatchObject({ outcome: 'nothing' });
    expect(again.pushes).toBe(0);
  });

  it('extra content in the merge (an edit to a file no one else touched) lands', async () => {
    const f = await fleetWithConfig({ instances: 1, files: { 'notes.txt': 'one\n' } });
    fx = f.fx;
    const [ps1] = fx.instances;
    await fx.pushFromOutside({ 'outside.txt': 'out\n' }, 'outside');
    await mergeMain(fx, ps1!.worktree, (wt) => fx!.write(wt, { 'notes.txt': 'one\ntwo\n' }));
    // No commit of its own besides the merge: it used to count as "nothing to land".
    const r = await land(f.config, { all: true });
    expect(r.instances[0]).toMatchObject({ outcome: 'landed', sync: 'synced' });
    expect(await main(fx, 'notes.txt')).toBe('one\ntwo');
    expect(await main(fx, 'outside.txt')).toBe('out');
  });

  it('a clean merge of main with nothing of its own lands linearly (no merge commit on main)', async () => {
    const f = await fleetWithConfig({ instances: 1 });
    fx = f.fx;
    const [ps1] = fx.instances;
    await fx.commit(ps1!.worktree, { 'ps1/a.txt': 'a\n' }, 'ps1: a');
    await fx.pushFromOutside({ 'outside.txt': 'out\n' }, 'outside');
    await mergeMain(fx, ps1!.worktree, () => Promise.resolve());
    await fx.commit(ps1!.worktree, { 'ps1/b.txt': 'b\n' }, 'ps1: b');
    const r = await land(f.config, { all: true });
    expect(r.instances[0]).toMatchObject({ outcome: 'landed', commits: 2, sync: 'synced' });
    expect(await fx.git(fx.origin, 'rev-list', '--merges', 'main')).toBe('');
    expect(await fx.git(fx.origin, 'log', '--format=%s', '-2', 'main')).toBe('ps1: b\nps1: a');
  });

  it("land.merges: 'refuse' blocks it with what to run; nothing of it moves", async () => {
    const f = await fleetWithConfig({
      instances: 2,
      files: { 'shared.txt': 'base\n' },
      configExtra: "  land: { merges: 'refuse' },",
    });
    fx = f.fx;
    const [ps1, ps2] = fx.instances;
    await fx.commit(ps1!.worktree, { 'shared.txt': 'ps1\n' }, 'ps1: edit');
    await fx.pushFromOutside({ 'shared.txt': 'outside\n' }, 'outside: edit');
    const tip = await mergeMain(fx, ps1!.worktree, (wt) =>
      fx!.write(wt, { 'shared.txt': 'resolved\n' }),
    );
    await fx.commit(ps2!.worktree, { 'ps2/b.txt': 'b\n' }, 'ps2: b');
    const before = await fx.git(fx.origin, 'rev-parse', 'main');
    const r = await land(f.config, { all: true });
    expect(r.ok).toBe(false);
    expect(r.instances.map((i) => [i.id, i.outcome])).toEqual([
      ['ps1', 'blocked'],
      ['ps2', 'landed'],
    ]);
    expect(r.instances[0]!.reason).toMatch(/land\.merges.*'refuse'.*git reset --soft/);
    expect(await fx.git(ps1!.worktree, 'rev-parse', 'HEAD')).toBe(tip);
    expect(await main(fx, 'shared.txt')).toBe('outside');
    await fx.git(fx.origin, 'merge-base', '--is-ancestor', before, 'main');
    // The advice works: squash, then land.
    await fx.git(ps1!.worktree, 'fetch', '-q', 'origin');
    const mb = await fx.git(ps1!.worktree, 'merge-base', 'HEAD', 'origin/main');
    await fx.git(ps1!.worktree, 'reset', '--soft', mb);
    await fx.git(ps1!.worktree, 'commit', '-q', '-m', 'ps1: squashed');
    const again = await land(f.config, { all: true });
    expect(again.instances[0]).toMatchObject({ outcome: 'landed' });
    expect(await main(fx, 'shared.txt')).toBe('resolved');
  });

  it('sync leaves a branch with merge commits alone instead of flattening them (the file stays)', async () => {
    const f = await fleetWithConfig({ instances: 2 });
    fx = f.fx;
    const [ps1] = fx.instances;
    await fx.commit(ps1!.worktree, { 'ps1/a.txt': 'a\n' }, 'ps1: a');
    await fx.pushFromOutside({ 'outside.txt': 'out\n' }, 'outside');
    const tip = await mergeMain(fx, ps1!.worktree, (wt) =>
      fx!.write(wt, { 'extra.txt': 'only in the merge\n' }),
    );
    // Main moves again: a plain sync would rebase, and a rebase drops the merge's extra file.
    await fx.pushFromOutside({ 'outside2.txt': 'out2\n' }, 'outside again');
    await fx.git(fx.repo, 'fetch', '-q', 'origin');
    const r = await syncInstance(f.config, 'ps1');
    expect(r.sync).toBe('needs-sync');
    expect(r.reason).toMatch(/merge commit.*fleet-tui land ps1/);
    expect(await fx.git(ps1!.worktree, 'rev-parse', 'HEAD')).toBe(tip);
    expect(await readFile(path.join(ps1!.worktree, 'extra.txt'), 'utf8')).toBe(
      'only in the merge\n',
    );
  });
});
