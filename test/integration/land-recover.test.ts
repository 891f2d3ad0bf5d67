import { writeFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { FleetFixture } from '../helpers/git-fixture.js';
import { land, needsRecovery, recover } from '../../src/core/land/index.js';
import { rebaseArgs, type SyncMarker } from '../../src/core/land/sync-marker.js';
import {
  captureFleet,
  fleetWithConfig,
  invariantViolations,
  killLandAfterLock,
} from '../helpers/land-helpers.js';

const TRIALS = Number(process.env.FLEET_KILL_TRIALS ?? 3);

describe('recover', () => {
  let fx: FleetFixture | undefined;
  afterEach(async () => {
    await fx?.cleanup();
    fx = undefined;
  });

  it('after a crash mid-sync: status warns, land refuses, recover aborts only its own rebase', async () => {
    const f = await fleetWithConfig({ instances: 1 });
    fx = f.fx;
    const [ps1] = fx.instances;
    const commonDir = path.join(fx.repo, '.git');
    // Leave what a killed land leaves: its journal, a sync marker, a rebase stopped halfway.
    await fx.commit(ps1!.worktree, { 'c.txt': 'one\n' }, 'ps1: one');
    const tip = await fx.git(ps1!.worktree, 'rev-parse', 'HEAD');
    await fx.pushFromOutside({ 'c.txt': 'two\n' }, 'outside: two');
    await fx.git(fx.repo, 'fetch', '-q', 'origin');
    const dead = 999_999;
    const marker: SyncMarker = {
      pid: dead,
      id: 'ps1',
      worktree: ps1!.worktree,
      branch: ps1!.branch,
      from: tip,
      to: await fx.git(fx.repo, 'rev-parse', 'origin/main'),
      nonce: 'a1b2c3',
    };
    // The very rebase fleet-tui runs, stopped on its conflict with nobody left to abort it.
    await fx.git(ps1!.worktree, ...rebaseArgs(marker, null)).catch(() => undefined);
    await mkdir(path.join(commonDir, 'fleet-tui', 'syncing'), { recursive: true });
    await writeFile(
      path.join(commonDir, 'fleet-tui', 'land-journal.json'),
      JSON.stringify({ pid: dead, startedAt: 'then', phase: 'sync' }),
    );
    await writeFile(
      path.join(commonDir, 'fleet-tui', 'syncing', 'ps1.json'),
      JSON.stringify(marker),
    );
    expect(await needsRecovery(f.config)).toMatch(/did not finish — run "fleet-tui recover"/);
    const status = await fx.cli(['status']);
    expect(status.stderr).toMatch(/warning: .*fleet-tui recover/);
    await expect(land(f.config, { all: true })).rejects.toThrow(/run "fleet-tui recover" first/);
    const r = await recover(f.config);
    expect(r.problems).toEqual([]);
    expect(r.actions.join('\n')).toMatch(/ps1: aborted the rebase fleet-tui started/);
    expect(await fx.git(ps1!.worktree, 'rev-parse', 'HEAD')).toBe(tip);
    expect(await needsRecovery(f.config)).toBeNull();
    // Without a marker of ours, a person's own rebase is never aborted.
    await fx.git(ps1!.worktree, 'rebase', 'origin/main').catch(() => undefined);
    await recover(f.config);
    expect(await fx.git(ps1!.worktree, 'status')).toMatch(/rebase in progress/);
  });

  it(`land killed with SIGKILL at random moments (${TRIALS} trials): after recover nothing is lost`, async () => {
    const f = await fleetWithConfig({ instances: 3 });
    fx = f.fx;
    const seed = Number(process.env.FLEET_SEED ?? Date.now() % 100000);
    let rnd = seed;
    const random = () => (rnd = (rnd * 1103515245 + 12345) % 2147483648) / 2147483648;
    for (let t = 0; t < TRIALS; t++) {
      for (const i of fx.instances) {
        await fx.commit(i.worktree, { [`${i.id}/t${t}.txt`]: `${t}\n` }, `${i.id}: trial ${t}`);
        if (random() < 0.3) await fx.write(i.worktree, { [`${i.id}/wip.txt`]: `wip ${t}\n` });
      }
      const before = await captureFleet(fx);
      // Kill at a random moment of the land itself: once it holds its lock, 0–600 ms later.
      const delay = Math.floor(random() * 600);
      await killLandAfterLock(fx.repo, delay);
      const rec = await fx.cli(['recover']);
      expect(rec.exitCode, `seed ${seed} trial ${t}: ${rec.stderr}`).toBe(0);
      expect(
        await invariantViolations(fx, before),
        `seed ${seed} trial ${t} (kill after ${delay} ms)`,
      ).toEqual([]);
      // Commit the wip so the next trial can land everything.
      for (const i of fx.instances) {
        if ((await fx.git(i.worktree, 'status', '--porcelain')) !== '') {
          await fx.git(i.worktree, 'add', '-A');
          await fx.git(i.worktree, 'commit', '-q', '-m', `${i.id}: wip ${t}`);
        }
      }
    }
    const final = await land(f.config, { all: true });
    expect(
      final.instances.every((i) => i.outcome === 'landed' || i.outcome === 'nothing'),
      `seed ${seed}`,
    ).toBe(true);
  }, 180_000);
});
