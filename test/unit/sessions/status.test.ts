import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  hookEventFromPayload,
  type HookEvent,
} from '../../../src/core/sessions/status/hook-events.js';
import { foldEvents } from '../../../src/core/sessions/status/read-states.js';
import { StatusTracker } from '../../../src/core/sessions/status/tracker.js';
import type { AgentStatus } from '../../../src/core/sessions/types.js';

// The quiet-time timers run on fake time: what is checked is the order of events, not the clock.
afterEach(() => {
  vi.useRealTimers();
});

const at = (s: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, s));
const claude = (name: string, extra: object = {}, s = 0) =>
  hookEventFromPayload(
    { session_id: 'sid-1', transcript_path: '/t', cwd: '/w', hook_event_name: name, ...extra },
    null,
    at(s),
  )!;

function track(idleAfterMs = 50) {
  const seen: AgentStatus[] = [];
  const t = new StatusTracker((s) => {
    if (seen[seen.length - 1] !== s.status) seen.push(s.status);
  }, idleAfterMs);
  return { t, seen };
}

describe('status from Claude Code hooks', () => {
  it('follows a recorded session: start, prompt, permission, tool, stop, idle prompt', () => {
    const { t, seen } = track();
    t.starting();
    t.hook(claude('SessionStart', { source: 'startup' }, 1));
    t.hook(claude('UserPromptSubmit', { prompt: 'fix it' }, 2));
    t.hook(
      claude(
        'Notification',
        {
          message: 'Claude needs your permission to use Bash',
          notification_type: 'permission_prompt',
        },
        3,
      ),
    );
    t.hook(claude('PostToolUse', { tool_name: 'Bash' }, 4));
    t.hook(claude('Stop', { stop_hook_active: false }, 5));
    t.hook(
      claude(
        'Notification',
        { message: 'Claude is waiting for your input', notification_type: 'idle_prompt' },
        65,
      ),
    );
    expect(seen).toEqual(['starting', 'idle', 'working', 'waiting', 'working', 'idle']);
    expect(t.state()).toMatchObject({
      status: 'idle',
      since: at(5).toISOString(),
      sessionId: 'sid-1',
    });
    t.dispose();
  });

  it('once hooks report working, output activity no longer flips the status', () => {
    vi.useFakeTimers();
    const { t } = track(20);
    t.starting();
    t.hook(claude('UserPromptSubmit'));
    t.hook(claude('Stop'));
    t.activity();
    expect(t.state().status).toBe('idle');
    vi.advanceTimersByTime(60);
    expect(t.state().status).toBe('idle');
    t.dispose();
  });

  it('Codex notify: agent-turn-complete is idle, new output means working again', () => {
    const { t, seen } = track();
    t.starting();
    t.activity();
    t.hook(
      hookEventFromPayload(
        {
          type: 'agent-turn-complete',
          'thread-id': 'th-9',
          'turn-id': '1',
          cwd: '/w',
          'input-messages': [],
          'last-assistant-message': 'ok',
        },
        null,
      )!,
    );
    t.activity();
    expect(seen).toEqual(['starting', 'working', 'idle', 'working']);
    expect(t.state().sessionId).toBe('th-9');
    t.dispose();
  });
});

describe('fallback without hooks', () => {
  it('working while output changes, idle after the quiet time', () => {
    vi.useFakeTimers();
    const { t, seen } = track(40);
    t.starting();
    t.activity();
    vi.advanceTimersByTime(20);
    t.activity();
    vi.advanceTimersByTime(39); // 59 ms after the first output, 39 after the last
    expect(t.state().status).toBe('working');
    vi.advanceTimersByTime(1);
    expect(seen).toEqual(['starting', 'working', 'idle']);
    t.dispose();
  });
});

describe('exit', () => {
  it('distinguishes exited, crashed and stopped', () => {
    const { t } = track();
    t.starting();
    t.exited(0, null, false);
    expect(t.state()).toMatchObject({ status: 'exited', exitCode: 0 });
    t.starting();
    t.exited(3, null, false);
    expect(t.state()).toMatchObject({ status: 'crashed', exitCode: 3, note: 'exit code 3' });
    t.starting();
    t.exited(null, 'SIGTERM', true);
    expect(t.state().status).toBe('stopped');
    expect(t.state().note).toBeUndefined();
  });
});

describe('foldEvents (what `fleet-tui status` reads)', () => {
  it('takes the last fleet:state and applies the hooks fired after it', () => {
    const evs: HookEvent[] = [
      {
        t: at(1).toISOString(),
        event: 'fleet:state',
        status: 'starting',
        pid: 42,
        backend: 'exec',
        costUsd: 0.5,
        tokens: { input: 1, output: 2 },
      },
      claude('UserPromptSubmit', {}, 2),
      claude('Notification', { notification_type: 'permission_prompt' }, 3),
    ];
    const { state, pid, backend } = foldEvents(evs);
    expect(state).toMatchObject({
      status: 'waiting',
      since: at(3).toISOString(),
      costUsd: 0.5,
      sessionId: 'sid-1',
    });
    expect([pid, backend]).toEqual([42, 'exec']);
  });

  it('no events: stopped', () => {
    expect(foldEvents([]).state.status).toBe('stopped');
  });
});
