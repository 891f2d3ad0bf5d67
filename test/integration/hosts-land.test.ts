import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { land } from '../../src/core/land/index.js';
import { run } from '../helpers/git-fixture.js';
import { holdHostRebases, hostsSuite, type HostsFleet } from '../helpers/hosts-fixture.js';
import { mainSubjects } from '../helpers/land-helpers.js';

// Landing a fleet with instances on two SSH hosts: one fetch and one push to origin, host
// branches fetched over SSH, host worktrees synced on their host; hosts going away lose nothing.
describe('hosts: land', () => {
  const suite = hostsSuite({ env: { FLEET_SSH_CONNECT_TIMEOUT: '3' }, restart: true });
  let hf: HostsFleet;
  const sessions = async () =>
    ((await suite.sshd.log()).match(/Starting session: command/g) ?? []).length;

  async function fleetWithWork(): Promise<HostsFleet> {
    const f = await suite.fleet();
    for (const id of ['ps1', 'ps2', 'ps3'])
      await f.fx.commit(f.worktree(id), { [`${id}/a.txt`]: `${id}\n` }, `${id}: change`);
    return f;
  }

  it('lands local and host instances in one push, syncs host worktrees on their host, counts host sessions', async () => {
    hf = await fleetWithWork();
    const hostTip = await run(hf.worktree('ps2'), ['rev-parse', 'HEAD']);
    const s0 = await sessions();
    const r = await hf.cli(['land', '--all', '--json']);
    expect(r.exitCode, r.stderr).toBe(0);
    const rep = JSON.parse(r.stdout);
    expect(rep.instances.map((i: { outcome: string }) => i.outcome)).toEqual([
      'landed',
      'landed',
      'landed',
    ]);
    expect(rep.instances.map((i: { sync: string }) => i.sync)).toEqual([
      'synced',
      'synced',
      'synced',
    ]);
    expect([rep.fetches, rep.pushes]).toEqual([1, 1]);
    // Per host: read, fetch, push of main, and one sync session (checks gating backup + rebase).
    expect(rep.hostConnections, JSON.stringify(rep.instances)).toEqual({ box1: 4, box2: 4 });
    // sshd's own log agrees: every session it started was one we counted.
    expect((await sessions()) - s0).toBe(8);
    const subjects = await mainSubjects(hf.fx);
    expect(subjects.slice(1).sort()).toEqual(['ps1: change', 'ps2: change', 'ps3: change']);
    const main = await run(hf.fx.origin, ['rev-parse', 'main']);
    // The host clone knows the new main; its worktree was rebased onto it on the host.
    expect(await run(hf.clones.box1, ['rev-parse', 'refs/remotes/origin/main'])).toBe(main);
    expect(await run(hf.worktree('ps2'), ['rev-parse', 'HEAD'])).toBe(main);
    expect(await run(hf.worktree('ps3'), ['rev-parse', 'HEAD'])).toBe(main);
    // The tip that landed is backed up locally (fetched into the mirror ref) and on the host.
    const localBackups = await run(hf.fx.repo, [
      'for-each-ref',
      '--format=%(objectname)',
      'refs/fleet/backup/ps2/',
    ]);
    expect(localBackups.split('\n')).toContain(hostTip);
    expect(await run(hf.fx.repo, ['rev-parse', 'refs/fleet/hosts/box1/claude/ps2-wip'])).toBe(
      hostTip,
    );
  });

  it('a host that is down: its instances are blocked, the rest lands; when it is back they land', async () => {
    hf = await fleetWithWork();
    await suite.sshd.stop();
    const r = await hf.cli(['land', '--all', '--json']);
    expect(r.exitCode).toBe(1);
    const rep = JSON.parse(r.stdout);
    expect(rep.instances.map((i: { outcome: string }) => i.outcome)).toEqual([
      'landed',
      'blocked',
      'blocked',
    ]);
    expect(rep.instances[1].reason).toMatch(
      /^host "box1" unreachable: .* land again when it is back/,
    );
    expect([rep.fetches, rep.pushes]).toEqual([1, 1]);
    expect(await mainSubjects(hf.fx)).toEqual(['initial commit', 'ps1: change']);
    await suite.sshd.start();
    const again = JSON.parse((await hf.cli(['land', '--all', '--json'])).stdout);
    expect(again.instances.map((i: { outcome: string }) => i.outcome)).toEqual([
      'nothing',
      'landed',
      'landed',
    ]);
    expect(again.ok).toBe(true);
  });

  it('a host instance that conflicts is refused and its host branch is left as it was', async () => {
    hf = await suite.fleet();
    await hf.fx.commit(hf.worktree('ps1'), { 'shared.txt': 'local\n' }, 'ps1: shared');
    const tip = await hf.fx.commit(hf.worktree('ps2'), { 'shared.txt': 'remote\n' }, 'ps2: shared');
    const rep = await land(await hf.config(), { all: true });
    expect(rep.instances.map((i) => i.outcome)).toEqual(['landed', 'conflict', 'nothing']);
    expect(rep.instances[1]!.files).toEqual(['shared.txt']);
    expect(await run(hf.worktree('ps2'), ['rev-parse', 'HEAD'])).toBe(tip);
  });

  it('sshd stopped mid-land (during the gate): main lands, the host loses nothing and catches up later', async () => {
    hf = await fleetWithWork();
    const tip = await run(hf.worktree('ps2'), ['rev-parse', 'HEAD']);
    const rep = await land(await hf.config(), {
      all: true,
      gate: async () => {
        await suite.sshd.stop();
        return [];
      },
    });
    expect(rep.instances.map((i) => i.outcome)).toEqual(['landed', 'landed', 'landed']);
    expect(rep.instances[1]!.sync).toBe('needs-sync');
    expect(rep.instances[1]!.reason).toMatch(/unreachable/);
    expect((await mainSubjects(hf.fx)).length).toBe(4);
    // On the host: the branch is where the agent left it, no operation half done.
    expect(await run(hf.worktree('ps2'), ['rev-parse', 'HEAD'])).toBe(tip);
    expect(await run(hf.worktree('ps2'), ['status', '--porcelain'])).toBe('');
    await suite.sshd.start();
    const again = await land(await hf.config(), { all: true });
    expect(again.instances.map((i) => [i.outcome, i.sync])).toEqual([
      ['nothing', 'unchanged'],
      ['nothing', 'synced'],
      ['nothing', 'synced'],
    ]);
    const main = await run(hf.fx.origin, ['rev-parse', 'main']);
    expect(await run(hf.worktree('ps2'), ['rev-parse', 'HEAD'])).toBe(main);
  });

  it('the SSH connection killed while the host rebases: the host finishes it, nothing is lost', async () => {
    hf = await fleetWithWork();
    const wt = hf.worktree('ps2');
    const held = await holdHostRebases(hf, 'box1');
    const landing = land(await hf.config(), { all: true });
    await held.started();
    await suite.sshd.stop(); // every connection cut, the rebase script mid-way on the host
    await held.go();
    const rep = await landing;
    expect(rep.instances[1]!.outcome).toBe('landed');
    const main = await run(hf.fx.origin, ['rev-parse', 'main']);
    // The host carried on by itself: the rebase completed, no rebase left in progress.
    // git moves HEAD before it removes its rebase state: wait for both.
    const box1 = hf.clones.box1;
    await vi.waitFor(
      async () => {
        expect(await run(wt, ['rev-parse', 'HEAD'])).toBe(main);
        expect(
          existsSync(path.join(box1, '.git', 'worktrees', 'instance-ps2', 'rebase-merge')),
        ).toBe(false);
      },
      { timeout: 30_000 },
    );
    const backups = await run(hf.clones.box1, [
      'for-each-ref',
      '--format=%(refname)',
      'refs/fleet/backup/ps2/',
    ]);
    expect(backups).toMatch(/-sync-/);
  });

  it('fleet-tui sync on a host instance rebases it on its host; a dirty one is refused by git', async () => {
    hf = await suite.fleet();
    const mine = await hf.fx.commit(hf.worktree('ps2'), { 'ps2/x.txt': 'x\n' }, 'ps2: own work');
    await hf.fx.commit(hf.worktree('ps3'), { 'ps3/x.txt': 'x\n' }, 'ps3: own work');
    await hf.fx.write(hf.worktree('ps3'), { 'README.md': 'edited, not committed\n' });
    await hf.fx.pushFromOutside({ 'o.txt': 'o\n' }, 'outside: new main');
    const r = await hf.cli(['sync', 'ps2', 'ps3']);
    expect(r.stdout).toMatch(/ps2\s+synced/);
    expect(r.stdout).toMatch(/ps3\s+needs-sync/);
    const main = await run(hf.fx.origin, ['rev-parse', 'main']);
    // ps2: its own commit replayed on the new main, on the host; the old tip backed up there.
    expect(await run(hf.worktree('ps2'), ['rev-parse', 'HEAD~1'])).toBe(main);
    expect(await run(hf.worktree('ps2'), ['log', '-1', '--format=%s'])).toBe('ps2: own work');
    const backups = await run(hf.clones.box1, [
      'for-each-ref',
      '--format=%(objectname)',
      'refs/fleet/backup/ps2/',
    ]);
    expect(backups.split('\n')).toContain(mine);
    // ps3: untouched, the uncommitted edit still there.
    expect(await run(hf.worktree('ps3'), ['status', '--porcelain'])).toBe('M README.md');
    expect(await run(hf.worktree('ps3'), ['rev-list', '--count', `${main}..HEAD`])).toBe('1');
  });

  it('the land gate sees a host branch’s migrations: a colliding version from the host is blocked', async () => {
    hf = await suite.fleet();
    const mig = 'supabase/migrations/20261201010000_init.sql';
    await hf.fx.commit(hf.worktree('ps1'), { [mig]: 'create table a();\n' }, 'ps1: migration');
    await hf.fx.commit(
      hf.worktree('ps2'),
      { [mig.replace('init', 'other')]: 'create table b();\n' },
      'ps2: migration',
    );
    const rep = JSON.parse((await hf.cli(['land', '--all', '--json'])).stdout);
    expect(rep.instances.map((i: { outcome: string }) => i.outcome)).toEqual([
      'landed',
      'blocked',
      'nothing',
    ]);
    expect(rep.instances[1].reason).toMatch(/^migration gate: /);
    expect(await mainSubjects(hf.fx)).toEqual(['initial commit', 'ps1: migration']);
  });

  it('land --dry-run contacts no host and says so', async () => {
    hf = await fleetWithWork();
    const s0 = await sessions();
    const rep = JSON.parse((await hf.cli(['land', '--all', '--dry-run', '--json'])).stdout);
    expect(rep.instances[0].outcome).toBe('landed');
    expect(rep.instances[1].outcome).toBe('blocked');
    expect(rep.instances[1].reason).toMatch(/--dry-run contacts no host/);
    expect(await sessions()).toBe(s0);
  });
});
