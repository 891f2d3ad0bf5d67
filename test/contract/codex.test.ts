// Contract: fleet-tui with the REAL Codex CLI (pinned in scripts/agent-versions.json), in real
// tmux, against the mock model server (a Responses-API provider in a scratch CODEX_HOME).
// `it.fails` marks what issue 14 reports broken today (the item is named); remove the `.fails`
// once fixed.
import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { screenStatus } from '../../src/core/sessions/screen/patterns.js';
import { contractSkipReason, contractTitle } from './agents.js';
import { agentFleet, codexRollouts, settle, trustHooks, type AgentFleet } from './agent-fleet.js';
import { startMockModelServer, type MockModelServer } from './mock-model-server.js';

const skip = contractSkipReason('codex') !== null;
let mock: MockModelServer;
let f: AgentFleet | null = null;

beforeAll(async () => {
  // The title thread answers last, as in real use: its notify is the second of a first turn.
  if (!skip) mock = await startMockModelServer({ auxDelayMs: 1500 });
});
afterAll(async () => {
  await mock?.close();
});
afterEach(async () => {
  await f?.cleanup();
  f = null;
});

const has = (t: string) => (s: string) => s.includes(t);
const turnsDone = (fl: AgentFleet) => fl.events('ps1').filter((e) => e.event === 'Stop');
const modelRequests = () => mock.requests.filter((r) => r.api === 'responses');

describe.skipIf(skip)(contractTitle('codex', 'Codex contract'), () => {
  // Issue 14 item 8: the role prompt was a first user turn (every start ran a turn, a prompt
  // starting with '-' was taken as an option), and `-c notify=…` replaced the person's notify.
  it("item 8: a fresh start runs no turn; the role is the instructions; hooks give status; the person's notify still runs", async () => {
    const notified = path.join(os.tmpdir(), `fleet-notify-${process.pid}-${Date.now()}`);
    f = await agentFleet({
      mock,
      kind: 'codex',
      codexNotify: ['sh', '-c', `printf '%s\\n' "$1" >> '${notified}'`, 'notify'],
    });
    const before = modelRequests().length;
    const started = await f.cli('agents', 'start', 'ps1');
    expect(started.exitCode, started.stderr).toBe(0);
    await trustHooks(f);
    // No turn ran at start: the model was never asked.
    expect(modelRequests().length).toBe(before);
    const sent = await f.cli('agents', 'send', 'ps1', 'hello codex');
    expect(sent.exitCode, sent.stderr).toBe(0);
    await f.lab.waitForScreen(f.target('ps1'), 'the reply', has('mock reply: hello codex'));
    // The role prompt reached the model as developer instructions, not as a user message.
    const req = JSON.stringify(modelRequests().at(-1)!.body);
    expect(req).toMatch(/"role":"developer".*role-ps1/);
    expect(req).not.toMatch(/"role":"user"[^}]*role-ps1/);
    // Status from the project hooks (the Stop hook), not from notify.
    expect(await f.statusBecomes('ps1', 'idle')).toBe('idle');
    await expect.poll(() => turnsDone(f!).length, { timeout: 20_000 }).toBeGreaterThan(0);
    // The person's own notify ran for the turn (fleet-tui no longer overrides it).
    await expect
      .poll(() => (existsSync(notified) ? readFileSync(notified, 'utf8') : ''), { timeout: 20_000 })
      .toContain('agent-turn-complete');
    // fleet-tui's files in the worktree leave it clean.
    const st = await execa('git', ['status', '--porcelain'], { cwd: f.worktree('ps1') });
    expect(st.stdout).toBe('');
    // The hooks live in the main checkout (Codex reads none from a linked worktree), excluded.
    expect(existsSync(path.join(f.fx.repo, '.codex', 'hooks.json'))).toBe(true);
    const main = await execa('git', ['status', '--porcelain'], { cwd: f.fx.repo });
    expect(main.stdout).not.toContain('.codex');
  });

  // Issue 14 item 2: the title thread's notify won and `codex resume <id>` failed; item 8: a
  // restart with a new role resumed without it.
  it('items 2 and 8: restart resumes the conversation, and a new role (even "-…") reaches it', async () => {
    f = await agentFleet({ mock, kind: 'codex' });
    const fl = f;
    const m = await fl.manager();
    await m.startAll();
    await trustHooks(fl);
    await m.session('ps1').send('first turn');
    await fl.lab.waitForScreen(fl.target('ps1'), 'the answer', has('mock reply: first turn'));
    await expect.poll(() => turnsDone(fl).length, { timeout: 30_000 }).toBe(1);
    const conversation = turnsDone(fl)[0]!.sessionId;
    // Hooks fire for the conversation only (no title thread): its rollout is on disk.
    expect(codexRollouts(fl.sb.codexHome).some((r) => r.endsWith(`-${conversation}.jsonl`))).toBe(
      true,
    );
    await settle(async () => (await fl.savedSessionId('ps1')) === conversation, 10_000);
    expect(await fl.savedSessionId('ps1')).toBe(conversation);
    const t = fl.target('ps1');
    await m.session('ps1').restart({ rolePrompt: '--new-role: own docs/ only' });
    await fl.lab.waitForScreen(t, 'the new role answered', has('mock reply: --new-role'), 40_000);
    expect(await fl.lab.pane(t)).toMatchObject({ dead: false });
    // The resumed thread is the conversation: its Stop hook carries the same id.
    await expect
      .poll(
        () =>
          turnsDone(fl)
            .slice(1)
            .map((e) => e.sessionId),
        { timeout: 20_000 },
      )
      .toContain(conversation);
  });

  // Issue 14 item 3: without credentials Codex shows its login screen and no notify fires;
  // status --json must say `waiting`.
  it('item 3: the login screen reads as waiting in status --json', async () => {
    f = await agentFleet({ mock, kind: 'codex', codexProvider: false });
    expect((await f.cli('agents', 'start', 'ps1')).exitCode).toBe(0);
    await f.lab.waitForScreen(
      f.target('ps1'),
      'login screen',
      (s) => screenStatus('codex', s) === 'waiting',
    );
    expect(await f.statusBecomes('ps1', 'waiting')).toBe('waiting');
  });
});
