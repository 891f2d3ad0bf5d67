// Contract: fleet-tui with the REAL Claude Code binary (pinned in scripts/agent-versions.json),
// in real tmux, against the mock model server. `it.fails` marks what issue 14 reports broken
// today (the item is named); each flips to a failure — remove the `.fails` — once fixed.
import { existsSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { screenStatus } from '../../src/core/sessions/screen/patterns.js';
import { agentBin, contractSkipReason, contractTitle } from './agents.js';
import { agentFleet, claudeTranscript, settle, type AgentFleet } from './agent-fleet.js';
import { startMockModelServer, type MockModelServer } from './mock-model-server.js';

const skip = contractSkipReason('claude') !== null;
let mock: MockModelServer;
let f: AgentFleet | null = null;

beforeAll(async () => {
  if (!skip) mock = await startMockModelServer();
});
afterAll(async () => {
  await mock?.close();
});
afterEach(async () => {
  await f?.cleanup();
  f = null;
});

const has = (t: string) => (s: string) => s.includes(t);

/** Start ps1 through the CLI and wait for Claude's input box. */
async function startIdle(opts: { instances?: number } = {}): Promise<AgentFleet> {
  f = await agentFleet({ mock, kind: 'claude', ...opts });
  const ids = f.fx.instances.map((i) => i.id);
  const started = await f.cli('agents', 'start', ...ids);
  expect(started.exitCode, started.stderr).toBe(0);
  for (const id of ids)
    await f.lab.waitForScreen(
      f.target(id),
      `${id}: Claude's input box`,
      (s) => screenStatus('claude', s) === 'idle',
    );
  return f;
}

describe.skipIf(skip)(contractTitle('claude', 'Claude Code contract'), () => {
  it('starts in tmux against the mock; fleet-tui hooks fire; send answers; status follows', async () => {
    const fl = await startIdle();
    const ev = () => fl.events('ps1').map((e) => e.event);
    await expect.poll(ev, { timeout: 15_000 }).toContain('SessionStart');
    const sent = await fl.cli('agents', 'send', 'ps1', 'hello from the contract');
    expect(sent.exitCode, sent.stderr).toBe(0);
    await fl.lab.waitForScreen(
      fl.target('ps1'),
      'the mock reply',
      has('mock reply: hello from the contract'),
    );
    await expect.poll(ev, { timeout: 15_000 }).toContain('Stop');
    expect(ev()).toContain('UserPromptSubmit');
    // The role prompt travels as an extra system prompt, not as a turn.
    const turn = mock.requests.find((r) => r.prompt.includes('hello from the contract'));
    expect(JSON.stringify(turn?.body)).toContain('Work on role-ps1.');
    expect(await fl.statusBecomes('ps1', 'idle')).toBe('idle');
    // The transcript path rule: ~/.claude/projects/<cwd with non-alphanumerics as '-'>/<id>.jsonl.
    const sid = fl.events('ps1').find((e) => e.event === 'Stop')?.sessionId;
    expect(sid).toBeTruthy();
    expect(existsSync(claudeTranscript(fl.sb.home, fl.worktree('ps1'), sid!))).toBe(true);
  });

  // Issue 14 item 1: the id is saved at SessionStart, before any conversation exists; restart
  // (the TUI's `x`) runs `claude --resume <id>` → "No conversation found with session ID", exit 1.
  it('item 1: restart before any conversation starts a working agent', async () => {
    f = await agentFleet({ mock, kind: 'claude' });
    const fl = f;
    const m = await fl.manager();
    await m.startAll();
    const s = m.session('ps1');
    await fl.lab.waitForScreen(
      fl.target('ps1'),
      "Claude's input box",
      (x) => screenStatus('claude', x) === 'idle',
    );
    await expect
      .poll(() => fl.events('ps1').some((e) => e.event === 'SessionStart'), { timeout: 15_000 })
      .toBe(true);
    // Today the id lands in the fleet state now; once fixed it does not (no conversation yet).
    await settle(() => fl.savedSessionId('ps1'), 5000);
    const seen = fl.events('ps1').length;
    await s.restart();
    // A dead pane keeps Claude's last screen (the input box): ask tmux, not the screen.
    const started = () =>
      fl
        .events('ps1')
        .slice(seen)
        .some((e) => e.event === 'SessionStart');
    await expect
      .poll(async () => (await fl.lab.pane(fl.target('ps1'))).dead || started(), {
        timeout: 30_000,
      })
      .toBe(true);
    expect(await fl.lab.pane(fl.target('ps1'))).toMatchObject({ dead: false });
    // Alive for a moment is not enough (it may still be reading its session): it must answer.
    await fl.lab.waitForScreen(
      fl.target('ps1'),
      "Claude's input box",
      (x) => screenStatus('claude', x) === 'idle',
    );
    await s.send('after the restart');
    await fl.lab.waitForScreen(
      fl.target('ps1'),
      'the answer',
      has('mock reply: after the restart'),
      20_000,
    );
  });

  // Issue 14 item 3, four agents at once (each would cost a 5 s wait alone):
  //   ps1 trust dialog — no hook fires before a person answers: must be `waiting` (is `starting`);
  //   ps2 API error — Claude fires StopFailure, not Stop: must be `idle` (stays `working`);
  //   ps3 Esc on the permission dialog — nothing fires: must be `idle` (stays `waiting`);
  //   ps4 Esc mid-turn — nothing fires: must be `idle` (stays `working`).
  it('item 3: status --json matches the screen where no hook fires', async () => {
    f = await agentFleet({ mock, kind: 'claude', instances: 4, trusted: ['ps2', 'ps3', 'ps4'] });
    const fl = f;
    const t = (id: string) => fl.target(id);
    const shows = (id: string, st: string) => (x: string) => screenStatus('claude', x) === st;
    expect((await fl.cli('agents', 'start', '--all')).exitCode).toBe(0);
    await fl.lab.waitForScreen(t('ps1'), 'ps1 trust dialog', shows('ps1', 'waiting'));
    for (const id of ['ps2', 'ps3', 'ps4'])
      await fl.lab.waitForScreen(t(id), `${id} input box`, shows(id, 'idle'));
    await fl.cli('agents', 'send', 'ps2', 'please fail [[error]]');
    await fl.cli('agents', 'send', 'ps3', 'make a file [[bash:touch contract-made.txt]]');
    await fl.cli('agents', 'send', 'ps4', 'think slowly [[slow:60000]]');
    await fl.lab.waitForScreen(t('ps2'), 'ps2 API error', has('API Error'));
    await fl.lab.waitForScreen(t('ps3'), 'ps3 permission dialog', has('Do you want to proceed?'));
    await fl.lab.waitForScreen(t('ps4'), 'ps4 working', shows('ps4', 'working'));
    // What hooks already report: the permission dialog (Notification) and the turn (prompt).
    expect(await fl.statusesBecome({ ps3: 'waiting', ps4: 'working' }, 20_000)).toEqual({
      ps3: 'waiting',
      ps4: 'working',
    });
    await fl.lab.keys(t('ps3'), 'Escape');
    await fl.lab.keys(t('ps4'), 'Escape');
    await fl.lab.waitForScreen(t('ps3'), 'ps3 dialog gone', shows('ps3', 'idle'));
    await fl.lab.waitForScreen(t('ps4'), 'ps4 interrupted', shows('ps4', 'idle'));
    const want = { ps1: 'waiting', ps2: 'idle', ps3: 'idle', ps4: 'idle' };
    expect(await fl.statusesBecome(want)).toEqual(want);
  });

  // Issue 14 item 4: `agents tail` / `agents send` adopt every window and append
  // starting→working for every instance, resetting "since".
  it('item 4: tail and send write no agent state, for any instance', async () => {
    const fl = await startIdle({ instances: 2 });
    await expect
      .poll(() => fl.events('ps2').some((e) => e.event === 'SessionStart'), { timeout: 15_000 })
      .toBe(true);
    const states = (id: string) =>
      fl.events(id).filter((e) => e.event.startsWith('fleet:state')).length;
    const before = { ps1: states('ps1'), ps2: states('ps2') };
    expect((await fl.cli('agents', 'tail', 'ps1', '--lines', '5')).exitCode).toBe(0);
    expect({ ps1: states('ps1'), ps2: states('ps2') }).toEqual(before);
    expect((await fl.cli('agents', 'send', 'ps1', 'hello')).exitCode).toBe(0);
    expect({ ps1: states('ps1'), ps2: states('ps2') }).toEqual(before);
  });

  // Issue 14 item 9: a `claude` run by hand in an instance's worktree fires the same hooks (they
  // are in its settings) but without the launcher's FLEET_TUI_INSTANCE: it is only observed.
  it('item 9: a claude run by hand in the worktree is observed, never the managed agent', async () => {
    const fl = await startIdle();
    await expect
      .poll(() => fl.events('ps1').some((e) => e.event === 'SessionStart'), { timeout: 15_000 })
      .toBe(true);
    const sent = await fl.cli('agents', 'send', 'ps1', 'managed turn');
    expect(sent.exitCode, sent.stderr).toBe(0);
    await fl.lab.waitForScreen(
      fl.target('ps1'),
      'the managed answer',
      has('mock reply: managed turn'),
    );
    await expect.poll(() => fl.savedOrEventSession('ps1'), { timeout: 15_000 }).toBeTruthy();
    const managed = await fl.savedOrEventSession('ps1');
    // By hand, in the same worktree, from the same tmux server (the sandbox's environment).
    await fl.lab.start('by-hand', [agentBin('claude')!], { cwd: fl.worktree('ps1') });
    await fl.lab.waitForScreen(
      '=by-hand:',
      "the hand-run Claude's input box",
      (x) => screenStatus('claude', x) === 'idle',
    );
    await fl.lab.submit('=by-hand:', 'by hand [[slow:60000]]');
    await fl.lab.waitForScreen(
      '=by-hand:',
      'the hand-run turn',
      (x) => screenStatus('claude', x) === 'working',
    );
    await expect
      .poll(() => fl.events('ps1').some((e) => e.observed && e.event === 'UserPromptSubmit'), {
        timeout: 15_000,
      })
      .toBe(true);
    // The managed agent is idle (its own screen and hooks say so), its session unchanged.
    expect(await fl.statusBecomes('ps1', 'idle')).toBe('idle');
    expect(await fl.savedOrEventSession('ps1')).toBe(managed);
    const restarted = await fl.cli('agents', 'restart', 'ps1');
    expect(restarted.stdout).toContain(`resuming session ${managed}`);
  });
});
