// Contract: fleet-tui with the REAL Claude Code binary (pinned in scripts/agent-versions.json),
// in real tmux, against the mock model server. `it.fails` marks what issue 14 reports broken
// today (the item is named); each flips to a failure — remove the `.fails` — once fixed.
import { existsSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { screenStatus } from '../../src/core/sessions/screen/patterns.js';
import { contractSkipReason, contractTitle } from './agents.js';
import { agentFleet, claudeTranscript, type AgentFleet } from './agent-fleet.js';
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
  // runs `claude --resume <id>` → "No conversation found with session ID", exit 1.
  it.fails('item 1: restart before any conversation starts a working agent', async () => {
    const fl = await startIdle();
    await expect
      .poll(() => fl.events('ps1').some((e) => e.event === 'SessionStart'), { timeout: 15_000 })
      .toBe(true);
    const seen = fl.events('ps1').length;
    const restarted = await fl.cli('agents', 'restart', 'ps1');
    expect(restarted.exitCode, restarted.stderr).toBe(0);
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
    const sent = await fl.cli('agents', 'send', 'ps1', 'after the restart');
    expect(sent.exitCode, sent.stderr).toBe(0);
    await fl.lab.waitForScreen(
      fl.target('ps1'),
      'the answer',
      has('mock reply: after the restart'),
      20_000,
    );
  });

  // Issue 14 item 3: no hook fires before a person answers the trust dialog; status --json must
  // say `waiting` (it says `starting`).
  it.fails('item 3: the trust dialog reads as waiting in status --json', async () => {
    f = await agentFleet({ mock, kind: 'claude', trusted: false });
    expect((await f.cli('agents', 'start', 'ps1')).exitCode).toBe(0);
    await f.lab.waitForScreen(
      f.target('ps1'),
      'trust dialog',
      (s) => screenStatus('claude', s) === 'waiting',
    );
    expect(await f.statusBecomes('ps1', 'waiting')).toBe('waiting');
  });

  // Issue 14 item 3: after an API error Claude fires StopFailure, not Stop: status stays working.
  it.fails('item 3: after an API error (StopFailure) status is idle', async () => {
    const fl = await startIdle();
    await fl.cli('agents', 'send', 'ps1', 'please fail [[error]]');
    await fl.lab.waitForScreen(fl.target('ps1'), 'the API error', has('API Error'));
    await expect
      .poll(() => fl.events('ps1').map((e) => e.event), { timeout: 15_000 })
      .toContain('UserPromptSubmit');
    expect(await fl.statusBecomes('ps1', 'idle')).toBe('idle');
  });

  // Issue 14 item 3: Esc on a permission dialog fires nothing: status stays waiting forever.
  it.fails('item 3: Esc on the permission dialog brings status back to idle', async () => {
    const fl = await startIdle();
    await fl.cli('agents', 'send', 'ps1', 'make a file [[bash:touch contract-made.txt]]');
    await fl.lab.waitForScreen(
      fl.target('ps1'),
      'permission dialog',
      has('Do you want to proceed?'),
    );
    // The permission Notification hook already reports this one.
    expect(await fl.statusBecomes('ps1', 'waiting', 20_000)).toBe('waiting');
    await fl.lab.keys(fl.target('ps1'), 'Escape');
    await fl.lab.waitForScreen(
      fl.target('ps1'),
      'dialog gone',
      (s) => screenStatus('claude', s) === 'idle',
    );
    expect(await fl.statusBecomes('ps1', 'idle')).toBe('idle');
  });

  // Issue 14 item 3: Esc mid-turn fires nothing: status stays working.
  it.fails('item 3: Esc mid-turn brings status back to idle', async () => {
    const fl = await startIdle();
    await fl.cli('agents', 'send', 'ps1', 'think slowly [[slow:60000]]');
    await fl.lab.waitForScreen(
      fl.target('ps1'),
      'working',
      (s) => screenStatus('claude', s) === 'working',
    );
    expect(await fl.statusBecomes('ps1', 'working')).toBe('working');
    await fl.lab.keys(fl.target('ps1'), 'Escape');
    await fl.lab.waitForScreen(
      fl.target('ps1'),
      'interrupted',
      (s) => screenStatus('claude', s) === 'idle',
    );
    expect(await fl.statusBecomes('ps1', 'idle')).toBe('idle');
  });

  // Issue 14 item 4: `agents tail` / `agents send` adopt every window and append
  // starting→working for every instance, resetting "since".
  it.fails('item 4: tail and send write no agent state, for any instance', async () => {
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
});
