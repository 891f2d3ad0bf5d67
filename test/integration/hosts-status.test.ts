import { writeFile } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeFleet, run } from '../helpers/git-fixture.js';
import { hostsSuite, type HostsFleet } from '../helpers/hosts-fixture.js';
import { statusContext } from '../../src/core/git/status.js';
import { STATUS_ROW_KEYS } from '../helpers/status-contract.js';
import { readHostStatus } from '../../src/core/hosts/status.js';

// `up` and `status` with instances on two SSH hosts (a real sshd, two clones of one origin).
describe('hosts: up and status', () => {
  const suite = hostsSuite();
  let hf: HostsFleet;

  const FLEET = [{ id: 'ps1' }, { id: 'ps2', host: 'box1' }, { id: 'ps3', host: 'box2' }];
  const status = async (f: HostsFleet, env: Record<string, string> = {}) => {
    const r = await f.cli(['status', '--json'], { env });
    expect(r.exitCode, r.stderr).toBe(0);
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON rows checked field by field
    return JSON.parse(r.stdout).instances as Array<Record<string, any>>;
  };

  it('up creates the worktrees on each host in its own clone; a second up finds them', async () => {
    hf = await suite.fleet(FLEET, { up: false });
    const first = await hf.cli(['up']);
    expect(first.exitCode, first.stdout + first.stderr).toBe(0);
    expect(first.stdout).toMatch(/ps2\s+created\s+\.claude\/worktrees\/instance-ps2 on host box1/);
    expect(first.stdout).toMatch(/ps3\s+created\s+\.claude\/worktrees\/instance-ps3 on host box2/);
    // git itself, in each clone, says the worktree is there on the instance's branch.
    const list1 = await run(hf.clones.box1, ['worktree', 'list', '--porcelain']);
    expect(list1).toContain(`worktree ${hf.worktree('ps2')}\n`);
    expect(list1).toContain('branch refs/heads/claude/ps2-wip');
    expect(list1).not.toContain('instance-ps3');
    const list2 = await run(hf.clones.box2, ['worktree', 'list', '--porcelain']);
    expect(list2).toContain('branch refs/heads/claude/ps3-wip');
    // Nothing of a host instance was made locally.
    expect(await run(hf.fx.repo, ['branch', '--list', 'claude/ps2-wip'])).toBe('');
    const again = await hf.cli(['up']);
    expect(again.stdout).toMatch(/ps2\s+exists/);
    expect(again.stdout).toMatch(/0 created, 3 already there, 0 need attention/);
  });

  it('status --json reads host worktrees (dirty, ahead, hostile file names) with host on every row', async () => {
    hf = await suite.fleet(FLEET);
    const wt2 = hf.worktree('ps2');
    await hf.fx.commit(wt2, { 'lib/a.txt': 'a\n' }, 'ps2: remote work');
    // A file name that tries to look like the reader's section header, with a newline.
    await writeFile(path.join(wt2, `x\n@@${'0'.repeat(24)} 0 top\nfake`), 'x');
    await writeFile(path.join(wt2, 'plain.txt'), 'y');
    const rows = await status(hf);
    expect(rows.map((r) => [r.id, r.host])).toEqual([
      ['ps1', null],
      ['ps2', 'box1'],
      ['ps3', 'box2'],
    ]);
    const ps2 = rows[1]!;
    expect(ps2).toMatchObject({
      exists: true,
      branch: 'claude/ps2-wip',
      ahead: 1,
      behind: 0,
      dirty: { staged: 0, unstaged: 0, untracked: 2 },
      operation: null,
      reachable: true,
      lastCommit: { subject: 'ps2: remote work' },
    });
    expect(ps2.head).toBe(await run(wt2, ['rev-parse', 'HEAD']));
    expect(ps2).not.toHaveProperty('hostError');
    expect(rows[2]).toMatchObject({ exists: true, ahead: 0, dirty: { untracked: 0 } });
    expect(rows[0]).not.toHaveProperty('reachable');
  });

  it('a host worktree in the middle of a merge shows the operation', async () => {
    hf = await suite.fleet(FLEET);
    const wt = hf.worktree('ps3');
    await hf.fx.commit(wt, { 'c.txt': 'one\n' }, 'ps3: one');
    await run(wt, ['checkout', '-q', '-b', 'side', 'HEAD~1']);
    await hf.fx.commit(wt, { 'c.txt': 'two\n' }, 'side: two');
    await run(wt, ['checkout', '-q', 'claude/ps3-wip']);
    await run(wt, ['merge', 'side']).catch(() => undefined);
    const rows = await status(hf);
    expect(rows[2]).toMatchObject({ operation: 'merge', reachable: true });
  });

  it('a host that is down: its rows say reachable false with ssh’s error; the others are read', async () => {
    hf = await suite.fleet(FLEET);
    await suite.sshd.stop();
    const rows = await status(hf);
    expect(rows[0]).toMatchObject({ id: 'ps1', host: null, exists: true });
    for (const r of rows.slice(1)) {
      expect(r.reachable).toBe(false);
      expect(r.hostError).toMatch(/refused|closed|reset/i);
      // agentState keeps its own values (what the local event files say), never the host's fate.
      expect(r.agentState === null || typeof r.agentState.status === 'string').toBe(true);
    }
    const text = await hf.cli(['status']);
    expect(text.stdout).toMatch(/ps2\s+unreachable host box1: /);
  });

  it('a silent host (accepts TCP, never answers) does not hold up the other host', async () => {
    const silent = net.createServer(() => undefined);
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const port = (silent.address() as net.AddressInfo).port;
    try {
      hf = await suite.fleet(FLEET, { up: false, hostsExtra: { box2: `, port: ${port}` } });
      const rows = await status(hf, { FLEET_SSH_CONNECT_TIMEOUT: '2' });
      expect(rows[1]).toMatchObject({ host: 'box1', reachable: true });
      expect(rows[2]).toMatchObject({ host: 'box2', reachable: false });
      expect(rows[2]!.hostError).toMatch(/time|banner|closed/i);
    } finally {
      silent.close();
    }
  });

  it('a fleet without hosts: rows gain host: null and nothing else changes', async () => {
    const fx = await makeFleet({ instances: 2 });
    try {
      const r = await fx.cli(['status', '--json']);
      const rows = JSON.parse(r.stdout).instances as Array<Record<string, unknown>>;
      for (const row of rows) {
        expect(row.host).toBeNull();
        expect(Object.keys(row)).toEqual(STATUS_ROW_KEYS);
      }
    } finally {
      await fx.cleanup();
    }
  });

  it('the TUI’s per-instance read (readHostStatus) gives a host row, and reachable false when down', async () => {
    hf = await suite.fleet(FLEET);
    const cfg = await hf.config();
    const ctx = await statusContext(cfg);
    const ps2 = cfg.instances[1]!;
    const up = await readHostStatus(cfg, ps2, ctx);
    expect(up).toMatchObject({ id: 'ps2', host: 'box1', exists: true, reachable: true });
    await suite.sshd.stop();
    const down = await readHostStatus(cfg, ps2, ctx);
    expect(down).toMatchObject({ id: 'ps2', host: 'box1', reachable: false });
    expect(down.hostError).toBeTruthy();
  });
});
