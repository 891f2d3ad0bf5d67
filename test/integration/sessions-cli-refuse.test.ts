// Issue 12 item 5 through the CLI with real tmux: `agents start` refuses the wrong place, says
// when an agent could not start, and always exits.
import { rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { simAgent, tmuxFleet, type TmuxFleet } from './tmux-helpers.js';

let f: TmuxFleet | null = null;
afterEach(async () => {
  await f?.cleanup();
  f = null;
});

describe('agents start: wrong place, wrong state', () => {
  it('refuses an instance whose worktree is missing: exit 1, the path, "fleet-tui up"; no window', async () => {
    f = await tmuxFleet({
      instances: [{ id: 'ps1' }],
      agents: () => ({ claude: simAgent() }),
    });
    const wt = f.config.instances[0]!.worktreePath;
    await rm(wt, { recursive: true, force: true });
    const res = await f.cli(['agents', 'start', 'ps1']);
    expect(res.timedOut).toBe(false);
    expect(res.exitCode).toBe(1);
    expect(res.stderr).toContain(wt);
    expect(res.stderr).toContain('fleet-tui up');
    expect(res.stdout).not.toContain('running');
    expect(await f.tmux('list-windows', '-a', '-F', '#{window_name}')).toBe('');
  });

  // Once failed in a full clean-clone run: the CLI gave up waiting for the failed launch's exit
  // status — the symptom of tmux missing a SIGCHLD, which fleet-tui now makes it reap. No retry.
  it('a binary that cannot start is crashed with the shell\'s message, not "running"', async () => {
    f = await tmuxFleet({
      instances: [{ id: 'ps1', agent: 'ghost' }],
      agents: () => ({ ghost: { command: 'fleet-tui-no-such-agent', backend: 'tmux' } }),
    });
    const res = await f.cli(['agents', 'start', 'ps1']);
    expect(res.exitCode).toBe(1);
    expect(res.stdout).not.toContain('running');
    expect(res.stderr).toMatch(/ps1: crashed — .*fleet-tui-no-such-agent: not found/);
    const status = await f.cli(['status', '--json']);
    expect(status.stdout).toContain('"crashed"');
    // The launcher script did not outlive the failed launch.
    const launch = path.join(f.fx.repo, '.git', 'fleet-tui', 'launch');
    expect((await import('node:fs')).readdirSync(launch)).toEqual([]);
  });

  it('exits after an instance fails to start once the control client is up, the others running', async () => {
    f = await tmuxFleet({
      instances: [{ id: 'ps1' }, { id: 'ps2' }],
      agents: () => ({ claude: simAgent() }),
    });
    // ps2's Claude hooks cannot be installed: .claude is a file in its worktree.
    const wt2 = f.config.instances[1]!.worktreePath;
    await rm(path.join(wt2, '.claude'), { recursive: true, force: true });
    await writeFile(path.join(wt2, '.claude'), 'not a directory');
    const res = await f.cli(['agents', 'start', 'ps1', 'ps2'], 30_000);
    expect(res.timedOut).toBe(false);
    expect(res.exitCode).toBe(1);
    expect(res.stdout).toContain('ps1: running in tmux');
    expect(res.stderr).toContain('ps2');
    expect(res.stderr.trim().split('\n')).toHaveLength(1);
    expect(await f.tmux('list-windows', '-t', '=fleet-test', '-F', '#{window_name}')).toBe('ps1');
  });
});
