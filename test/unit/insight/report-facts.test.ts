import { describe, expect, it } from 'vitest';
import { landFacts } from '../../../src/core/insight/land-log.js';
import { secondsIn, statusTimeline } from '../../../src/core/insight/status-time.js';

const T0 = Date.parse('2026-12-01T00:00:00Z');
const at = (min: number) => new Date(T0 + min * 60_000).toISOString();

describe('landFacts', () => {
  it('groups lines by the main they pushed; shares of saved pushes add up to the fleet', () => {
    const f = landFacts(
      [
        { id: 'a', commits: 2, at: at(10), main: 'm1' },
        { id: 'b', commits: 1, at: at(10), main: 'm1' },
        { id: 'c', commits: 3, at: at(10), main: 'm1' },
        { id: 'a', commits: 1, at: at(20), main: 'm2' },
        { id: 'b', commits: 0, at: at(30), main: 'm3', outcome: 'conflict' },
        { id: 'c', commits: 9, at: at(-10), main: 'm0' }, // before the range
      ],
      T0,
      T0 + 3600_000,
    );
    expect(f.fleet).toEqual({ landed: 7, conflicts: 1, pushesSaved: 2 });
    expect(Object.fromEntries(f.byInstance)).toEqual({
      a: { landed: 3, conflicts: 0, pushesSaved: 0.67 },
      b: { landed: 1, conflicts: 1, pushesSaved: 0.67 },
      c: { landed: 3, conflicts: 0, pushesSaved: 0.67 },
    });
  });
});

describe('time in each status', () => {
  const events = [
    { t: at(60), event: 'fleet:state', status: 'starting' as const },
    { t: at(61), event: 'SessionStart' },
    { t: at(62), event: 'UserPromptSubmit' },
    { t: at(90), event: 'Notification', notificationType: 'permission_prompt' },
    { t: at(100), event: 'PostToolUse' },
    { t: at(120), event: 'Stop' },
    { t: at(180), event: 'fleet:state', status: 'stopped' as const },
    { t: at(190), event: 'UserPromptSubmit' }, // a hook after the agent stopped moves nothing
  ];

  it('folds fleet:state lines and hooks, and splits the range', () => {
    const tl = statusTimeline(events);
    expect(tl.map((s) => s.status)).toEqual([
      'starting',
      'idle',
      'working',
      'waiting',
      'working',
      'idle',
      'stopped',
    ]);
    expect(secondsIn(tl, T0, T0 + 240 * 60_000)).toEqual({
      working: (1 + 28 + 20) * 60, // starting counts as working
      waiting: 10 * 60,
      idle: (1 + 60) * 60,
      stopped: (60 + 60) * 60,
    });
    // A window that starts mid-way counts only its part.
    expect(secondsIn(tl, T0 + 95 * 60_000, T0 + 110 * 60_000)).toEqual({
      working: 600,
      waiting: 300,
      idle: 0,
      stopped: 0,
    });
  });

  it('an agent that is gone though its last event says working: nothing after that event counts as working', () => {
    const tl = statusTimeline(events.slice(0, 5));
    expect(secondsIn(tl, T0, T0 + 240 * 60_000, false).working).toBe((1 + 28) * 60);
    expect(secondsIn(tl, T0, T0 + 240 * 60_000, true).working).toBe((1 + 28 + 140) * 60);
  });
});
