import { existsSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { land } from '../../src/core/land/index.js';
import { collectStatus } from '../../src/core/git/index.js';
import { landerPath } from '../../src/core/land/lander.js';
import type { FleetFixture } from '../helpers/git-fixture.js';
import {
  countNetwork,
  fleetWithConfig,
  mainSubjects,
  seedCommits,
} from '../helpers/land-helpers.js';

describe('land: the whole fleet in one push', () => {
  let fx: FleetFixture | undefined;
  afterEach(async () => {
    await fx?.cleanup();
    fx = undefined;
  });

  it('nothing to land: no push, every instance "nothing"', async () => {
    const f = await fleetWithConfig({ instances: 3 });
    fx = f.fx;
    const { value: r, fetches, pushes } = await countNetwork(() => land(f.config, { all: true }));
    expect(r.ok).toBe(true);
    expect(r.instances.map((i) => i.outcome)).toEqual(['nothing', 'nothing', 'nothing']);
    expect([fetches, pushes, r.fetches, r.pushes]).toEqual([1, 0, 1, 0]);
    expect(r.main.after).toBe(r.main.before);
  });

  it('fleet-tui land --all --json, 12 instances with 1–3 commits: one fetch, one push, main linear', async () => {
    const f = await fleetWithConfig({ instances: 12 });
    fx = f.fx;
    const seeded = await seedCommits(fx, (i) => (i % 3) + 1);
    // Count connections on the origin side, independently of what the report says.
    const log = `${fx.dir}/connections.log`;
    await fx.git(
      fx.repo,
      'config',
      'remote.origin.uploadpack',
      `echo fetch >> ${log}; exec git-upload-pack`,
    );
    await fx.git(
      fx.repo,
      'config',
      'remote.origin.receivepack',
      `echo push >> ${log}; exec git-receive-pack`,
    );
    const t0 = performance.now();
    const res = await fx.cli(['land', '--all', '--json']);
    console.log(
      `fleet-tui land --all --json, 12 instances / ${seeded.flat().length} commits: ${(performance.now() - t0).toFixed(0)} ms`,
    );
    expect(res.exitCode, res.stderr).toBe(0);
    const r = JSON.parse(res.stdout);
    expect(Object.keys(r)).toEqual(['ok', 'main', 'fetches', 'pushes', 'instances']);
    expect(r).toMatchObject({ ok: true, fetches: 1, pushes: 1 });
    expect((await readFile(log, 'utf8')).trim().split('\n')).toEqual(['fetch', 'push']);
    for (const i of r.instances) {
      expect(Object.keys(i)).toEqual(['id', 'outcome', 'commits', 'files', 'reason', 'sync']);
      expect(i).toMatchObject({ outcome: 'landed', sync: 'synced' });
    }
    expect(r.instances.map((i: { commits: number }) => i.commits)).toEqual(
      seeded.map((s) => s.length),
    );
    const subjects = await mainSubjects(fx);
    for (const inst of fx.instances) {
      const mine = subjects.filter((s) => s.startsWith(`${inst.id}:`));
      expect(mine).toEqual(mine.slice().sort());
    }
    expect(subjects).toHaveLength(1 + seeded.flat().length);
    expect(await fx.git(fx.origin, 'rev-list', '--merges', 'main')).toBe('');
    // Authors and dates are kept.
    const orig = await fx.git(
      fx.instances[0]!.worktree,
      'log',
      '-1',
      '--format=%an %ae %aI %B',
      seeded[0]![0]!,
    );
    const landed = await fx.git(
      fx.origin,
      'log',
      '-1',
      '--format=%an %ae %aI %B',
      '--grep=^ps1: change 0$',
      'main',
    );
    expect(landed).toBe(orig);
    const head = await fx.git(fx.origin, 'rev-parse', 'main');
    expect(r.main.after).toBe(head);
    const rows = await collectStatus(f.config);
    expect(rows.every((row) => row.ahead === 0 && row.behind === 0 && row.head === head)).toBe(
      true,
    );
    expect(rows.map((row) => row.landedToday)).toEqual(seeded.map((s) => s.length));
  });
});

describe('land: conflicts and dirty worktrees', () => {
  let fx: FleetFixture | undefined;
  afterEach(async () => {
    await fx?.cleanup();
    fx = undefined;
  });

  it('one instance conflicts: it is dropped with its files recorded, the chain continues', async () => {
    const f = await fleetWithConfig({ instances: 4 });
    fx = f.fx;
    const [ps1, ps2, ps3, ps4] = fx.instances;
    await fx.commit(ps1!.worktree, { 'shared.txt': 'from ps1\n' }, 'ps1: shared');
    await fx.commit(ps2!.worktree, { 'ps2.txt': 'two\n' }, 'ps2: own');
    const ps3Tip = await fx.commit(ps3!.worktree, { 'shared.txt': 'from ps3\n' }, 'ps3: shared');
    await fx.commit(ps4!.worktree, { 'ps4.txt': 'four\n' }, 'ps4: own');
    const r = await land(f.config, { all: true });
    expect(r.ok).toBe(false);
    expect(r.instances.map((i) => i.outcome)).toEqual(['landed', 'landed', 'conflict', 'landed']);
    const c = r.instances[2]!;
    expect(c.files).toEqual(['shared.txt']);
    expect(c.reason).toMatch(/shared\.txt/);
    expect(c.sync).toBe('unchanged');
    expect([r.fetches, r.pushes]).toEqual([1, 1]);
    // Nothing changed for the conflicting instance.
    expect(await fx.git(ps3!.worktree, 'rev-parse', 'HEAD')).toBe(ps3Tip);
    expect(await fx.git(fx.origin, 'show', 'main:shared.txt')).toBe('from ps1');
    expect(await mainSubjects(fx)).toEqual([
      'initial commit',
      'ps1: shared',
      'ps2: own',
      'ps4: own',
    ]);
  });

  it('a dirty worktree lands what it committed and is left needs-sync, its files untouched', async () => {
    const f = await fleetWithConfig({ instances: 2 });
    fx = f.fx;
    const [ps1, ps2] = fx.instances;
    await fx.commit(ps1!.worktree, { 'a.txt': 'a\n' }, 'ps1: a');
    const tip = await fx.commit(ps2!.worktree, { 'b.txt': 'b\n' }, 'ps2: b');
    await fx.write(ps2!.worktree, {
      'b.txt': 'b edited, not committed\n',
      'new.txt': 'untracked\n',
    });
    const r = await land(f.config, { all: true });
    expect(r.ok).toBe(true);
    expect(r.instances.map((i) => [i.outcome, i.sync])).toEqual([
      ['landed', 'synced'],
      ['landed', 'needs-sync'],
    ]);
    expect(await fx.git(ps2!.worktree, 'rev-parse', 'HEAD')).toBe(tip);
    expect(await readFile(`${ps2!.worktree}/b.txt`, 'utf8')).toBe('b edited, not committed\n');
    expect(await readFile(`${ps2!.worktree}/new.txt`, 'utf8')).toBe('untracked\n');
    const rows = await collectStatus(f.config);
    expect(rows.map((row) => row.needsSync)).toEqual([false, true]);
    expect(await mainSubjects(fx)).toEqual(['initial commit', 'ps1: a', 'ps2: b']);
  });

  it('commits made after the land read the branch are transplanted, not lost', async () => {
    const f = await fleetWithConfig({ instances: 1 });
    fx = f.fx;
    const [ps1] = fx.instances;
    await fx.commit(ps1!.worktree, { 'a.txt': 'a\n' }, 'ps1: a');
    let later = '';
    const r = await land(f.config, {
      all: true,
      // The gate runs between the replay and the push: the agent commits meanwhile.
      gate: async () => {
        later = await fx!.commit(
          ps1!.worktree,
          { 'b.txt': 'b\n' },
          'ps1: b (after the land began)',
        );
        return [];
      },
    });
    expect(r.instances[0]).toMatchObject({ outcome: 'landed', commits: 1, sync: 'synced' });
    const log = await fx.git(ps1!.worktree, 'log', '--format=%s', '-3');
    expect(log.split('\n')).toEqual(['ps1: b (after the land began)', 'ps1: a', 'initial commit']);
    expect(await fx.git(ps1!.worktree, 'rev-parse', 'HEAD^')).toBe(r.main.after);
    expect(
      await fx.git(fx.repo, 'for-each-ref', '--format=%(objectname)', 'refs/fleet/backup/'),
    ).toContain(later);
  });
  it("a lander removed behind git's back (still registered) is pruned and made again", async () => {
    const f = await fleetWithConfig({ instances: 1 });
    fx = f.fx;
    const [ps1] = fx.instances;
    await fx.commit(ps1!.worktree, { 'a.txt': 'a\n' }, 'ps1: a');
    expect((await land(f.config, { all: true })).ok).toBe(true);
    const commonDir = path.join(fx.repo, '.git');
    expect(existsSync(landerPath(commonDir))).toBe(true);
    // git still lists it ("missing but already registered" to a plain `worktree add`).
    await rm(landerPath(commonDir), { recursive: true, force: true });
    expect(await fx.git(fx.repo, 'worktree', 'list', '--porcelain')).toContain(
      landerPath(commonDir),
    );
    await fx.commit(ps1!.worktree, { 'b.txt': 'b\n' }, 'ps1: b');
    const r = await land(f.config, { all: true });
    expect(r.instances[0], r.instances[0]?.reason).toMatchObject({ outcome: 'landed', commits: 1 });
    expect(existsSync(path.join(landerPath(commonDir), 'b.txt'))).toBe(true);
  });
});
