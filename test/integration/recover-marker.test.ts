// `recover` touches only the rebase fleet-tui started: the sync marker names it (onto, the tip
// before, and a nonce git keeps in that rebase's own state). A marker that outlived its rebase
// must never make recover abort a rebase a person started later.
import { spawn } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { FleetFixture } from '../helpers/git-fixture.js';
import { recover } from '../../src/core/land/index.js';
import { rebaseArgs, readSyncMarkers, type SyncMarker } from '../../src/core/land/sync-marker.js';
import { fleetWithConfig } from '../helpers/land-helpers.js';

const DEAD = 999_999;

async function leaveMarker(fx: FleetFixture, m: SyncMarker): Promise<void> {
  const dir = path.join(fx.repo, '.git', 'fleet-tui', 'syncing');
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, `${m.id}.json`), JSON.stringify(m));
}

/** A person's own rebase of the worktree onto origin/main, stopped on a conflict in c.txt,
 *  resolved by hand and staged (not yet continued). */
async function personsRebaseWithStagedResolution(fx: FleetFixture, wt: string): Promise<void> {
  await fx.git(wt, 'rebase', 'origin/main').catch(() => undefined);
  expect(await fx.git(wt, 'status')).toMatch(/rebase in progress/);
  await writeFile(path.join(wt, 'c.txt'), 'resolved by hand\n');
  await fx.git(wt, 'add', 'c.txt');
}

async function expectRebaseKept(fx: FleetFixture, wt: string): Promise<void> {
  expect(await fx.git(wt, 'status')).toMatch(/rebase in progress/);
  expect(await readFile(path.join(wt, 'c.txt'), 'utf8')).toBe('resolved by hand\n');
  expect(await fx.git(wt, 'show', ':c.txt')).toBe('resolved by hand');
}

/** ps1 with commit c.txt=one while main moved on (c.txt=`mainC`, or d.txt when null), fetched;
 *  returns the marker a land would write before rebasing ps1 onto origin/main. */
async function divergedWithMarker(fx: FleetFixture, mainC: string | null): Promise<SyncMarker> {
  const ps1 = fx.instances[0]!;
  await fx.commit(ps1.worktree, { 'c.txt': 'one\n' }, 'ps1: one');
  if (mainC === null) await fx.pushFromOutside({ 'd.txt': 'outside\n' }, 'outside: d');
  else await fx.pushFromOutside({ 'c.txt': mainC }, 'outside: two');
  await fx.git(fx.repo, 'fetch', '-q', 'origin');
  return {
    pid: DEAD,
    id: 'ps1',
    worktree: ps1.worktree,
    branch: ps1.branch,
    from: await fx.git(ps1.worktree, 'rev-parse', 'HEAD'),
    to: await fx.git(fx.repo, 'rev-parse', 'origin/main'),
    nonce: 'feedbeef',
  };
}

