// Agents that die in tmux are reported with their exit code, however many die at once. tmux
// 3.3a sometimes misses the SIGCHLD of a pane's process: the pane is dead, the process a zombie
// of the tmux server, and `pane_dead_status` stays empty until another child of the server
// exits — for a lone crashed agent, never (the "agent that dies" test's late exit status).
// fleet-tui makes tmux reap (windows.ts reapDeadChildren). Under load a few in a hundred
// SIGCHLDs went missing: 20 agents dying together make a missed one likely on every run.
import { afterEach, describe, expect, it } from 'vitest';
import { waitFor } from './sessions-helpers.js';
import { scriptAgent, tmuxFleet, type TmuxFleet } from './tmux-helpers.js';

const N = 20;
// Says it runs (so the test knows it was exec'd), then exits 3 a moment later.
const DIER = `process.stdout.write('up\\n'); setTimeout(() => process.exit(3), 400);`;

let f: TmuxFleet | null = null;
afterEach(async () => {
  await f?.cleanup();
  f = null;
});

describe('tmux: agents that die', () => {
  it(`${N} agents dying at once are each reported crashed with exit code 3`, async () => {
    f = await tmuxFleet({
      instances: Array.from({ length: N }, (_, i) => ({ id: `ps${i + 1}`, agent: 'dier' })),
      scripts: { 'dier.js': DIER },
      agents: (script) => ({ dier: scriptAgent(script('dier.js')) }),
    });
    const m = f.manager;
    await m.startAll();
    const sessions = m.sessions();
    // The old wait gave up after 15 s and reported the crash without a code: wait for every
    // agent to be reported at all, then look at the codes.
    await waitFor(
      'every agent reported crashed',
      () => sessions.every((s) => s.state().status === 'crashed'),
      60_000,
    );
    expect(sessions.map((s) => `${s.instanceId} ${s.state().exitCode}`)).toEqual(
      sessions.map((s) => `${s.instanceId} 3`),
    );
    // tmux itself knows every status (its "Pane is dead (status 3, …)" line is right too).
    const panes = await f.tmux(
      'list-panes',
      '-s',
      '-t',
      '=fleet-test',
      '-F',
      '#{pane_dead_status}',
    );
    expect(panes.split('\n')).toEqual(Array.from({ length: N }, () => '3'));
  });
});
