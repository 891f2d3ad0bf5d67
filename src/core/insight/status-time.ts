import type { AgentStatus } from '../sessions/types.js';
import { statusForHook, type HookEvent } from '../sessions/status/hook-events.js';

export interface SecondsIn {
  working: number;
  waiting: number;
  idle: number;
  stopped: number;
}

const BUCKET: Record<AgentStatus, keyof SecondsIn> = {
  starting: 'working',
  working: 'working',
  waiting: 'waiting',
  idle: 'idle',
  exited: 'stopped',
  crashed: 'stopped',
  stopped: 'stopped',
};

const ACTIVE = new Set<AgentStatus>(['starting', 'working', 'waiting', 'idle']);

/**
 * The statuses an instance went through, from its event file, folded as `readAgentStates` folds
 * them: fleet-tui's own `fleet:state` lines set the status, the agent's hooks move it while the
 * agent runs.
 */
export function statusTimeline(
  events: readonly HookEvent[],
): Array<{ t: number; status: AgentStatus }> {
  const out: Array<{ t: number; status: AgentStatus }> = [];
  let cur = 'stopped' as AgentStatus;
  const enter = (status: AgentStatus, iso: string) => {
    const t = Date.parse(iso);
    if (!Number.isFinite(t) || status === cur) return;
    cur = status;
    out.push({ t, status });
  };
  for (const e of events) {
    if (e.event === 'fleet:state' && e.status) enter(e.status, e.t);
    else if (!e.event.startsWith('fleet:') && ACTIVE.has(cur)) {
      const s = statusForHook(e);
      if (s) enter(s, e.t);
      else if (e.event === 'SessionStart' && cur === 'starting') enter('idle', e.t);
    }
  }
  return out;
}

/**
 * Seconds in each status within [fromMs, toMs). Before its first event an instance counts as
 * stopped. `nowRunning: false` (the agent is gone, though its last event said otherwise) ends the
 * last status at its own event: nothing later is known.
 */
export function secondsIn(
  timeline: ReadonlyArray<{ t: number; status: AgentStatus }>,
  fromMs: number,
  toMs: number,
  nowRunning = true,
): SecondsIn {
  const ms: SecondsIn = { working: 0, waiting: 0, idle: 0, stopped: 0 };
  let status: AgentStatus = 'stopped';
  let since = -Infinity;
  const add = (until: number) => {
    const a = Math.max(since, fromMs);
    const b = Math.min(until, toMs);
    if (b > a) ms[BUCKET[status]] += b - a;
  };
  for (const step of timeline) {
    add(step.t);
    status = step.status;
    since = step.t;
  }
  if (!nowRunning && ACTIVE.has(status)) status = 'stopped';
  add(toMs);
  return {
    working: Math.round(ms.working / 1000),
    waiting: Math.round(ms.waiting / 1000),
    idle: Math.round(ms.idle / 1000),
    stopped: Math.round(ms.stopped / 1000),
  };
}
