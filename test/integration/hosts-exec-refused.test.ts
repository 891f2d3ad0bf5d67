// The exec backend runs agents on this machine only: an instance on an SSH host whose agent kind
// is `exec` is refused with one line (what, where, what to do), exit 2, before anything starts.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeHostsFleet, type HostsFleet } from '../helpers/hosts-fixture.js';
import { startSshd, type Sshd } from '../helpers/sshd.js';
import { simAgent } from './tmux-helpers.js';

describe('hosts: the exec backend on a host', () => {
  let sshd: Sshd;
  let hf: HostsFleet | undefined;
  let tmuxDir = '';
  const saved = { ...process.env };
  beforeAll(async () => {
    tmuxDir = await mkdtemp(path.join(os.tmpdir(), 'fth-x-'));
    process.env.TMUX_TMPDIR = tmuxDir;
    sshd = await startSshd();
    Object.assign(process.env, sshd.env);
  });
  afterAll(async () => {
    for (const s of ['fleet-box1', 'local-x'])
      await execa('tmux', ['-L', s, 'kill-server'], { reject: false });
    await hf?.cleanup();
    process.env = saved;
    await sshd?.cleanup();
    await rm(tmuxDir, { recursive: true, force: true });
  });

  it('agents start: one line naming the instance, the host and the fix; exit 2; nothing started', async () => {
    hf = await makeHostsFleet(sshd, [{ id: 'ps1' }, { id: 'ps2', host: 'box1', agent: 'bg' }], {
      configExtra: `  agents: ${JSON.stringify({ claude: simAgent(), bg: simAgent('exec') })},\n  sessions: { tmuxSession: 'fleet-x' },\n`,
    });
    expect((await hf.cli(['up'])).exitCode).toBe(0);
    const env = { FLEET_TUI_TMUX_SOCKET: 'local-x', TMUX: '' };
    const res = await hf.cli(['agents', 'start', 'ps2'], { env });
    expect(res.stderr.trim().split('\n')).toHaveLength(1);
    expect(res.stderr).toMatch(
      /instance ps2 is on host "box1": the exec backend runs agents on this machine only — give agent kind "bg" backend 'tmux'/,
    );
    expect(res.stderr).not.toMatch(/\n\s+at /);
    expect(res.exitCode).toBe(2);
    const windows = await execa('tmux', ['-L', 'fleet-box1', 'list-windows', '-a'], {
      reject: false,
    });
    expect(String(windows.stdout).trim()).toBe('');
  });
});
