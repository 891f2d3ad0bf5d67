// Starts asked while the agent's SSH host is down (the test sshd stopped): in the TUI (the
// manager's retryHostStarts) the pane says so and the agent starts once the host answers again.
import { appendFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SessionManager } from '../../src/core/sessions/index.js';
import { hostAgentsSuite, LOCAL } from '../helpers/host-agents-suite.js';
import { waitFor } from './sessions-helpers.js';

/** With FLEET_TIMINGS=<file>: how long a step took, appended there (for the README's figures;
 * never asserted). */
const took = (what: string, t0: number) =>
  process.env.FLEET_TIMINGS &&
  appendFileSync(process.env.FLEET_TIMINGS, `${what}: ${Date.now() - t0} ms\n`);

// The simulated agent in tmux -L fleet-<host> on the test sshd's "hosts" (as hosts-agents.test.ts);
// the tmux servers live in a private TMUX_TMPDIR and are killed after each test.
describe('hosts: agent starts while the host is down', () => {
  let mgr: SessionManager | undefined;
  const h = hostAgentsSuite(() => {
    mgr?.dispose();
    mgr = undefined;
  });
  const { tmux, has, fleet } = h;

  it('a start asked while the host is down: the pane says so, and the agent starts when it is back', async () => {
    const f = await fleet([{ id: 'ps1' }, { id: 'ps2', host: 'box1' }]);
    mgr = new SessionManager(await f.config(), {
      tmuxSocket: LOCAL,
      crashBackoffMs: 0,
      retryHostStarts: true,
    });
    const s = mgr.session('ps2');
    await h.sshd.stop();
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
    await h.sshd.start();
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
    await h.sshd.stop();
    await expect(s2.start()).rejects.toThrow(/unreachable/);
    await expect(s3.start()).rejects.toThrow(/unreachable/);
    await s2.stop();
    await h.sshd.start();
    // Both pending starts would be taken up at the same moment (the host answering): ps3's
    // start shows the moment came, and ps2's window is not there.
    await waitFor('ps3 idle', () => s3.state().status === 'idle', 40_000);
    expect(
      await tmux('fleet-box1', 'list-windows', '-t', '=fleet-test', '-F', '#{window_name}'),
    ).toBe('ps3');
    expect(s2.state().status).toBe('stopped');
  });
});
