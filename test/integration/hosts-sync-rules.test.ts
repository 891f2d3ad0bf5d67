import { existsSync } from 'node:fs';
import { appendFile, mkdir, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { syncInstances } from '../../src/core/land/index.js';
import { hostCounts, sessionsSince } from '../../src/core/hosts/counters.js';
import { run } from '../helpers/git-fixture.js';
import { holdHostRebases, hostsSuite } from '../helpers/hosts-fixture.js';

// The sync of host worktrees is ONE script per host whose checks gate the backup and rebase on
// the host itself: each rule of a local sync refuses there, and only the worktree that passes
// every check moves.
describe('hosts: the sync rules, checked and applied on the host in one session', () => {
  const suite = hostsSuite({ env: { FLEET_SSH_CONNECT_TIMEOUT: '3' }, restart: true });

  const FLEET = ['ps1', 'ps2', 'ps3', 'ps4', 'ps5', 'ps6'].map((id) => ({ id, host: 'box1' }));

  it('ignored file in the way, merge commits, another branch, a rebase not ours: refused; the clean one moves', async () => {
    const hf = await suite.fleet(FLEET);
    const wt = (id: string) => hf.worktree(id);
    const head = (id: string) => run(wt(id), ['rev-parse', 'HEAD']);
    const exclude = path.join(hf.clones.box1, '.git', 'info', 'exclude');
    await appendFile(exclude, 'prod.env\nweird*\n');
    // Main now tracks config/prod.env and a file under a directory whose name holds a newline.
    await hf.fx.pushFromOutside(
      { 'config/prod.env': 'tracked\n', 'weird\ndir/f.txt': 'x\n' },
      'outside: track prod.env',
    );
    // ps1: clean, one commit of its own → moves.
    const own = await hf.fx.commit(wt('ps1'), { 'ps1.txt': '1\n' }, 'ps1: own');
    // ps2: an ignored config/prod.env (user data) where main now tracks a file.
    await hf.fx.commit(wt('ps2'), { 'ps2.txt': '2\n' }, 'ps2: own');
    await mkdir(path.join(wt('ps2'), 'config'));
    await writeFile(path.join(wt('ps2'), 'config', 'prod.env'), 'SECRET=1\n');
    // ps6: an ignored directory named with a newline, where main now tracks a file.
    await hf.fx.commit(wt('ps6'), { 'ps6.txt': '6\n' }, 'ps6: own');
    await mkdir(path.join(wt('ps6'), 'weird\ndir'));
    await writeFile(path.join(wt('ps6'), 'weird\ndir', 'local.db'), 'data\n');
    // ps3: a merge commit a rebase would flatten.
    await run(wt('ps3'), ['checkout', '-q', '-b', 'side']);
    await hf.fx.commit(wt('ps3'), { 's.txt': 's\n' }, 'side');
    await run(wt('ps3'), ['checkout', '-q', 'claude/ps3-wip']);
    await hf.fx.commit(wt('ps3'), { 'ps3.txt': '3\n' }, 'ps3: own');
    await run(wt('ps3'), ['merge', '-q', '--no-edit', 'side']);
    // ps4: on another branch.
    await run(wt('ps4'), ['checkout', '-q', '-b', 'elsewhere']);
    // ps5: a rebase of the person's own, stopped on a conflict.
    await hf.fx.commit(wt('ps5'), { 'c.txt': 'a\n' }, 'ps5: a');
    await run(wt('ps5'), ['checkout', '-q', '-b', 'other', 'HEAD~1']);
    await hf.fx.commit(wt('ps5'), { 'c.txt': 'b\n' }, 'other: b');
    await run(wt('ps5'), ['checkout', '-q', 'claude/ps5-wip']);
    await run(wt('ps5'), ['rebase', 'other']).catch(() => undefined);
    const before = Object.fromEntries(
      await Promise.all(
        ['ps2', 'ps3', 'ps4', 'ps5', 'ps6'].map(async (id) => [id, await head(id)]),
      ),
    );
    const cfg = await hf.config();
    const c0 = hostCounts();
    const res = await syncInstances(cfg, ['ps1', 'ps2', 'ps3', 'ps4', 'ps5', 'ps6']);
    // The push of main, and one session for every check and move of all six.
    expect(sessionsSince(c0, ['box1'])).toEqual({ box1: 2 });
    const by = Object.fromEntries(res.map((r) => [r.id, r]));
    expect(by.ps1!.sync).toBe('synced');
    const main = await run(hf.fx.origin, ['rev-parse', 'main']);
    expect(await run(wt('ps1'), ['rev-parse', 'HEAD~1'])).toBe(main);
    expect(
      await run(hf.clones.box1, [
        'for-each-ref',
        '--format=%(objectname)',
        'refs/fleet/backup/ps1/',
      ]),
    ).toBe(own);
    expect(by.ps2!.sync).toBe('needs-sync');
    expect(by.ps2!.reason).toMatch(
      /ignored files in .* on host box1: config\/(prod\.env)? — move them/,
    );
    expect(by.ps6!.sync).toBe('needs-sync');
    expect(by.ps6!.reason).toMatch(/ignored files/);
    expect(by.ps3!.reason).toMatch(/has 1 merge commit a rebase would flatten/);
    expect(by.ps4!.reason).toMatch(/is not on claude\/ps4-wip/);
    expect(by.ps5!.reason).toMatch(/an operation is in progress/);
    for (const id of ['ps2', 'ps3', 'ps4', 'ps5', 'ps6']) expect(await head(id)).toBe(before[id]);
    // The person's own rebase is exactly as it was; the user data still there.
    expect(await run(wt('ps5'), ['status', '--porcelain'])).toBe('AA c.txt');
    expect(await run(wt('ps2'), ['status', '--porcelain', '--ignored'])).toMatch(/!! config\//);
    // Nothing refused was backed up or marked on the host: only ps1 moved.
    const refs = await run(hf.clones.box1, [
      'for-each-ref',
      '--format=%(refname)',
      'refs/fleet/backup/',
    ]);
    expect(refs.split('\n').map((r) => r.split('/')[3])).toEqual(['ps1']);
    // The marker `recover` would read is gone once the rebase is done.
    const markers = path.join(hf.clones.box1, '.git', 'fleet-tui', 'syncing-host');
    expect(existsSync(markers) ? await readdir(markers) : []).toEqual([]);
  });

  it('the connection cut while the host replays commits: git is not killed by the dead pipe, the rebase completes', async () => {
    const hf = await suite.fleet(FLEET.slice(0, 1));
    const wt = hf.worktree('ps1');
    await hf.fx.commit(wt, { 'one.txt': '1\n' }, 'ps1: one');
    await hf.fx.commit(wt, { 'two.txt': '2\n' }, 'ps1: two');
    const main = await hf.fx.pushFromOutside({ 'o.txt': 'o\n' }, 'outside: new main');
    // Held at the checkout of the new main, before git replays the two commits (and prints
    // "Executing: …" for each exec line — into a connection that is gone by then).
    const held = await holdHostRebases(hf, 'box1');
    const syncing = syncInstances(await hf.config(), ['ps1']);
    await held.started();
    await suite.sshd.stop();
    await held.go();
    const [res] = await syncing;
    expect(res!.sync).toBe('needs-sync'); // it could not hear back
    const gitDir = path.join(hf.clones.box1, '.git', 'worktrees', 'instance-ps1');
    await vi.waitFor(
      async () => {
        expect(existsSync(path.join(gitDir, 'rebase-merge'))).toBe(false);
        expect(await run(wt, ['rev-parse', 'HEAD~2'])).toBe(main);
      },
      { timeout: 30_000 },
    );
    expect(await run(wt, ['log', '--format=%s', '-2'])).toBe('ps1: two\nps1: one');
    expect(await run(wt, ['symbolic-ref', 'HEAD'])).toBe('refs/heads/claude/ps1-wip');
  });
});
