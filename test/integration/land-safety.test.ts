import { rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { land } from '../../src/core/land/index.js';
import type { FleetFixture } from '../helpers/git-fixture.js';
import { fleetWithConfig, mainSubjects, snapshot } from '../helpers/land-helpers.js';

describe('land: preconditions and safety', () => {
  let fx: FleetFixture | undefined;
  afterEach(async () => {
    await fx?.cleanup();
    fx = undefined;
  });

  it('blocked, untouched: a manual rebase in progress, a detached HEAD, a deleted worktree, a gone branch', async () => {
    const f = await fleetWithConfig({ instances: 5 });
    fx = f.fx;
    const [ps1, ps2, ps3, ps4, ps5] = fx.instances;
    for (const i of fx.instances)
      await fx.commit(i.worktree, { [`${i.id}.txt`]: 'x\n' }, `${i.id}: x`);
    // ps1: a rebase the person started and that stopped on a conflict.
    await fx.commit(ps1!.worktree, { 'c.txt': 'one\n' }, 'ps1: c one');
    await fx.git(ps1!.worktree, 'checkout', '-q', '-b', 'side', 'HEAD~1');
    await fx.commit(ps1!.worktree, { 'c.txt': 'two\n' }, 'side: c two');
    await fx.git(ps1!.worktree, 'checkout', '-q', ps1!.branch);
    await fx.git(ps1!.worktree, 'rebase', 'side').catch(() => undefined);
    // ps2: detached HEAD. ps3: worktree deleted by hand. ps4: branch deleted (worktree on another).
    await fx.git(ps2!.worktree, 'checkout', '-q', '--detach');
    await rm(ps3!.worktree, { recursive: true, force: true });
    await fx.git(ps4!.worktree, 'checkout', '-q', '-b', 'elsewhere');
    await fx.git(fx.repo, 'branch', '-D', ps4!.branch);
    const before = await snapshot(fx);
    const r = await land(f.config, { all: true });
    expect(r.instances.map((i) => i.outcome)).toEqual([
      'blocked',
      'blocked',
      'blocked',
      'blocked',
      'landed',
    ]);
    expect(r.instances[0]!.reason).toMatch(/rebase is in progress/);
    expect(r.instances[1]!.reason).toMatch(/detached HEAD/);
    expect(r.instances[2]!.reason).toMatch(/missing/);
    expect(r.instances[3]!.reason).toMatch(/gone/);
    expect(r.ok).toBe(false);
    const after = await snapshot(fx);
    // Only ps5's files and refs moved (it landed and synced); the blocked ones are byte-identical.
    for (const [file, hash] of before.files) {
      if (!file.includes(`instance-${ps5!.id}`)) expect(after.files.get(file), file).toBe(hash);
    }
    expect(await fx.git(ps1!.worktree, 'status')).toMatch(/rebase in progress/);
    expect(await mainSubjects(fx)).toEqual(['initial commit', 'ps5: x']);
  });

  it('index.lock held in a worktree: its commits still land; it is left needs-sync', async () => {
    const f = await fleetWithConfig({ instances: 2 });
    fx = f.fx;
    const [ps1, ps2] = fx.instances;
    await fx.commit(ps1!.worktree, { 'a.txt': 'a\n' }, 'ps1: a');
    await fx.commit(ps2!.worktree, { 'b.txt': 'b\n' }, 'ps2: b');
    const gitDir = await fx.git(ps2!.worktree, 'rev-parse', '--absolute-git-dir');
    await writeFile(path.join(gitDir, 'index.lock'), '');
    const r = await land(f.config, { all: true });
    expect(r.instances.map((i) => [i.outcome, i.sync])).toEqual([
      ['landed', 'synced'],
      ['landed', 'needs-sync'],
    ]);
    await rm(path.join(gitDir, 'index.lock'));
    expect(await fx.git(ps2!.worktree, 'status', '--porcelain')).toBe('');
  });

  it('--dry-run changes no ref and no file, and reports what would land', async () => {
    const f = await fleetWithConfig({ instances: 3 });
    fx = f.fx;
    const [ps1, ps2, ps3] = fx.instances;
    await fx.commit(ps1!.worktree, { 'shared.txt': '1\n' }, 'ps1: shared');
    await fx.commit(ps2!.worktree, { 'shared.txt': '2\n' }, 'ps2: shared');
    await fx.commit(ps3!.worktree, { 'c.txt': 'c\n' }, 'ps3: c');
    await fx.write(ps3!.worktree, { 'dirty.txt': 'wip\n' });
    const objects = async () => fx!.git(fx!.repo, 'count-objects', '-v');
    const before = await snapshot(fx);
    const objBefore = await objects();
    // The gate can read the dry run's chain (kept in a throwaway object directory).
    const seen: string[] = [];
    const r = await land(f.config, {
      all: true,
      dryRun: true,
      gate: async ({ cwd, steps }) => {
        for (const s of steps)
          seen.push(await fx!.git(cwd, 'log', '--format=%s', `${s.from}..${s.to}`));
        return [];
      },
    });
    expect(seen).toEqual(['ps1: shared', 'ps3: c']);
    expect(r.instances.map((i) => i.outcome)).toEqual(['landed', 'conflict', 'landed']);
    expect(r.instances[1]!.files).toEqual(['shared.txt']);
    expect([r.fetches, r.pushes]).toEqual([0, 0]);
    const after = await snapshot(fx);
    expect(after.refs).toBe(before.refs);
    expect([...after.files]).toEqual([...before.files]);
    expect(await objects()).toBe(objBefore);
  });
});
