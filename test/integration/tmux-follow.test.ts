// Issue 14 items 5 and 6 against real tmux: the TUI's sessions follow the tmux session (windows
// stopped, started or restarted by another process), and a window has its pane's size before
// the agent draws anything and whenever the pane changes size.
import { afterEach, describe, expect, it } from 'vitest';
import { SessionManager, type Session } from '../../src/core/sessions/index.js';
import { TmuxSession } from '../../src/core/sessions/tmux/tmux-session.js';
import { waitFor } from './sessions-helpers.js';
import { scriptAgent, tmuxFleet, type TmuxFleet } from './tmux-helpers.js';

// The agent says its pid and terminal size when it starts and whenever the size changes.
const SIZER = `
const say = (why) =>
  process.stdout.write(why + ' pid=' + process.pid + ' ' + process.stdout.columns + 'x' + process.stdout.rows + '\\n');
say('start');
process.stdout.on('resize', () => say('resize'));
setInterval(() => {}, 1 << 30);
`;

let f: TmuxFleet | null = null;
const managers: SessionManager[] = [];
afterEach(async () => {
  for (const m of managers.splice(0)) m.dispose();
  await f?.cleanup();
  f = null;
});

async function fleet(n: number): Promise<TmuxFleet> {
  f = await tmuxFleet({
    instances: Array.from({ length: n }, (_, i) => ({ id: `ps${i + 1}`, agent: 'sizer' })),
    scripts: { 'sizer.js': SIZER },
    agents: (script) => ({ sizer: scriptAgent(script('sizer.js')) }),
  });
  return f;
}

/** A second manager, as the TUI makes it: starts wait for the pane's size. */
function tuiManager(fx: TmuxFleet): SessionManager {
  const m = new SessionManager(fx.config, {
    tmuxSocket: fx.socket,
    tmuxSession: 'fleet-test',
    crashBackoffMs: 0,
    awaitSizeMs: 20_000,
  });
  managers.push(m);
  return m;
}

const lines = (s: Session) => s.tail(100).map((l) => l.trim());
const size = (fx: TmuxFleet, id: string) =>
  fx.tmux('display-message', '-p', '-t', `=fleet-test:=${id}`, '#{window_width}x#{window_height}');
const panePid = (fx: TmuxFleet, id: string) =>
  fx.tmux('display-message', '-p', '-t', `=fleet-test:=${id}`, '#{pane_pid}');

describe('window size follows the pane (item 6)', () => {
  it('an agent started by the TUI starts at its pane size and follows grid ↔ zoom ↔ terminal resizes', async () => {
    const fx = await fleet(1);
    const m = tuiManager(fx);
    const s = m.session('ps1');
    // The grid's first frame (which says the pane size) comes after the start was asked for:
    // no window may appear before it (fleet-tui used to start it at 120×40 and lose the size).
    const started = s.start();
    const until = Date.now() + 1500;
    while (Date.now() < until) {
      expect(await fx.tmux('list-windows', '-a', '-F', '#{window_name}')).toBe('');
      await new Promise((r) => setTimeout(r, 100));
    }
    s.resize(51, 17);
    await started;
    const pid = await panePid(fx, 'ps1');
    await waitFor('the agent drew its first screen', () =>
      lines(s).some((l) => l.startsWith('start ')),
    );
    // Its very first size was the pane's: never 120×40 first.
    expect(lines(s).find((l) => l.startsWith('start '))).toBe(`start pid=${pid} 51x17`);
    expect(await size(fx, 'ps1')).toBe('51x17');

    s.resize(158, 40); // zoom
    await waitFor('zoomed', () => lines(s).includes(`resize pid=${pid} 158x40`));
    expect(await size(fx, 'ps1')).toBe('158x40');
    s.resize(51, 17); // back to the grid
    await waitFor('back', async () => (await size(fx, 'ps1')) === '51x17');
    s.resize(70, 21); // the terminal grew
    await waitFor('terminal resize', () => lines(s).includes(`resize pid=${pid} 70x21`));
    // A person attaching with a bigger terminal does not resize it behind the pane's back.
    expect(await fx.tmux('show-options', '-w', '-v', '-t', '=fleet-test:=ps1', 'window-size')).toBe(
      'manual',
    );
  });

  it('a window started elsewhere (120×40) takes the pane size when the TUI adopts it', async () => {
    const fx = await fleet(1);
    expect((await fx.cli(['agents', 'start', 'ps1'])).exitCode).toBe(0);
    expect(await size(fx, 'ps1')).toBe('120x40');
    await waitFor('the agent drew at 120×40', async () =>
      (await fx.tmux('capture-pane', '-p', '-t', '=fleet-test:=ps1')).includes(' 120x40'),
    );
    const m = tuiManager(fx);
    const s = m.session('ps1');
    s.resize(60, 20); // the pane said its size before adoption
    expect(await m.adopt()).toEqual(['ps1']);
    await waitFor('resized on adoption', async () => (await size(fx, 'ps1')) === '60x20');
    const pid = await panePid(fx, 'ps1');
    await waitFor('the agent saw it', () => lines(s).includes(`resize pid=${pid} 60x20`));
  });
});

