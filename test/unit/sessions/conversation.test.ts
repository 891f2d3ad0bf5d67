// Issue 14 items 1, 2, 9: which session fleet-tui resumes, decided from real files on disk and
// the real hook program (dist/…/fleet-hook.js, run as the agents run it).
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { afterEach, describe, expect, it } from 'vitest';
import { HOOK_SCRIPT } from '../../../src/core/sessions/launch.js';
import { findCodexRollout, pickResumeId } from '../../../src/core/sessions/status/conversation.js';
import {
  hookEventFromPayload,
  parseEventLine,
  statusForHook,
  type HookEvent,
} from '../../../src/core/sessions/status/hook-events.js';

let dir = '';
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = '';
});
const tmp = () => (dir = mkdtempSync(path.join(os.tmpdir(), 'fleet-conv-')));
const ev = (event: string, sessionId: string, extra: Partial<HookEvent> = {}): HookEvent => ({
  t: new Date().toISOString(),
  event,
  sessionId,
  ...extra,
});

describe('resume only a conversation on disk', () => {
  it('Claude: an id whose transcript does not exist yet is never resumed (item 1)', () => {
    const d = tmp();
    const t = path.join(d, 'sid-1.jsonl');
    const events = [ev('SessionStart', 'sid-1', { transcriptPath: t })];
    expect(pickResumeId(events, 'sid-1')).toMatchObject({ id: null });
    expect(pickResumeId(events, null).why).toMatch(/started fresh/);
    writeFileSync(t, '{}\n');
    expect(pickResumeId(events, null)).toEqual({ id: 'sid-1', why: 'resuming session sid-1' });
  });

  it("Codex: the title thread's notify is auxiliary, has no status and is never resumed (item 2)", () => {
    const d = tmp();
    const conv = '019a-conv';
    const title = '019a-title';
    const day = path.join(d, 'sessions', '2026', '12', '01');
    mkdirSync(day, { recursive: true });
    writeFileSync(path.join(day, `rollout-2026-12-01T10-00-00-${conv}.jsonl`), '{}\n');
    expect(findCodexRollout(conv, d)).toBe(
      path.join(day, `rollout-2026-12-01T10-00-00-${conv}.jsonl`),
    );
    expect(findCodexRollout(title, d)).toBeNull();
    const aux = hookEventFromPayload(
      {
        type: 'agent-turn-complete',
        'thread-id': title,
        'input-messages': ['Generate a concise, single-line task title for this request'],
      },
      null,
    )!;
    expect(aux.aux).toBe(true);
    expect(statusForHook(aux)).toBeNull();
    const events = [
      ev('agent-turn-complete', conv, { transcriptPath: findCodexRollout(conv, d) }),
      { ...aux, transcriptPath: findCodexRollout(title, d) },
    ];
    // The title thread came last and was saved by the old code: it must not win.
    expect(pickResumeId(events, title).id).toBe(conv);
  });
});

describe('the hook program', () => {
  const run = (file: string, env: Record<string, string>, payload: object) =>
    execa(process.execPath, [HOOK_SCRIPT, '--file', file, '--instance', 'ps1'], {
      input: JSON.stringify(payload),
      env: { ...process.env, FLEET_TUI_INSTANCE: '', ...env },
    });
  const lines = (file: string) =>
    readFileSync(file, 'utf8').split('\n').map(parseEventLine).filter(Boolean) as HookEvent[];

  it('a hook run without the launcher marker is observed, never the managed agent (item 9)', async () => {
    const file = path.join(tmp(), 'ps1.events.jsonl');
    const payload = { hook_event_name: 'UserPromptSubmit', session_id: 's' };
    await run(file, { FLEET_TUI_INSTANCE: 'ps1' }, payload);
    await run(file, {}, { ...payload, session_id: 'by-hand' });
    await run(file, { FLEET_TUI_INSTANCE: 'ps2' }, { ...payload, session_id: 'other' });
    const got = lines(file);
    expect(got.map((e) => [e.sessionId, e.instance ?? null, e.observed ?? false])).toEqual([
      ['s', 'ps1', false],
      ['by-hand', null, true],
      ['other', null, true],
    ]);
    expect(got.map(statusForHook)).toEqual(['working', null, null]);
    expect(pickResumeId(got, null).id).toBe('s');
  });

  it('Codex notify: the hook finds the rollout by thread id in its own CODEX_HOME', async () => {
    const d = tmp();
    const day = path.join(d, 'home', 'sessions', '2026', '11', '30');
    mkdirSync(day, { recursive: true });
    const rollout = path.join(day, 'rollout-2026-11-30T23-59-59-th-1.jsonl');
    writeFileSync(rollout, '{}\n');
    const file = path.join(d, 'ev.jsonl');
    await execa(
      process.execPath,
      [
        HOOK_SCRIPT,
        '--file',
        file,
        JSON.stringify({ type: 'agent-turn-complete', 'thread-id': 'th-1' }),
      ],
      { env: { ...process.env, CODEX_HOME: path.join(d, 'home') } },
    );
    expect(lines(file)[0]).toMatchObject({ sessionId: 'th-1', transcriptPath: rollout });
  });
});
