// Issue 18, "Migrations": the live watch covers worktrees on SSH hosts — one watcher per host
// started over SSH (inotifywait where the host has it, a poll loop otherwise), a collision
// between a local and a host migration flagged as it appears, hostile names on the host, and a
// host that goes away mid-watch (sshd stopped) and comes back. Real sshd, real git, no mocks.
import { execFileSync } from 'node:child_process';
import { rm } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { CheckReport, MigrationWatch } from '../../src/core/migrations/index.js';
import { watchMigrations } from '../../src/core/migrations/watch.js';
import { hostsSuite, type HostsFleet } from '../helpers/hosts-fixture.js';

const M = 'supabase/migrations';
const FLEET = [{ id: 'ps1' }, { id: 'ps2', host: 'box1' }, { id: 'ps3', host: 'box2' }];
const hasInotify = (() => {
  try {
    execFileSync('sh', ['-c', 'command -v inotifywait']);
    return true;
  } catch {
    return false;
  }
})();

describe('hosts: live migration watch', () => {
  const suite = hostsSuite({ env: { FLEET_SSH_CONNECT_TIMEOUT: '3' } });
  let hf: HostsFleet;
  let w: MigrationWatch | undefined;
  let reports: CheckReport[];
  let errors: unknown[];
  // Registered after the suite's own afterEach, so it runs first: the watch ends before its fleet goes.
  afterEach(async () => {
    await w?.close();
    w = undefined;
  });

  const latest = () => reports[reports.length - 1];
  const until = (pred: (r: CheckReport) => boolean, what: string, timeout = 20_000) =>
    vi.waitFor(
      () => {
        const r = latest();
        if (!r || !pred(r)) throw new Error(`no report with ${what}: ${JSON.stringify(r)}`);
      },
      { timeout, interval: 20 },
    );
  const dupOf = (r: CheckReport, version: string) =>
    r.problems.find((p) => p.rule === 'duplicate-version' && p.version === version);

  async function start(mode: 'auto' | 'poll', hostsExtra?: { box2: string }): Promise<HostsFleet> {
    // A host on a silent port cannot be set up: `up` runs, its failure is expected.
    const f = await suite.fleet(FLEET, hostsExtra ? { hostsExtra, up: false } : {});
    if (hostsExtra) await f.cli(['up']);
    reports = [];
    errors = [];
    w = await watchMigrations(await f.config(), (r) => reports.push(r), {
      onError: (e) => errors.push(e),
      debounceMs: 10,
      hostWatchMode: mode,
    });
    return f;
  }

  for (const mode of ['poll', 'auto'] as const) {
    it.skipIf(mode === 'auto' && !hasInotify)(
      `${mode === 'poll' ? 'poll loop' : 'inotifywait'}: a host migration colliding with a local one is flagged, then cleared`,
      async () => {
        hf = await start(mode);
        const local = hf.fx.instances[0]!.worktree;
        await hf.fx.write(local, { [`${M}/20261201020000_a.sql`]: 'a;\n' });
        await until((r) => r.problems.some((p) => p.rule === 'out-of-band'), 'ps1 out of band');
        // The file appears on the host: the host's watcher flags the collision.
        await hf.fx.write(hf.worktree('ps2'), { [`${M}/20261201020000_b.sql`]: 'b;\n' });
        await until((r) => dupOf(r, '20261201020000') !== undefined, 'the collision');
        const dup = dupOf(latest()!, '20261201020000')!;
        expect(dup.files.map((f) => [f.instance, f.where])).toEqual([
          ['ps1', 'worktree'],
          ['ps2', 'worktree'],
        ]);
        expect(dup.message).toContain('(ps2@box1 worktree)');
        // A commit on the host (HEAD and branch move, no file event) is seen as well.
        await hf.fx.git(hf.worktree('ps2'), 'add', '--', M);
        await hf.fx.git(hf.worktree('ps2'), 'commit', '-q', '-m', 'ps2 b');
        await until(
          (r) => dupOf(r, '20261201020000')?.files[1]?.where === 'branch',
          'the host file as committed',
        );
        // Renamed on the host into its own slot: the collision clears.
        await hf.fx.git(
          hf.worktree('ps2'),
          'mv',
          `${M}/20261201020000_b.sql`,
          `${M}/20261201020500_b.sql`,
        );
        await until((r) => dupOf(r, '20261201020000') === undefined, 'the collision gone');
        expect(errors).toEqual([]);
      },
    );
  }

  it('hostile file names on the host reach the report exactly, and the watch keeps going', async () => {
    hf = await start('poll');
    const dir = path.join(hf.worktree('ps3'), M);
    // Names a line-oriented reader would take for the watcher's own lines or a shell would run.
    const names = [
      `20261201010000_x\n${'f'.repeat(24)} 0\n.sql`,
      '20261201010500_$(touch pwned)`id`.sql',
      '20261201011000_\u001b]0;title\u0007.sql',
    ];
    await hf.fx.write(
      hf.worktree('ps3'),
      Object.fromEntries(names.map((n) => [`${M}/${n}`, 'x;\n'])),
    );
    await until(
      (r) =>
        names.every((n) => r.problems.some((p) => p.files.some((f) => f.path === `${M}/${n}`))),
      'every hostile name',
    );
    execFileSync('mkfifo', [path.join(dir, '20261201011500_fifo.sql')]);
    // The watch still answers after the FIFO: a normal change on the host is seen.
    await hf.fx.write(hf.worktree('ps3'), { [`${M}/20261201012000_after.sql`]: 'y;\n' });
    await until(
      (r) => r.problems.some((p) => p.files.some((f) => f.path.endsWith('_after.sql'))),
      'the file written after',
    );
    for (const d of [hf.worktree('ps3'), hf.clones.box2])
      expect(execFileSync('ls', ['-a', d]).toString()).not.toContain('pwned');
    expect(errors).toEqual([]);
  });

  it('a silent host (accepts TCP, never answers) holds up neither the first report nor the other host', async () => {
    const silent = net.createServer(() => undefined);
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const port = (silent.address() as net.AddressInfo).port;
    try {
      hf = await start('poll', { box2: `, port: ${port}` });
      // The first report came with the local part, before any host answered.
      expect(reports.length).toBeGreaterThan(0);
      await hf.fx.write(hf.fx.instances[0]!.worktree, { [`${M}/20261201020000_a.sql`]: 'a;\n' });
      await hf.fx.write(hf.worktree('ps2'), { [`${M}/20261201020000_b.sql`]: 'b;\n' });
      await until((r) => dupOf(r, '20261201020000') !== undefined, 'the box1 collision');
      await until(
        (r) => (r.unreachableHosts ?? []).map((u) => u.host).join() === 'box2',
        'box2 away',
      );
      expect(latest()!.unreachableHosts![0]!.hostError).toMatch(/time|banner|closed/i);
    } finally {
      silent.close();
    }
  });

  it('sshd stopped mid-watch: the host is reported away, local changes still flagged, and it resumes when sshd is back', async () => {
    hf = await start('poll');
    await hf.fx.write(hf.worktree('ps2'), { [`${M}/20261201020000_b.sql`]: 'b;\n' });
    await until((r) => r.problems.length === 0 && r.migrations === 1, 'ps2 file read');
    await suite.sshd.stop();
    await until(
      (r) => (r.unreachableHosts ?? []).map((u) => u.host).join() === 'box1,box2',
      'both hosts away',
    );
    expect(latest()!.ok).toBe(false);
    // Local changes are flagged at once while the hosts are away (nothing waits on them), and
    // the host's last known file still collides.
    await hf.fx.write(hf.fx.instances[0]!.worktree, { [`${M}/20261201020000_a.sql`]: 'a;\n' });
    await until(
      (r) => dupOf(r, '20261201020000') !== undefined,
      'local collision with a host down',
      5000,
    );
    // A change on the host while it is away is picked up once it is back.
    await rm(path.join(hf.worktree('ps2'), M, '20261201020000_b.sql'));
    await hf.fx.write(hf.worktree('ps3'), { [`${M}/20261201030000_c.sql`]: 'c;\n' });
    await suite.sshd.start();
    await until(
      (r) =>
        r.unreachableHosts === undefined &&
        dupOf(r, '20261201020000') === undefined &&
        r.problems.every((p) => !p.files.some((f) => f.instance === 'ps2')) &&
        r.migrations === 2,
      'hosts back with their new state',
      40_000,
    );
    expect(errors).toEqual([]);
  });
});