describe('recover and the sync marker', () => {
  let fx: FleetFixture | undefined;
  afterEach(async () => {
    await fx?.cleanup();
    fx = undefined;
  });

  it('a marker left by a killed land whose rebase finished: a later rebase of the person (staged resolution) is not aborted', async () => {
    const f = await fleetWithConfig({ instances: 1 });
    fx = f.fx;
    const wt = fx.instances[0]!.worktree;
    const marker = await divergedWithMarker(fx, null);
    // fleet-tui's rebase ran to its end on its own; the land died before removing the marker.
    await fx.git(wt, ...rebaseArgs(marker, null));
    await leaveMarker(fx, marker);
    // Later main changes c.txt and the person rebases themselves, resolving by hand.
    await fx.pushFromOutside({ 'c.txt': 'two\n' }, 'outside: two');
    await fx.git(fx.repo, 'fetch', '-q', 'origin');
    await personsRebaseWithStagedResolution(fx, wt);

    const r = await recover(f.config);
    expect(r.problems).toEqual([]);
    expect(r.actions.join('\n')).toMatch(
      /ps1: the rebase in progress in .* is not the one fleet-tui started — left it alone; cleared fleet-tui's stale marker/,
    );
    await expectRebaseKept(fx, wt);
    expect(await readSyncMarkers(path.join(fx.repo, '.git'))).toEqual([]);
  });

  it("the same onto and tip but no nonce of ours in git's rebase state: left alone", async () => {
    const f = await fleetWithConfig({ instances: 1 });
    fx = f.fx;
    const wt = fx.instances[0]!.worktree;
    // A land was killed before its rebase began; the person then ran exactly that rebase.
    await leaveMarker(fx, await divergedWithMarker(fx, 'two\n'));
    await personsRebaseWithStagedResolution(fx, wt);
    const r = await recover(f.config);
    expect(r.actions.join('\n')).toMatch(/not the one fleet-tui started — left it alone/);
    await expectRebaseKept(fx, wt);
  });

  it('a marker whose rebase is over and nothing in progress: cleared, and said so', async () => {
    const f = await fleetWithConfig({ instances: 1 });
    fx = f.fx;
    const [ps1] = fx.instances;
    const head = await fx.git(ps1!.worktree, 'rev-parse', 'HEAD');
    await leaveMarker(fx, {
      pid: DEAD,
      id: 'ps1',
      worktree: ps1!.worktree,
      branch: ps1!.branch,
      from: head,
      to: head,
      nonce: 'feedbeef',
    });
    const res = await fx.cli(['recover']);
    expect(res.exitCode).toBe(0);
    expect(res.stdout).toMatch(
      /ps1: the rebase fleet-tui started in .* is not in progress .*cleared its marker/,
    );
    expect(await fx.git(ps1!.worktree, 'rev-parse', 'HEAD')).toBe(head);
  });

  it("while the killed land's git rebase is still running, recover waits and does not touch it", async () => {
    const f = await fleetWithConfig({ instances: 1 });
    fx = f.fx;
    const wt = fx.instances[0]!.worktree;
    const marker = await divergedWithMarker(fx, 'two\n');
    await fx.git(wt, ...rebaseArgs(marker, null)).catch(() => undefined);
    // Stands for the orphaned `git rebase` of the killed land: a real git process, still alive.
    const orphan = spawn('git', ['cat-file', '--batch'], {
      cwd: wt,
      stdio: ['pipe', 'ignore', 'ignore'],
    });
    try {
      await leaveMarker(fx, { ...marker, gitPid: orphan.pid });
      const r = await recover(f.config, { gitWaitMs: 300 });
      expect(r.problems.join('\n')).toMatch(
        new RegExp(
          `ps1: git \\(pid ${orphan.pid}\\) is still rebasing .* run "fleet-tui recover" again`,
        ),
      );
      expect(await fx.git(wt, 'status')).toMatch(/rebase in progress/);
      expect(await readSyncMarkers(path.join(fx.repo, '.git'))).toHaveLength(1);
    } finally {
      orphan.stdin.end();
    }
    await new Promise((r) => orphan.once('exit', r));
    const again = await recover(f.config, { gitWaitMs: 300 });
    expect(again.actions.join('\n')).toMatch(/ps1: aborted the rebase fleet-tui started/);
    expect(await fx.git(wt, 'rev-parse', 'HEAD')).toBe(marker.from);
  });

  it('a marker naming the sh that started the rebases (a batch): recover waits for that sh too', async () => {
    const f = await fleetWithConfig({ instances: 1 });
    fx = f.fx;
    const wt = fx.instances[0]!.worktree;
    const marker = await divergedWithMarker(fx, 'two\n');
    await fx.git(wt, ...rebaseArgs(marker, null)).catch(() => undefined);
    // Stands for the batch's sh of the killed land, still running (its git not done yet).
    const sh = spawn('sh', ['-c', 'read x'], { cwd: wt, stdio: ['pipe', 'ignore', 'ignore'] });
    try {
      await leaveMarker(fx, { ...marker, gitPid: sh.pid });
      const r = await recover(f.config, { gitWaitMs: 300 });
      expect(r.problems.join('\n')).toMatch(new RegExp(`ps1: git \\(pid ${sh.pid}\\) is still`));
      expect(await fx.git(wt, 'status')).toMatch(/rebase in progress/);
    } finally {
      sh.stdin.end();
    }
    await new Promise((r) => sh.once('exit', r));
    const again = await recover(f.config, { gitWaitMs: 300 });
    expect(again.actions.join('\n')).toMatch(/ps1: aborted the rebase fleet-tui started/);
    expect(await fx.git(wt, 'rev-parse', 'HEAD')).toBe(marker.from);
  });
});
