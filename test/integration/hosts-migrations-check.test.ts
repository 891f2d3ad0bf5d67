// Issue 18, "Migrations": `migrations check` reads the worktrees on SSH hosts (committed and
// uncommitted files, one round trip per host) with the same rules as local ones, names the host,
// survives hostile file names there, and reports a host that is down (a real sshd throughout).
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { symlink } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { hostsSuite, type HostsFleet } from '../helpers/hosts-fixture.js';

const M = 'supabase/migrations';
const FLEET = [{ id: 'ps1' }, { id: 'ps2', host: 'box1' }, { id: 'ps3', host: 'box2' }];

interface Report {
  ok: boolean;
  migrations: number;
  problems: Array<{
    rule: string;
    severity: string;
    version: string;
    files: Array<{ instance: string | null; where: string; path: string }>;
    message: string;
    fix: string;
  }>;
  unreachableHosts?: Array<{ host: string; hostError: string; instances: string[] }>;
}

describe('hosts: migrations check', () => {
  const suite = hostsSuite();
  let hf: HostsFleet;
  const check = async (f: HostsFleet, env: Record<string, string> = {}) => {
    const res = await f.cli(['migrations', 'check', '--json'], { env });
    return { exitCode: res.exitCode, stderr: res.stderr, report: JSON.parse(res.stdout) as Report };
  };

  it('a local and a host migration with one version collide; committed host files count; the host is named', async () => {
    hf = await suite.fleet(FLEET);
    // Clean fleet first: nothing to report, and the report keeps its shape (no host field).
    const clean = await check(hf);
    expect(clean.exitCode, clean.stderr).toBe(0);
    expect(clean.report).toEqual({ ok: true, migrations: 0, problems: [] });

    // ps1 (local, uncommitted) and ps2 on box1 (uncommitted) take the same version.
    await hf.fx.write(hf.fx.instances[0]!.worktree, { [`${M}/20261201020000_a.sql`]: 'a;\n' });
    await hf.fx.write(hf.worktree('ps2'), { [`${M}/20261201020000_b.sql`]: 'b;\n' });
    // ps3 on box2 commits a migration in its band: it is read from the host's commits.
    // (Today's UTC day: fix suggestions allocate in today's slots.)
    const day = new Date().toISOString().slice(0, 10).replace(/-/g, '');
    await hf.fx.commit(hf.worktree('ps3'), { [`${M}/${day}030000_c.sql`]: 'c;\n' }, 'ps3 c');
    const { exitCode, report } = await check(hf);
    expect(exitCode).toBe(1);
    expect(report.ok).toBe(false);
    expect(report.migrations).toBe(3);
    expect(report.unreachableHosts).toBeUndefined();
    const dup = report.problems.find((p) => p.rule === 'duplicate-version')!;
    expect(dup.version).toBe('20261201020000');
    expect(dup.files).toEqual([
      { instance: 'ps1', where: 'worktree', path: `${M}/20261201020000_a.sql` },
      { instance: 'ps2', where: 'worktree', path: `${M}/20261201020000_b.sql` },
    ]);
    expect(dup.message).toContain(`${M}/20261201020000_b.sql (ps2@box1 worktree)`);
    // ps2 owns the band of 020000: ps1's file is the one to rename (ps1 is local: no host).
    expect(dup.fix).toMatch(/^rename ps1's 20261201020000_a\.sql to \d{8}010000_a\.sql/);
    // ps1's file is outside its own band too; ps3's committed file is in its band: no problem.
    expect(report.problems.map((p) => p.rule).sort()).toEqual(['duplicate-version', 'out-of-band']);

    // A host file out of its band: the fix names the host instance.
    await hf.fx.write(hf.worktree('ps3'), { [`${M}/20261201010000_d.sql`]: 'd;\n' });
    const again = await check(hf);
    const oob = again.report.problems.find(
      (p) => p.rule === 'out-of-band' && p.files[0]!.instance === 'ps3',
    )!;
    expect(oob.message).toContain("is outside ps3@box2's band");
    // The next free slot of ps3's band: its committed file on the host holds the first one.
    expect(oob.fix).toMatch(
      new RegExp(`^rename ps3@box2's 20261201010000_d\\.sql to ${day}030500_d\\.sql`),
    );
    // --instance keeps a host instance's problems.
    const only = await hf.cli(['migrations', 'check', '--json', '--instance', 'ps3']);
    expect((JSON.parse(only.stdout) as Report).problems.map((p) => p.rule)).toEqual([
      'out-of-band',
    ]);
  });

  it('hostile file names on a host: read exactly, never run, FIFOs and links not opened', async () => {
    hf = await suite.fleet(FLEET);
    const dir = path.join(hf.worktree('ps2'), M);
    // Out of ps2's band on purpose: each one is then named by an out-of-band problem.
    const names = [
      '20261201010000_a$(touch pwned).sql',
      "20261201010500_q'uote`touch x`.sql",
      `20261201011000_nl\n@@${'0'.repeat(24)} 0 files\nx.sql`,
      '20261201011500_\u001b[31mred.sql',
    ];
    await hf.fx.write(
      hf.worktree('ps2'),
      Object.fromEntries(names.map((n) => [`${M}/${n}`, 'x;\n'])),
    );
    execFileSync('mkfifo', [path.join(dir, '20261201022000_fifo.sql')]);
    await symlink('/dev/zero', path.join(dir, '20261201022500_zero.sql'));
    await symlink('20261201020000_nothing.sql', path.join(dir, '20261201023000_dangling.sql'));
    // A file with a name the local worktree also uses, so they collide across machines.
    await hf.fx.write(hf.fx.instances[0]!.worktree, { [`${M}/20261201010500_local.sql`]: 'l;\n' });

    const { report } = await check(hf, { FLEET_SSH_CONNECT_TIMEOUT: '5' });
    // Nothing ran: no file made where the remote shell or the probe would have run it.
    for (const d of [hf.worktree('ps2'), hf.clones.box1, os.homedir(), hf.fx.repo])
      for (const f of ['pwned', 'x']) expect(existsSync(path.join(d, f)), `${d}/${f}`).toBe(false);
    const paths = new Set(report.problems.flatMap((p) => p.files.map((f) => f.path)));
    for (const n of names) expect(paths.has(`${M}/${n}`), JSON.stringify(n)).toBe(true);
    const unreadable = report.problems
      .filter((p) => p.rule === 'unreadable')
      .map((p) => [
        path.basename(p.files[0]!.path),
        p.message.split('; ')[0]!.split(' worktree) ')[1],
      ]);
    // git status does not list a FIFO (as locally): it is neither opened nor reported.
    expect(unreadable.sort()).toEqual([
      ['20261201022500_zero.sql', 'not read: a symlink leading outside the worktree'],
      ['20261201023000_dangling.sql', 'not read: a symlink to nothing'],
    ]);
    // The name with a newline and a forged section header is one file (badly named, as it
    // would be locally: the pattern does not match across a line break), not three.
    const nl = report.problems.filter((p) => p.files.some((f) => f.path.includes('_nl')));
    expect(nl.map((p) => [p.rule, p.files[0]!.path])).toEqual([['bad-name', `${M}/${names[2]}`]]);
    // ps1's local file collides with the host file whose name holds a quote and backticks.
    const dup = report.problems.find((p) => p.rule === 'duplicate-version')!;
    expect(dup.files.map((f) => [f.instance, f.where, path.basename(f.path)])).toEqual([
      ['ps1', 'worktree', '20261201010500_local.sql'],
      ['ps2', 'worktree', names[1]],
    ]);
    // The text output shows control characters, never emits them.
    const human = await hf.cli(['migrations', 'check']);
    expect(human.stdout).not.toContain('\u001b');
    expect(human.stdout).toContain('ps2@box1 worktree');
  });

  it('migrations new writes into the host worktree, in its band, above what the host already has', async () => {
    hf = await suite.fleet(FLEET);
    const day = new Date().toISOString().slice(0, 10).replace(/-/g, '');
    // The band's first slot is taken on the host (uncommitted): the next one is handed out.
    await hf.fx.write(hf.worktree('ps2'), { [`${M}/${day}020000_first.sql`]: 'x;\n' });
    const res = await hf.cli(['migrations', 'new', 'ps2', 'Add posts', '--json']);
    expect(res.exitCode, res.stderr).toBe(0);
    const made = JSON.parse(res.stdout) as { path: string; version: string };
    expect(made.version).toBe(`${day}020500`);
    const file = path.join(hf.worktree('ps2'), M, `${day}020500_add_posts.sql`);
    expect(made.path).toBe(`box1:${file}`);
    expect(existsSync(file)).toBe(true);
    // Nothing was written on this machine for a host instance.
    expect(existsSync(path.join(hf.fx.repo, 'ssh:'))).toBe(false);
    const next = await hf.cli(['migrations', 'next', 'ps2']);
    expect(next.stdout.trim()).toBe(`${day}021000`);
  });

  it("a host that is down: one line naming it with ssh's error, exit 1, the rest still checked", async () => {
    hf = await suite.fleet(FLEET);
    await hf.fx.write(hf.fx.instances[0]!.worktree, { [`${M}/20261201020000_a.sql`]: 'a;\n' });
    await suite.sshd.stop();
    const env = { FLEET_SSH_CONNECT_TIMEOUT: '3' };
    const { exitCode, report } = await check(hf, env);
    expect(exitCode).toBe(1);
    expect(report.ok).toBe(false);
    expect(report.unreachableHosts!.map((u) => [u.host, u.instances])).toEqual([
      ['box1', ['ps2']],
      ['box2', ['ps3']],
    ]);
    expect(report.unreachableHosts![0]!.hostError).toMatch(/refused|closed|reset/i);
    // The local worktree was checked all the same.
    expect(report.problems.map((p) => p.rule)).toEqual(['out-of-band']);
    const human = await hf.cli(['migrations', 'check'], { env });
    expect(human.exitCode).toBe(1);
    const lines = human.stdout.split('\n').filter((l) => l.startsWith('error host '));
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(
      /^error host box1: unreachable \(.*(refused|closed|reset).*\) — ps2 not checked/i,
    );
    expect(human.stdout).toMatch(/1 error\(s\), 0 warning\(s\), 2 host\(s\) unreachable$/m);
  });
});
