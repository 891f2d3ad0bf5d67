// Starts asked while the agent's SSH host is down (the test sshd stopped): in the TUI (the
// manager's retryHostStarts) the pane says so and the agent starts once the host answers again.
import { appendFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import stripAnsi from 'strip-ansi';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SessionManager, type Session } from '../../src/core/sessions/index.js';
import { makeHostsFleet, type HostsFleet } from '../helpers/hosts-fixture.js';
import { startSshd, type Sshd } from '../helpers/sshd.js';
import { simAgent } from './tmux-helpers.js';
import { waitFor } from './sessions-helpers.js';

/** With FLEET_TIMINGS=<file>: how long a step took, appended there (for the README's figures;
 * never asserted). */
const took = (what: string, t0: number) =>
  process.env.FLEET_TIMINGS &&
  appendFileSync(process.env.FLEET_TIMINGS, `${what}: ${Date.now() - t0} ms\n`);

// The simulated agent in tmux -L fleet-<host> on the test sshd's "hosts" (as hosts-agents.test.ts);
// the tmux servers live in a private TMUX_TMPDIR and are killed after each test.
describe('hosts: agent starts while the host is down', () => {
  let sshd: Sshd;
  let hf: HostsFleet | undefined;
  let mgr: SessionManager | undefined;
  let tmuxDir = '';
  const saved = { ...process.env };
  const LOCAL = 'local';
  const tmux = (socket: string, ...args: string[]) =>
    execa('tmux', ['-L', socket, ...args], { reject: false }).then((r) => String(r.stdout).trim());
  const has = (s: Session, text: string) => s.tail(200).some((l) => stripAnsi(l).includes(text));

  beforeAll(async () => {
    tmuxDir = await mkdtemp(path.join(os.tmpdir(), 'fth-'));
    process.env.TMUX_TMPDIR = tmuxDir;
    sshd = await startSshd();
    Object.assign(process.env, sshd.env);
  });
  afterEach(async () => {
    mgr?.dispose();
    mgr = undefined;
    for (const s of [LOCAL, 'fleet-box1', 'fleet-box2']) await tmux(s, 'kill-server');
    await hf?.cleanup();
    hf = undefined;
    // A test that stopped sshd: start it again (only then — a second sshd on the same port
    // would fail to bind and leave the harness holding a dead process).
    if (!(await sshdUp())) await sshd.start();
  });
  afterAll(async () => {
    process.env = saved;
    await sshd?.cleanup();
    await rm(tmuxDir, { recursive: true, force: true });
  });

  const sshdUp = () =>
    new Promise<boolean>((resolve) => {
      const c = net.connect(sshd.port, '127.0.0.1');
      c.once('connect', () => (c.destroy(), resolve(true)));
      c.once('error', () => resolve(false));
    });

  async function fleet(
    instances: Array<{ id: string; host?: string; agent?: string }>,
    agents: Record<string, unknown> = {},
  ): Promise<HostsFleet> {
    const f = await makeHostsFleet(sshd, instances, {
      configExtra: `  agents: ${JSON.stringify({ claude: simAgent(), ...agents })},\n  sessions: { tmuxSession: 'fleet-test' },\n`,
    });
    hf = f;
    const up = await f.cli(['up']);
    expect(up.exitCode, up.stdout + up.stderr).toBe(0);
    return f;
  }

  it('a start asked while the host is down: the pane says so, and the agent starts when it is back', async () => {
    const f = await fleet([{ id: 'ps1' }, { id: 'ps2', host: 'box1' }]);
    mgr = new SessionManager(await f.config(), {
      tmuxSocket: LOCAL,
      crashBackoffMs: 0,
      retryHostStarts: true,
    });
    const s = mgr.session('ps2');
    await sshd.stop();
    await expect(s.start()).rejects.toThrow(
      /host "box1" unreachable: .* — it starts when the host is back/,
    );
    expect(s.state().status).toBe('stopped');
    expect(s.state().note).toMatch(
      /^host unreachable: .* — the agent starts when the host is back/,
    );
    // The local agent is not held up meanwhile.
    await mgr.session('ps1').start();
    await waitFor('ps1 idle', () => mgr!.session('ps1').state().status === 'idle');
    expect(await tmux('fleet-box1', 'list-windows', '-a')).toBe('');

    const t0 = Date.now();
    await sshd.start();
    // Nobody asks again: the host answers, the agent starts, its output and hooks arrive.
    await waitFor('ps2 output', () => has(s, '⏺ Edit work/ps2/log.md'), 40_000);
    took('pending start: sshd started → agent output in the pane', t0);
    await waitFor('ps2 idle from its hook', () => s.state().status === 'idle');
    expect(s.state().note ?? '').not.toMatch(/host unreachable/);
    expect(
      await tmux('fleet-box1', 'list-windows', '-t', '=fleet-test', '-F', '#{window_name}'),
    ).toBe('ps2');
    await s.send('after the host came back');
    await waitFor('the answer', () => has(s, "I'll after the host came back"));
  });

  it('a pending start is dropped by a stop: the host coming back starts only the others', async () => {
    const f = await fleet([
      { id: 'ps2', host: 'box1' },
      { id: 'ps3', host: 'box1' },
    ]);
    mgr = new SessionManager(await f.config(), {
      tmuxSocket: LOCAL,
      crashBackoffMs: 0,
      retryHostStarts: true,
    });
    const [s2, s3] = [mgr.session('ps2'), mgr.session('ps3')];
    await sshd.stop();
    await expect(s2.start()).rejects.toThrow(/unreachable/);
    await expect(s3.start()).rejects.toThrow(/unreachable/);
    await s2.stop();
    await sshd.start();
    // Both pending starts would be taken up at the same moment (the host answering): ps3's
    // start shows the moment came, and ps2's window is not there.
    await waitFor('ps3 idle', () => s3.state().status === 'idle', 40_000);
    expect(
      await tmux('fleet-box1', 'list-windows', '-t', '=fleet-test', '-F', '#{window_name}'),
    ).toBe('ps3');
    expect(s2.state().status).toBe('stopped');
  });
});
