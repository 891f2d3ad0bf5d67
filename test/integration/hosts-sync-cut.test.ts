import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { recover, syncInstances } from '../../src/core/land/index.js';
import { BIN, run } from '../helpers/git-fixture.js';
import { hostsSuite, type HostsFleet } from '../helpers/hosts-fixture.js';
import {
  hostScriptsDone,
  hostSyncsRunning,
  killIfAlive,
  procs,
  sshPids,
} from '../helpers/host-scripts.js';

// The SSH master cut right after a host's sync script was launched, before it wrote its marker
// (the moment the SSH kill trials once hit by chance): the script goes on by itself on the host.
// The land must not report what it cannot know (a worktree "unchanged" that the host is about
// to move), and the end of the script is known by the script itself, not by an empty marker
// directory (empty before the marker too).
describe('hosts: the sync session cut before the script wrote its marker', () => {
  const suite = hostsSuite({ env: { FLEET_SSH_CONNECT_TIMEOUT: '3' }, restart: true });

  /** A reference-transaction hook holding the host sync's backup-ref write (before its marker). */
  async function holdBackup(hf: HostsFleet, host: 'box1' | 'box2') {
    const started = path.join(hf.fx.dir, `backup-started-${host}`);
    const go = path.join(hf.fx.dir, `backup-go-${host}`);
    const hook = path.join(hf.clones[host], '.git', 'hooks', 'reference-transaction');
    await writeFile(
      hook,
      [
        '#!/bin/sh',
        '[ "$1" = prepared ] || exit 0',
        "grep ' refs/fleet/backup/' >/dev/null || exit 0",
        `echo $$ >> '${started}'`,
        // A failed test's cleanup removes the fixture: no hook (and host script) waits forever.
        `while [ ! -e '${go}' ] && [ -d '${hf.fx.dir}' ]; do sleep 0.05; done`,
        '',
      ].join('\n'),
    );
    await chmod(hook, 0o755);
    return {
      started: () => vi.waitFor(() => expect(existsSync(started)).toBe(true), { timeout: 30_000 }),
      go: () => writeFile(go, ''),
      /** How many backup writes are held now. */
      held: async () =>
        (await readFile(started, 'utf8').catch(() => '')).split('\n').filter(Boolean).length,
    };
  }

  /** `land --all --json` as its own process; once every hold has caught a backup write, the
   * shared connections are cut (the scripts are past their checks, before their markers). */
  async function landAndCutAfter(hf: HostsFleet, holds: Array<{ started(): Promise<unknown> }>) {
    const ctl = await mkdtemp(path.join(os.tmpdir(), 'fc-'));
    const child = spawn(process.execPath, [BIN, 'land', '--all', '--json'], {
      cwd: hf.fx.repo,
      env: { ...process.env, ...suite.sshd.env, FLEET_SSH_CONTROL_DIR: ctl },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (b: Buffer) => (out += b.toString('utf8')));
    child.stderr.on('data', (b: Buffer) => (err += b.toString('utf8')));
    const exited = new Promise((r) => child.once('exit', r));
    try {
      for (const h of holds) await h.started();
      // Every held script launched and past its checks, no marker yet: cut the connections.
      for (const pid of await sshPids(ctl, 'master')) killIfAlive(pid);
      await exited;
    } finally {
      for (const pid of await sshPids(ctl, 'master')) killIfAlive(pid);
      await rm(ctl, { recursive: true, force: true });
    }
    expect(out, err).toMatch(/^\{/);
    return { out, err };
  }

  it('land reports needs-sync (not unchanged) with what to do; the host finishes the sync; nothing is left mid-rebase', async () => {
    const hf = await suite.fleet();
    await hf.fx.commit(hf.worktree('ps1'), { 'ps1/a.txt': 'a\n' }, 'ps1: change');
    await hf.fx.commit(hf.worktree('ps2'), { 'ps2/a.txt': 'a\n' }, 'ps2: change');
    // ps3 (box2) has nothing to land: after the land it only catches up with main.
    const holds = { box1: await holdBackup(hf, 'box1'), box2: await holdBackup(hf, 'box2') };
    const { out } = await landAndCutAfter(hf, [holds.box1, holds.box2]);
    const rep = JSON.parse(out) as {
      instances: Array<{ id: string; outcome: string; sync: string; reason: string }>;
    };
    const by = new Map(rep.instances.map((i) => [i.id, i]));
    expect(by.get('ps2')).toMatchObject({ outcome: 'landed', sync: 'needs-sync' });
    expect(by.get('ps3')).toMatchObject({ outcome: 'nothing', sync: 'needs-sync' });
    for (const id of ['ps2', 'ps3']) {
      expect(by.get(id)!.reason).toMatch(/cut before it answered.*may still be running/);
      expect(by.get(id)!.reason).toContain(`fleet-tui sync ${id}`);
    }
    // The moment the trials once hit: no marker anywhere, yet both scripts run.
    const clones = Object.values(hf.clones);
    for (const c of clones)
      expect(
        await readdir(path.join(c, '.git', 'fleet-tui', 'syncing-host')).catch(() => []),
      ).toEqual([]);
    expect((await hostSyncsRunning(clones)).filter((p) => p.includes('sync script'))).toHaveLength(
      2,
    );
    // …and the wait for the scripts' end does not take that for the end.
    await expect(hostScriptsDone(clones, 1_500)).rejects.toThrow();
    await holds.box1.go();
    await holds.box2.go();
    await hostScriptsDone(clones);
    // The hosts finished the syncs by themselves: both worktrees on main, no rebase left.
    const main = await run(hf.fx.origin, ['rev-parse', 'main']);
    for (const [id, host] of [
      ['ps2', 'box1'],
      ['ps3', 'box2'],
    ] as const) {
      expect(await run(hf.worktree(id), ['rev-parse', 'HEAD'])).toBe(main);
      const gitDir = path.join(hf.clones[host], '.git', 'worktrees', `instance-${id}`);
      expect(existsSync(path.join(gitDir, 'rebase-merge'))).toBe(false);
      const backups = await run(hf.clones[host], ['for-each-ref', `refs/fleet/backup/${id}/`]);
      expect(backups).toMatch(/-sync-/);
    }
    const cfg = await hf.config();
    expect((await recover(cfg)).problems).toEqual([]);
    // What "fleet-tui sync" says now, as the report told the person to run.
    const res = await syncInstances(cfg, ['ps2', 'ps3']);
    expect(res.map((r) => [r.id, r.sync, r.reason])).toEqual([
      ['ps2', 'unchanged', 'already up to date'],
      ['ps3', 'unchanged', 'already up to date'],
    ]);
    expect(await readFile(path.join(hf.worktree('ps2'), 'ps2', 'a.txt'), 'utf8')).toBe('a\n');
  }, 300_000);

  it('git run by the host script does not inherit the lock: a detached gc cannot hold it', async () => {
    const hf = await suite.fleet();
    await hf.fx.pushFromOutside({ 'main.txt': 'm\n' }, 'outside: main moves');
    // Every git of the sync (backup, rebase) runs its reference-transaction hook; the hook
    // inherits git's descriptors, as a detached `git gc --auto` would: fd 9 is the lock.
    const seen = path.join(hf.fx.dir, 'fd9-seen');
    const hook = path.join(hf.clones.box1, '.git', 'hooks', 'reference-transaction');
    await writeFile(
      hook,
      `#!/bin/sh\nif [ -e /proc/$$/fd/9 ]; then echo open; else echo closed; fi >> '${seen}'\n`,
    );
    await chmod(hook, 0o755);
    const [res] = await syncInstances(await hf.config(), ['ps2']);
    expect(res).toMatchObject({ id: 'ps2', sync: 'synced' });
    const lines = (await readFile(seen, 'utf8')).split('\n').filter(Boolean);
    expect(lines.length).toBeGreaterThan(1);
    expect(lines.filter((l) => l !== 'closed')).toEqual([]);
  });

  it('a sync that comes while the cut land’s script still runs waits for it, then finds the worktree up to date', async () => {
    const hf = await suite.fleet();
    await hf.fx.commit(hf.worktree('ps1'), { 'ps1/a.txt': 'a\n' }, 'ps1: change');
    const hold = await holdBackup(hf, 'box2');
    const { out, err } = await landAndCutAfter(hf, [hold]);
    expect(out, err).toMatch(/"sync": "needs-sync"/);
    // The person runs what the report says while the first script is still held mid-way.
    const syncing = syncInstances(await hf.config(), ['ps3']);
    const clones = [hf.clones.box2];
    // The second script is waiting: for the lock (a flock child), or — unlocked — at its own
    // backup write, past checks made while the first had not moved the worktree yet.
    await vi.waitFor(
      async () => {
        const scripts = (await hostSyncsRunning(clones)).map((p) => Number(p.split(' ')[0]));
        const waiting = (await procs()).some((p) => p.comm === 'flock' && scripts.includes(p.ppid));
        expect(waiting || (await hold.held()) === 2).toBe(true);
      },
      { timeout: 60_000 },
    );
    await hold.go();
    const [res] = await syncing;
    expect(res).toMatchObject({ id: 'ps3', sync: 'unchanged', reason: 'already up to date' });
    await hostScriptsDone(clones);
    const main = await run(hf.fx.origin, ['rev-parse', 'main']);
    expect(await run(hf.worktree('ps3'), ['rev-parse', 'HEAD'])).toBe(main);
    const gitDir = path.join(hf.clones.box2, '.git', 'worktrees', 'instance-ps3');
    expect(existsSync(path.join(gitDir, 'rebase-merge'))).toBe(false);
    expect((await recover(await hf.config())).problems).toEqual([]);
  });
});
