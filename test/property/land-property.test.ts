// Randomized property test of landing. Each round mutates a real fleet at random (commits with
// overlapping edits, dirty files, outside pushes, a pre-receive hook that refuses some commits,
// a push racing the land) and lands it; after every land the invariants must hold.
// FLEET_PROPERTY_RUNS (default 6) sets the number of rounds; FLEET_SEED replays a failure.
import { chmod, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { land } from '../../src/core/land/index.js';
import type { FleetFixture } from '../helpers/git-fixture.js';
import { captureFleet, fleetWithConfig, invariantViolations } from '../helpers/land-helpers.js';

const RUNS = Number(process.env.FLEET_PROPERTY_RUNS ?? 6);
const SEED = Number(process.env.FLEET_SEED ?? Math.floor(Math.random() * 1e6));

function rng(seed: number) {
  let s = seed || 1;
  return () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648;
  };
}

const HOOK = `#!/bin/sh
while read old new ref; do
  if git log --format=%s "$old..$new" | grep -q REFUSE; then echo "policy: REFUSE commits are not allowed"; exit 1; fi
done
`;

describe('land: randomized property', () => {
  let fx: FleetFixture | undefined;
  afterAll(async () => fx?.cleanup());

  it(`${RUNS} random rounds keep every commit, every uncommitted byte, main moving forward (seed ${SEED})`, async () => {
    const random = rng(SEED);
    const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)]!;
    const f = await fleetWithConfig({
      instances: 3,
      files: { 'shared/a.txt': 'a\n', 'shared/b.txt': 'b\n' },
    });
    fx = f.fx;
    const hookFile = path.join(fx.origin, 'hooks', 'pre-receive');
    for (let round = 0; round < RUNS; round++) {
      const where = `seed ${SEED} round ${round} (replay with FLEET_SEED=${SEED})`;
      for (const i of fx.instances) {
        if ((await fx.git(i.worktree, 'status', '--porcelain')) !== '') continue;
        const n = random() < 0.7 ? 1 + Math.floor(random() * 3) : 0;
        for (let k = 0; k < n; k++) {
          const file =
            random() < 0.35
              ? pick(['shared/a.txt', 'shared/b.txt'])
              : `${i.id}/f${Math.floor(random() * 3)}.txt`;
          const subject = `${i.id}: r${round} c${k}${random() < 0.1 ? ' REFUSE' : ''}`;
          await fx.commit(i.worktree, { [file]: `${i.id} ${round} ${k}\n` }, subject);
        }
        if (random() < 0.3)
          await fx.write(i.worktree, { [`${i.id}/wip-${round}.txt`]: `wip ${round}\n` });
      }
      if (random() < 0.25)
        await fx.pushFromOutside(
          { [pick(['shared/a.txt', 'outside.txt'])]: `out ${round}\n` },
          `outside r${round}`,
        );
      const refuse = random() < 0.3;
      if (refuse) {
        await writeFile(hookFile, HOOK);
        await chmod(hookFile, 0o755);
      }
      const race = random() < 0.2;
      const before = await captureFleet(fx);
      let raced = false;
      const r = await land(f.config, {
        all: true,
        gate: async () => {
          if (race && !raced)
            await fx!.pushFromOutside({ 'race.txt': `race ${round}\n` }, `race r${round}`);
          raced = true;
          return [];
        },
      });
      await rm(hookFile, { force: true });
      expect(await invariantViolations(fx, before), where).toEqual([]);
      for (const i of r.instances) {
        expect(
          ['landed', 'nothing', 'conflict', 'refused'],
          `${where}: ${i.id} ${i.outcome} ${i.reason}`,
        ).toContain(i.outcome);
      }
      expect(await fx.git(fx.origin, 'rev-list', '--merges', 'main'), where).toBe('');
      // Dirty instances commit their work before the next round, as an agent would.
      for (const i of fx.instances) {
        if ((await fx.git(i.worktree, 'status', '--porcelain')) !== '') {
          await fx.git(i.worktree, 'add', '-A');
          await fx.git(i.worktree, 'commit', '-q', '-m', `${i.id}: wip r${round}`);
        }
      }
    }
  }, 180_000);
});
