import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { land } from '../../src/core/land/index.js';
import { run } from '../helpers/git-fixture.js';
import { holdHostRebases, hostsSuite } from '../helpers/hosts-fixture.js';

// `down` and `recover` for instances on SSH hosts: the refusals and repairs of the local
// commands, checked and applied on the host, messages naming `id@host`.
describe('hosts: down and recover', () => {
  const suite = hostsSuite({ env: { FLEET_SSH_CONNECT_TIMEOUT: '3' } });
  const FLEET = [{ id: 'ps1' }, { id: 'ps2', host: 'box1' }, { id: 'ps3', host: 'box1' }];

  it('down on a host refuses what local down refuses (uncommitted, not on main, ignored user data), removes a clean one', async () => {
    const hf = await suite.fleet(FLEET);
    const wt = hf.worktree('ps2');
    await hf.fx.write(wt, { 'README.md': 'edited\n' });
    const sha = await hf.fx.commit(wt, { 'w.txt': 'w\n' }, 'ps2: not landed');
    const r = await hf.cli(['down', 'ps2']);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toMatch(/^fleet-tui: ps2@box1: not removed — it holds work/);
    expect(r.stderr).toContain('uncommitted: README.md');
    expect(r.stderr).toContain(`not on main: ${sha.slice(0, 7)} ps2: not landed`);
    expect(existsSync(wt)).toBe(true);
    // Ignored user data (not disposable) refuses alone; a disposable node_modules/ goes.
    const wt3 = hf.worktree('ps3');
    await writeFile(
      path.join(hf.clones.box1, '.git', 'info', 'exclude'),
      'prod.env\nnode_modules/\n',
    );
    await writeFile(path.join(wt3, 'prod.env'), 'SECRET=1\n');
    await mkdir(path.join(wt3, 'node_modules'));
    await writeFile(path.join(wt3, 'node_modules', 'x.js'), '\n');
    const r3 = await hf.cli(['down', 'ps3']);
    expect(r3.exitCode).toBe(1);
    expect(r3.stderr).toContain('ignored: prod.env');
    expect(r3.stderr).not.toContain('node_modules');
    expect(r3.stderr).toContain(`move the ignored files out of box1:${wt3}`);
    expect(existsSync(wt3)).toBe(true);
    await rm(path.join(wt3, 'prod.env'));
    const ok = await hf.cli(['down', 'ps3']);
    expect(ok.stdout + ok.stderr).toMatch(/ps3@box1: worktree removed \(branch kept\)/);
    expect(ok.exitCode).toBe(0);
    expect(existsSync(wt3)).toBe(false);
    expect(
      await run(hf.clones.box1, ['rev-parse', '--verify', 'refs/heads/claude/ps3-wip']),
    ).toMatch(/^[0-9a-f]{40}$/);
    // --force: the tip and the tracked change are kept under refs/fleet/backup/ on the host.
    const f = await hf.cli(['down', 'ps2', '--force']);
    expect(f.exitCode, f.stderr).toBe(0);
    expect(f.stdout).toMatch(/ps2@box1: removed with --force; lost with it:/);
    expect(f.stdout).toMatch(/backup: box1:refs\/fleet\/backup\/ps2\/.*-down-/);
    expect(existsSync(wt)).toBe(false);
    const backups = await run(hf.clones.box1, [
      'for-each-ref',
      '--format=%(refname) %(objectname)',
      'refs/fleet/backup/ps2/',
    ]);
    expect(backups).toContain(sha);
    expect(backups).toMatch(/-down-wip-/);
    const wip = backups
      .split('\n')
      .find((l) => l.includes('-down-wip-'))!
      .split(' ')[1]!;
    expect(await run(hf.clones.box1, ['show', `${wip}:README.md`])).toBe('edited');
  });

  it('recover on a host: the rebase a host crash left (ours, by its nonce) is aborted; a person’s own is left alone', async () => {
    const hf = await suite.fleet(FLEET);
    for (const id of ['ps1', 'ps2'])
      await hf.fx.commit(hf.worktree(id), { [`${id}.txt`]: `${id}\n` }, `${id}: change`);
    const wt = hf.worktree('ps2');
    const tip = await run(wt, ['rev-parse', 'HEAD']);
    // A post-checkout hook holds the host's rebase (after git wrote its state): then the host
    // "crashes" — the sync script and git are killed outright, nothing of theirs runs on.
    const held = await holdHostRebases(hf, 'box1');
    const landing = land(await hf.config(), { all: true });
    const gitPid = await held.started();
    const marker = path.join(hf.clones.box1, '.git', 'fleet-tui', 'syncing-host', 'ps2');
    const script = Number(/^pid (\d+)$/m.exec(await readFile(marker, 'utf8'))![1]);
    process.kill(script, 'SIGKILL');
    process.kill(gitPid, 'SIGKILL');
    await held.go();
    const rep = await landing;
    expect(rep.instances[1]!.outcome).toBe('landed');
    expect(await run(wt, ['status', '--porcelain=v2', '--branch'])).toMatch(
      /# branch.head \(detached\)/,
    );
    // A sync now says what happened and what to run; it moves nothing.
    const s = await hf.cli(['sync', 'ps2']);
    expect(s.stdout).toMatch(/ps2\s+needs-sync.*cut short .* run "fleet-tui recover"/);
    const r = await hf.cli(['recover']);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toMatch(
      /^ps2@box1: aborted the rebase fleet-tui started; claude\/ps2-wip is back where it was \(its tip is kept in refs\/fleet\/backup\/ps2\/.*-sync-.* there\)$/m,
    );
    expect(await run(wt, ['rev-parse', 'HEAD'])).toBe(tip);
    expect(await run(wt, ['symbolic-ref', 'HEAD'])).toBe('refs/heads/claude/ps2-wip');
    expect(existsSync(marker)).toBe(false);
    expect((await hf.cli(['recover'])).stdout.trim()).toBe('nothing to recover');
    // The next land catches it up.
    await held.remove();
    const again = await land(await hf.config(), { all: true });
    expect(again.instances[1]!.sync).toBe('synced');

    // A person's own rebase, with a marker fleet-tui left whose script still runs: untouched,
    // recover says to run it again; once that process is gone: left alone, marker cleared.
    const wt3 = hf.worktree('ps3');
    await hf.fx.commit(wt3, { 'c.txt': 'a\n' }, 'ps3: a');
    await run(wt3, ['checkout', '-q', '-b', 'other', 'HEAD~1']);
    await hf.fx.commit(wt3, { 'c.txt': 'b\n' }, 'other: b');
    await run(wt3, ['checkout', '-q', 'claude/ps3-wip']);
    await run(wt3, ['rebase', 'other']).catch(() => undefined);
    const [onto, orig] = await Promise.all(
      ['onto', 'orig-head'].map(async (f) =>
        (
          await readFile(
            path.join(hf.clones.box1, '.git', 'worktrees', 'instance-ps3', 'rebase-merge', f),
            'utf8',
          )
        ).trim(),
      ),
    );
    const live = spawn('sleep', ['60'], { stdio: 'ignore' });
    const m3 = path.join(path.dirname(marker), 'ps3');
    await writeFile(
      m3,
      `nonce 0123456789abcdef01234567\nonto ${onto}\norig ${orig}\nbranch refs/heads/claude/ps3-wip\npid ${live.pid}\nstart \n`,
    );
    const busy = await hf.cli(['recover']);
    expect(busy.exitCode).toBe(1);
    expect(busy.stderr).toMatch(
      /ps3@box1: the sync fleet-tui started is still rebasing in box1:.* — run "fleet-tui recover" again/,
    );
    expect(existsSync(m3)).toBe(true);
    live.kill('SIGKILL');
    await new Promise((res) => live.once('exit', res));
    const r3 = await hf.cli(['recover']);
    expect(r3.exitCode, r3.stderr).toBe(0);
    expect(r3.stdout).toMatch(
      /^ps3@box1: the rebase in progress in box1:.* is not the one fleet-tui started — left it alone; cleared fleet-tui's stale marker$/m,
    );
    expect(await run(wt3, ['status', '--porcelain'])).toBe('AA c.txt');
    expect(existsSync(m3)).toBe(false);
  });
});
