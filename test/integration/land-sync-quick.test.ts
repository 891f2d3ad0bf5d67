// After a land, a worktree still at the tip the land read is synced without `git status
// --ignored` when a lstat per path the checkout writes finds nothing there. These worktrees put
// something in the way of that quick look, each in its own way: every one must be left exactly
// as it was (needs-sync) or synced with its files kept.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { FleetFixture } from '../helpers/git-fixture.js';
import { land } from '../../src/core/land/index.js';
import { fleetWithConfig } from '../helpers/land-helpers.js';
import { changesBetween, nothingInTheWay } from '../../src/core/git/checkout-changes.js';
import { startedProcesses } from '../../src/core/git/spawn-count.js';

const GITIGNORE = '.claude/worktrees/\nnode_modules/\n*.env\nlocal/\n/out\n';

describe('land: the sync after the push', () => {
  let fx: FleetFixture | undefined;
  afterEach(async () => {
    await fx?.cleanup();
    fx = undefined;
  });

  it('ignored, untracked, a file where a directory goes, a dirty file: each left as it was', async () => {
    const f = await fleetWithConfig({ instances: 7, files: { '.gitignore': GITIGNORE } });
    fx = f.fx;
    const w = fx.instances.map((i) => i.worktree);
    const tips: string[] = [];
    for (const [k, inst] of fx.instances.entries()) {
      if (k === 1) continue;
      tips[k] = await fx.commit(inst.worktree, { [`${inst.id}/own.txt`]: 'x\n' }, `${inst.id}`);
    }
    // ps2 brings files (force-added where the names are ignored) into the others' way.
    const brought = {
      'config/prod.env': 'SECRET=theirs\n',
      'notes.txt': 'theirs\n',
      'out/result.txt': 'theirs\n',
      'local/data.db': 'their data\n',
    };
    await fx.write(w[1]!, brought);
    await fx.git(w[1]!, 'add', '-f', '--', ...Object.keys(brought));
    await fx.git(w[1]!, 'commit', '-q', '-m', 'ps2: brings files');
    tips[1] = await fx.git(w[1]!, 'rev-parse', 'HEAD');
    await fx.write(w[0]!, { 'config/prod.env': 'SECRET=mine\n' }); // ignored, at a path main adds
    await fx.write(w[2]!, { 'notes.txt': 'my notes\n' }); // untracked, at a path main adds
    await fx.write(w[3]!, { out: 'my output\n' }); // ignored file where main needs a directory
    await fx.write(w[4]!, { 'README.md': 'my edit\n' }); // a tracked file changed
    await fx.write(w[6]!, { 'local/other.db': 'my db\n' }); // inside an ignored directory only

    const said = new Map<string, string>();
    const r = await land(f.config, {
      all: true,
      onProgress: (p) => p.phase === 'landed' && said.set(p.id, p.detail ?? ''),
    });
    expect(r.instances.map((i) => [i.id, i.outcome, i.sync])).toEqual([
      ['ps1', 'landed', 'needs-sync'],
      ['ps2', 'landed', 'synced'],
      ['ps3', 'landed', 'needs-sync'],
      ['ps4', 'landed', 'needs-sync'],
      ['ps5', 'landed', 'needs-sync'],
      ['ps6', 'landed', 'synced'],
      ['ps7', 'landed', 'synced'],
    ]);
    expect(said.get('ps1')).toMatch(/ignored files .*config\/prod\.env/);
    expect(said.get('ps3')).toMatch(/untracked working tree files would be overwritten/);
    expect(said.get('ps4')).toMatch(/ignored files .*\bout\b/);
    expect(said.get('ps5')).toMatch(/unstaged changes|uncommitted changes/);
    const read = (k: number, rel: string) => readFile(path.join(w[k]!, rel), 'utf8');
    expect(await read(0, 'config/prod.env')).toBe('SECRET=mine\n');
    expect(await read(2, 'notes.txt')).toBe('my notes\n');
    expect(await read(3, 'out')).toBe('my output\n');
    expect(await read(4, 'README.md')).toBe('my edit\n');
    expect(await read(6, 'local/other.db')).toBe('my db\n');
    expect(await read(6, 'local/data.db')).toBe('their data\n');
    for (const k of [0, 2, 3, 4]) {
      expect(await fx.git(w[k]!, 'rev-parse', 'HEAD')).toBe(tips[k]);
      expect(await fx.git(w[k]!, 'status')).not.toMatch(/rebase in progress/);
    }
    for (const k of [1, 5, 6]) {
      expect(await fx.git(w[k]!, 'rev-parse', 'HEAD')).toBe(r.main.after);
      expect(await fx.git(w[k]!, 'status', '--porcelain')).toBe('');
    }
  });

  it('the quick look says "look closer" for anything untracked where the checkout writes', async () => {
    const f = await fleetWithConfig({ instances: 1 });
    fx = f.fx;
    const wt = fx.instances[0]!.worktree;
    const from = await fx.git(wt, 'rev-parse', 'HEAD');
    await fx.write(wt, { 'a/b/c.txt': '1\n', 'gone.txt': '1\n' });
    await fx.git(wt, 'add', '-A');
    await fx.git(wt, 'commit', '-q', '-m', 'adds');
    const to = await fx.git(wt, 'rev-parse', 'HEAD');
    await fx.git(wt, 'checkout', '-q', '--detach', from);
    const [changes] = await changesBetween(fx.repo, [{ from, to }]);
    expect(changes!.map((c) => `${c.status} ${c.path}`).sort()).toEqual([
      'A a/b/c.txt',
      'A gone.txt',
    ]);
    expect(nothingInTheWay(wt, changes!)).toBe(true);
    await fx.write(wt, { a: 'a file\n' });
    expect(nothingInTheWay(wt, changes!)).toBe(false);
    await fx.git(wt, 'clean', '-q', '-f', '--', 'a');
    await fx.write(wt, { 'a/b/c.txt': 'mine\n' });
    expect(nothingInTheWay(wt, changes!)).toBe(false);
    await fx.git(wt, 'clean', '-q', '-f', '-d', '--', 'a');
    expect(existsSync(path.join(wt, 'a'))).toBe(false);
    // A pair without changes still answers (an empty list), so pairs are never shifted.
    const both = await changesBetween(fx.repo, [
      { from: to, to },
      { from, to },
    ]);
    expect(both.map((c) => c.length)).toEqual([0, 2]);
  });

  it('the rebases start together from one sh; a commit made meanwhile, a dirty file, a clean tip: each as alone', async () => {
    const f = await fleetWithConfig({ instances: 4 });
    fx = f.fx;
    const w = fx.instances.map((i) => i.worktree);
    const tips: string[] = [];
    for (const [k, inst] of fx.instances.entries())
      tips[k] = await fx.commit(inst.worktree, { [`${inst.id}/own.txt`]: 'x\n' }, inst.id);
    await fx.write(w[1]!, { 'README.md': 'my edit\n' }); // a tracked file changed
    await fx.write(w[2]!, { 'ps1/own.txt': 'mine, untracked\n' }); // where main adds ps1's file
    let later = '';
    const sh = startedProcesses().sh ?? 0;
    const r = await land(f.config, {
      all: true,
      // Between the replay and the push: ps4's agent commits (its rebase must carry it over).
      gate: async () => {
        later = await fx!.commit(w[3]!, { 'ps4/later.txt': 'later\n' }, 'ps4: later');
        return [];
      },
    });
    expect(r.instances.map((i) => [i.id, i.outcome, i.sync])).toEqual([
      ['ps1', 'landed', 'synced'],
      ['ps2', 'landed', 'needs-sync'],
      ['ps3', 'landed', 'needs-sync'],
      ['ps4', 'landed', 'synced'],
    ]);
    // Every rebase from the one sh (a batch of one would be node's own spawn).
    expect((startedProcesses().sh ?? 0) - sh).toBe(1);
    expect(await fx.git(w[0]!, 'rev-parse', 'HEAD')).toBe(r.main.after);
    expect(await fx.git(w[3]!, 'rev-parse', 'HEAD^')).toBe(r.main.after);
    expect(await fx.git(w[3]!, 'log', '-1', '--format=%s')).toBe('ps4: later');
    expect(await fx.git(w[3]!, 'rev-parse', 'HEAD')).not.toBe(later);
    for (const k of [1, 2]) {
      expect(await fx.git(w[k]!, 'rev-parse', 'HEAD')).toBe(tips[k]);
      expect(await fx.git(w[k]!, 'status')).not.toMatch(/rebase in progress/);
    }
    expect(await readFile(path.join(w[1]!, 'README.md'), 'utf8')).toBe('my edit\n');
    expect(await readFile(path.join(w[2]!, 'ps1/own.txt'), 'utf8')).toBe('mine, untracked\n');
    expect(existsSync(path.join(fx.repo, '.git', 'fleet-tui', 'syncing', 'ps4.json'))).toBe(false);
    for (const k of [0, 3]) expect(await fx.git(w[k]!, 'status', '--porcelain')).toBe('');
  });
});
