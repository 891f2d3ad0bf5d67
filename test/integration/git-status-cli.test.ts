import { existsSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { STATUS_ROW_KEYS } from '../helpers/status-contract.js';
import { makeFleet, type FleetFixture } from '../helpers/git-fixture.js';

describe('CLI: up, status --json, down', () => {
  let fx: FleetFixture | undefined;
  afterEach(async () => {
    await fx?.cleanup();
    fx = undefined;
  });

  it('up creates missing worktrees from origin/main, is idempotent, reports a wrong branch', async () => {
    fx = await makeFleet({ instances: 3, worktrees: false });
    const [ps1, ps2] = fx.instances;
    const a = await fx.cli(['up']);
    expect(a.exitCode).toBe(0);
    expect(a.stdout).toMatch(/3 created/);
    for (const i of fx.instances) expect(existsSync(i.worktree)).toBe(true);
    expect(await fx.git(ps1!.worktree, 'rev-parse', 'HEAD')).toBe(
      await fx.git(fx.repo, 'rev-parse', 'origin/main'),
    );
    await fx.git(ps2!.worktree, 'checkout', '-q', '-b', 'other');
    const b = await fx.cli(['up']);
    expect(b.exitCode).toBe(1);
    expect(b.stdout).toMatch(/ps2\s+wrong-branch .*on other, not claude\/ps2-wip — left untouched/);
    expect(b.stdout).toMatch(/0 created, 2 already there, 1 need attention/);
    expect(await fx.git(ps2!.worktree, 'branch', '--show-current')).toBe('other');
  });

  it('status --json has exactly the contract shape', async () => {
    fx = await makeFleet({ instances: 2 });
    const [ps1, ps2] = fx.instances;
    await fx.commit(ps1!.worktree, { 'a.txt': 'a\n' }, 'ps1: a');
    await fx.write(ps1!.worktree, { 'u.txt': 'untracked\n', 'README.md': 'changed\n' });
    await fx.write(ps1!.worktree, { 's.txt': 'staged\n' });
    await fx.git(ps1!.worktree, 'add', 's.txt');
    await fx.pushFromOutside({ 'o.txt': 'o\n' }, 'outside');
    await fx.git(fx.repo, 'fetch', '-q', 'origin');
    await fx.git(ps2!.worktree, 'checkout', '-q', '--detach');
    const res = await fx.cli(['status', '--json']);
    expect(res.exitCode).toBe(0);
    const json = JSON.parse(res.stdout);
    expect(Object.keys(json)).toEqual(['instances']);
    const [a, b] = json.instances;
    expect(Object.keys(a).sort()).toEqual([...STATUS_ROW_KEYS].sort());
    expect(a.host).toBeNull();
    expect(a).toMatchObject({
      id: 'ps1',
      role: 'role-ps1',
      agent: 'claude',
      worktree: '.claude/worktrees/instance-ps1',
      branch: 'claude/ps1-wip',
      exists: true,
      ahead: 1,
      behind: 1,
      dirty: { staged: 1, unstaged: 1, untracked: 1 },
      operation: null,
      needsSync: false,
      landedToday: 0,
      agentState: { status: 'stopped', sessionId: null, costUsd: null },
    });
    expect(a.head).toMatch(/^[0-9a-f]{40}$/);
    expect(a.lastCommit.subject).toBe('ps1: a');
    expect(Number.isNaN(Date.parse(a.lastCommit.date))).toBe(false);
    expect(b).toMatchObject({ id: 'ps2', branch: '(detached)', exists: true, ahead: 0, behind: 1 });
  });

  it('down refuses a worktree with work not on main; --force keeps backups; a landed one goes quietly', async () => {
    fx = await makeFleet({ instances: 2 });
    const [ps1, ps2] = fx.instances;
    const tip = await fx.commit(ps1!.worktree, { 'a.txt': 'a\n' }, 'ps1: a');
    await fx.write(ps1!.worktree, { 'README.md': 'wip\n' });
    const refused = await fx.cli(['down', 'ps1']);
    expect(refused.exitCode).toBe(1);
    expect(refused.stderr).toMatch(/uncommitted: README\.md/);
    expect(refused.stderr).toMatch(/not on main: [0-9a-f]+ ps1: a/);
    expect(existsSync(ps1!.worktree)).toBe(true);
    const forced = await fx.cli(['down', 'ps1', '--force']);
    expect(forced.exitCode).toBe(0);
    expect(forced.stdout).toMatch(/backup: refs\/fleet\/backup\/ps1\//);
    expect(existsSync(ps1!.worktree)).toBe(false);
    const backups = await fx.git(
      fx.repo,
      'for-each-ref',
      '--format=%(objectname)',
      'refs/fleet/backup/ps1/',
    );
    expect(backups).toContain(tip);
    const clean = await fx.cli(['down', 'ps2']);
    expect(clean.exitCode).toBe(0);
    expect(existsSync(ps2!.worktree)).toBe(false);
  });
});