describe('the TUI follows the tmux session (item 5)', () => {
  it('picks up a window stopped, started and restarted from another shell', async () => {
    const fx = await fleet(2);
    const m = tuiManager(fx);
    for (const s of m.sessions()) s.resize(60, 18);
    await m.startAll();
    m.follow((e) => {
      throw e;
    });
    const s = m.session('ps1');
    await waitFor('running', () => lines(s).some((l) => l.startsWith('start ')));

    expect((await fx.cli(['agents', 'stop', 'ps1'])).exitCode).toBe(0);
    await waitFor('seen stopped', () => s.state().status === 'stopped');

    expect((await fx.cli(['agents', 'start', 'ps1'])).exitCode).toBe(0);
    const t0 = Date.now();
    const pid = await panePid(fx, 'ps1');
    await waitFor('the new window adopted', () => lines(s).some((l) => l.includes(`pid=${pid}`)));
    const pickedUpMs = Date.now() - t0;
    expect(s.state().status).not.toBe('stopped');
    expect(s instanceof TmuxSession && s.paneId).toBe(
      await fx.tmux('display-message', '-p', '-t', '=fleet-test:=ps1', '#{pane_id}'),
    );
    // Adopted at its pane's size, not the 120×40 the CLI started it with.
    await waitFor('pane size', async () => (await size(fx, 'ps1')) === '60x18');

    expect((await fx.cli(['agents', 'restart', 'ps1'])).exitCode).toBe(0);
    const pid2 = await panePid(fx, 'ps1');
    expect(pid2).not.toBe(pid);
    await waitFor('the restarted window adopted', () =>
      lines(s).some((l) => l.includes(`pid=${pid2}`)),
    );
    expect(s.state().status).not.toBe('stopped');
    // The other instance was left alone throughout.
    expect(m.session('ps2').state().status).not.toBe('stopped');
    console.log(
      `[measure] window started elsewhere picked up ${pickedUpMs} ms after the CLI returned`,
    );
  });

  it('picks up the session coming back after every window was stopped', async () => {
    const fx = await fleet(1);
    const m = tuiManager(fx);
    m.session('ps1').resize(60, 18);
    await m.startAll();
    m.follow((e) => {
      throw e;
    });
    const s = m.session('ps1');
    expect((await fx.cli(['agents', 'stop', 'ps1'])).exitCode).toBe(0);
    await waitFor('seen stopped', () => s.state().status === 'stopped');
    // The session is gone with its last window: nobody is left to notify us.
    expect(await fx.tmux('list-sessions', '-F', '#{session_name}')).not.toContain('fleet-test');

    expect((await fx.cli(['agents', 'start', 'ps1'])).exitCode).toBe(0);
    const pid = await panePid(fx, 'ps1');
    await waitFor('the new session adopted', () => lines(s).some((l) => l.includes(`pid=${pid}`)));
    expect(s.state().status).not.toBe('stopped');
  });

  it('an all-exec fleet follows nothing: no tmux asked, no timer armed (idle is idle)', async () => {
    f = await tmuxFleet({
      instances: [{ id: 'ps1', agent: 'sizer' }],
      scripts: { 'sizer.js': SIZER },
      agents: (script) => ({ sizer: scriptAgent(script('sizer.js'), [], 'exec') }),
    });
    const m = tuiManager(f);
    const live = () => {
      const r = process.getActiveResourcesInfo();
      return r.filter((k) => k === 'Timeout' || k === 'ProcessWrap').length;
    };
    const before = live();
    const stop = m.follow((e) => {
      throw e;
    });
    // Following a session that does not exist used to look for it (a tmux process, then a
    // timer) forever; sampled over 1.5 s, neither may appear. A window in which nothing must
    // happen, so it is a wait, not a predicate.
    const seen: number[] = [];
    for (let k = 0; k < 6; k++) {
      seen.push(live());
      await new Promise((r) => setTimeout(r, 250));
    }
    stop();
    expect(seen).toEqual(seen.map(() => before));
  });
});
