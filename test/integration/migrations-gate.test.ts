import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { migrationGate } from '../../src/core/migrations/index.js';
import { makeFleet, type FleetFixture } from '../helpers/git-fixture.js';

const M = 'supabase/migrations';

describe('migrationGate (the land gate)', () => {
  let fx: FleetFixture;
  beforeAll(async () => {
    fx = await makeFleet({ instances: 3, files: { [`${M}/20261120010000_init.sql`]: 'a' } });
  });
  afterAll(() => fx.cleanup());

  it('names the instances whose replayed commits bring errors, first in chain keeps a contested version', async () => {
    const [ps1, ps2, ps3] = fx.instances;
    await fx.commit(ps1!.worktree, { [`${M}/20261123010000_a.sql`]: 'a1' }, 'ps1');
    await fx.commit(ps2!.worktree, { [`${M}/20261123010000_b.sql`]: 'b' }, 'ps2 collides');
    await fx.commit(
      ps3!.worktree,
      { [`${M}/20261120010000_init.sql`]: 'edited', 'x.txt': 'x' },
      'ps3 edits',
    );
    // Build the chain the way the lander does: replay each branch in a detached worktree.
    const lander = path.join(fx.dir, 'lander');
    await fx.git(fx.repo, 'worktree', 'add', '-q', '--detach', lander, 'origin/main');
    const base = await fx.git(lander, 'rev-parse', 'HEAD');
    const steps = [];
    let from = base;
    for (const inst of [ps1!, ps2!, ps3!]) {
      await fx.git(lander, 'cherry-pick', '--allow-empty', `origin/main..${inst.branch}`);
      const to = await fx.git(lander, 'rev-parse', 'HEAD');
      steps.push({ instanceId: inst.id, from, to });
      from = to;
    }
    const config = await loadConfig({ cwd: fx.repo });
    const verdicts = await migrationGate({ config, cwd: lander, base, steps });
    expect(verdicts.map((v) => v.instanceId)).toEqual(['ps2', 'ps3']);
    expect(verdicts[0]!.problems).toHaveLength(2);
    expect(verdicts[0]!.problems[0]).toMatch(
      /^duplicate-version 20261123010000: .* — rename ps2's/,
    );
    expect(verdicts[0]!.problems[1]).toMatch(/^out-of-band 20261123010000: /);
    expect(verdicts[1]!.problems).toEqual([
      expect.stringMatching(/^edited-applied 20261120010000: /),
    ]);
    // Without the bad segments the chain is clean.
    expect(await migrationGate({ config, cwd: lander, base, steps: steps.slice(0, 1) })).toEqual(
      [],
    );
  });
});
