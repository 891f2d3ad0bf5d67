import { appendFileSync } from 'node:fs';
// The real TUI in a real terminal (a private tmux server, 160×48) on a fleet with one local
// instance and one on an SSH "host" (the test sshd on 127.0.0.1): the host pane's header, its
// agent's output streamed over SSH, the unreachable mark while sshd is stopped, and the recovery.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { BIN } from '../helpers/git-fixture.js';
import { makeHostsFleet, type HostsFleet } from '../helpers/hosts-fixture.js';
import { startSshd, type Sshd } from '../helpers/sshd.js';
import { simAgent } from '../integration/tmux-helpers.js';

const SOCKET = `fleet-e2eh-${process.pid}`;
const AGENTS = `fleet-e2eh-agents-${process.pid}`;
const tmux = (...args: string[]) =>
  execa('tmux', ['-L', SOCKET, '-f', '/dev/null', ...args], { reject: false });
const screen = async () => (await tmux('capture-pane', '-p', '-t', 'e2eh')).stdout;

async function until(what: string, pred: (s: string) => boolean, ms = 60_000): Promise<string> {
  return vi.waitFor(
    async () => {
      const s = await screen();
      if (!pred(s)) throw new Error(`timed out waiting for ${what}; screen:\n${s}`);
      return s;
    },
    { timeout: ms, interval: 200 },
  );
}

/** The lines of the pane whose header names `label` (the grid puts panes side by side: the
 * column under that header, as far as the next header below it). */
function paneText(s: string, label: string): string {
  const lines = s.split('\n');
  const top = lines.findIndex((l) => l.includes(label));
  if (top < 0) return '';
  const col = lines[top]!.lastIndexOf('║', lines[top]!.indexOf(label));
  const start = Math.max(0, lines[top]!.lastIndexOf('│', lines[top]!.indexOf(label)), col);
  return lines
    .slice(top, top + 40)
    .map((l) => l.slice(start, start + 80))
    .join('\n');
}

/** With FLEET_TIMINGS=<file>: how long a step took, appended there (for the README's figures;
 * never asserted). */
const took = (what: string, t0: number) =>
  process.env.FLEET_TIMINGS &&
  appendFileSync(process.env.FLEET_TIMINGS, `${what}: ${Date.now() - t0} ms\n`);

describe('the TUI with a pane on an SSH host', () => {
  let sshd: Sshd;
  let hf: HostsFleet;
  let tmuxDir = '';
  const saved = { ...process.env };

  beforeAll(async () => {
    tmuxDir = await mkdtemp(path.join(os.tmpdir(), 'fth-e2e-'));
    process.env.TMUX_TMPDIR = tmuxDir;
    sshd = await startSshd();
    Object.assign(process.env, sshd.env);
    hf = await makeHostsFleet(sshd, [{ id: 'ps1' }, { id: 'ps2', host: 'box1' }], {
      configExtra: `  agents: ${JSON.stringify({ claude: simAgent() })},\n  sessions: { tmuxSession: 'fleet-e2eh' },\n`,
    });
    const up = await hf.cli(['up']);
    expect(up.exitCode, up.stdout + up.stderr).toBe(0);
  });
  afterAll(async () => {
    await tmux('kill-server');
    for (const s of [AGENTS, 'fleet-box1'])
      await execa('tmux', ['-L', s, 'kill-server'], { reject: false });
    await hf?.cleanup();
    await sshd?.cleanup();
    process.env = saved;
    await rm(tmuxDir, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
  });

  it('shows ps2@box1 with its output, marks it unreachable while sshd is down, and recovers', async () => {
    // Ink draws nothing until exit when it believes it runs in CI, so the TUI runs without CI=.
    const env = `env -u CI -u CONTINUOUS_INTEGRATION FLEET_TUI_TMUX_SOCKET=${AGENTS}`;
    const cmd = `cd ${hf.fx.repo} && ${env} ${process.execPath} ${BIN}; echo FLEET_EXIT=$?; sleep 600`;
    const res = await tmux('new-session', '-d', '-s', 'e2eh', '-x', '160', '-y', '48', cmd);
    expect(res.exitCode, res.stderr).toBe(0);

    let s = await until(
      'both panes with their agents’ output',
      (x) =>
        x.includes('ps2@box1') &&
        x.includes('Edit work/ps2/log.md') &&
        x.includes('Edit work/ps1/log.md'),
    );
    expect(s.split('\n').length).toBeLessThanOrEqual(48);
    // The host agent's output is in the host pane, not only somewhere on the screen.
    expect(paneText(s, 'ps2@box1')).toContain('Edit work/ps2/log.md');
    // The host agent runs on the host's tmux server; the local one on the local server.
    const hostWindows = await execa('tmux', [
      '-L',
      'fleet-box1',
      'list-windows',
      '-a',
      '-F',
      '#{window_name}',
    ]);
    expect(hostWindows.stdout.trim()).toBe('ps2');
    // Both idle before sshd stops: ps1's header is read below from the screen taken then, so
    // it must already say idle (it need not be, just because ps2's does).
    await until(
      'both agents idle from their hooks',
      (x) =>
        (/ps2@box1 \S* ?idle/.test(x) || /ps2@box1.*idle/.test(x)) &&
        /1 ps1 \S+ idle/.test(paneText(x, '1 ps1')),
    );

    let t0 = Date.now();
    await sshd.stop();
    s = await until('the unreachable mark', (x) => /ps2@box1.*host unreachable/.test(x), 60_000);
    expect(paneText(s, 'ps2@box1')).toMatch(/host unreachable/);
    // The local pane is not marked, and its header still reads its status.
    expect(paneText(s, '1 ps1')).not.toMatch(/unreachable/);
    expect(paneText(s, '1 ps1')).toMatch(/1 ps1 \S+ idle/);

    took('TUI: sshd stopped → unreachable mark', t0);
    t0 = Date.now();
    await sshd.start();
    s = await until(
      'the mark gone',
      (x) => x.includes('ps2@box1') && !x.includes('host unreachable'),
      // Less than the 60 s idle sweep: an unreachable host's instances are read every 10 s.
      45_000,
    );
    took('TUI: sshd started → mark gone', t0);
    t0 = Date.now();
    // Streaming again: a prompt sent now shows its answer in the host pane.
    const sent = await hf.cli(['agents', 'send', 'ps2', 'back after the outage'], {
      env: { FLEET_TUI_TMUX_SOCKET: AGENTS },
    });
    expect(sent.exitCode, sent.stderr).toBe(0);
    s = await until('the answer in the host pane', (x) =>
      paneText(x, 'ps2@box1').includes("I'll back after the outage"),
    );

    took('TUI: agents send → answer in the host pane', t0);
    await tmux('send-keys', '-t', 'e2eh', 'q');
    s = await until('the shell after quitting', (x) => x.includes('FLEET_EXIT='), 30_000);
    expect(s).toContain('FLEET_EXIT=0');
  }, 300_000);
});
