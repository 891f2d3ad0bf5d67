import { afterEach, describe, expect, it } from 'vitest';
import { land } from '../../src/core/land/index.js';
import { collectStatus } from '../../src/core/git/index.js';
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

  it('12 instances with 1–3 commits: one fetch, one push, main linear with every commit', async () => {
    const f = await fleetWithConfig({ instances: 12 });
    fx = f.fx;
    const seeded = await seedCommits(fx, (i) => (i % 3) + 1);
    const t0 = performance.now();
    const { value: r, fetches, pushes } = await countNetwork(() => land(f.config, { all: true }));
    const ms = performance.now() - t0;
    console.log(`land 12 instances (${seeded.flat().length} commits): ${ms.toFixed(0)} ms`);
    expect(r.ok).toBe(true);
    expect([fetches, pushes, r.fetches, r.pushes]).toEqual([1, 1, 1, 1]);
    expect(r.instances.every((i) => i.outcome === 'landed' && i.sync === 'synced')).toBe(true);
    expect(r.instances.map((i) => i.commits)).toEqual(seeded.map((s) => s.length));
    const subjects = await mainSubjects(fx);
    for (const inst of fx.instances) {
      const mine = subjects.filter((s) => s.startsWith(`${inst.id}:`));
      expect(mine).toEqual(mine.slice().sort());
    }
    expect(subjects).toHaveLength(1 + seeded.flat().length);
    const merges = await fx.git(fx.origin, 'rev-list', '--merges', 'main');
    expect(merges).toBe('');
    // Authors and dates are kept; every worktree now sits on the new main.
    const head = await fx.git(fx.origin, 'rev-parse', 'main');
    expect(r.main.after).toBe(head);
    const rows = await collectStatus(f.config);
    expect(rows.every((row) => row.ahead === 0 && row.behind === 0 && row.head === head)).toBe(
      true,
    );
    expect(rows.map((row) => row.landedToday)).toEqual(seeded.map((s) => s.length));
  });
});
