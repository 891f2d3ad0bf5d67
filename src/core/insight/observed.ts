import type { ResolvedConfig } from '../../config/types.js';
import { commonDirOf } from '../sessions/git-dirs.js';
import { eventFilePath, readRecentEvents } from '../sessions/status/event-file.js';
import { statusForHook, type HookEvent } from '../sessions/status/hook-events.js';
import type { PricedEntry } from './usage.js';

/**
 * A session in an instance's worktree that fleet-tui did not start (an agent in VS Code, a
 * `claude` run by hand): its hooks fire (they are in the worktree's settings) but without
 * fleet-tui's instance marker, so the event file records them as `observed`. They never touch
 * the managed agent's status; this folds them into their own.
 */
export interface ObservedSession {
  sessionId: string;
  status: 'working' | 'waiting' | 'idle' | 'ended';
  /** ISO time of the status. */
  since: string;
  /** Its calls today, from its transcript (0 until the agent writes one). */
  costUsdToday: number;
}

/** An observed session silent this long (killed without SessionEnd) is no longer shown. */
const FORGET_MS = 6 * 60 * 60 * 1000;

type Folded = Omit<ObservedSession, 'costUsdToday'>;
const SHOWN = new Set(['working', 'waiting', 'idle', 'ended']);

/** The most recent observed session in these events, or null. */
function foldObserved(events: readonly HookEvent[], now = Date.now()): Folded | null {
  let cur = null as Folded | null;
  let lastAt = 0;
  for (const e of events) {
    if (!e.observed || !e.sessionId || e.aux) continue;
    const same: Folded =
      cur && cur.sessionId === e.sessionId
        ? cur
        : { sessionId: e.sessionId, status: 'idle', since: e.t };
    lastAt = Date.parse(e.t);
    // Its hooks mean what they mean for the managed agent (read as if not observed).
    const status = e.event === 'SessionEnd' ? 'ended' : statusForHook({ ...e, observed: false });
    cur =
      status && status !== same.status && SHOWN.has(status)
        ? { ...same, status: status as Folded['status'], since: e.t }
        : same;
  }
  if (!cur || now - lastAt > FORGET_MS) return null;
  return cur;
}

/** Every instance's observed session (null: none), costed from today's transcript calls. */
export async function readObserved(
  config: ResolvedConfig,
  todayCalls: Map<string, PricedEntry[]>,
): Promise<Record<string, ObservedSession | null>> {
  const commonDir = commonDirOf(config.rootDir);
  const out: Record<string, ObservedSession | null> = {};
  for (const inst of config.instances) {
    const { events } = await readRecentEvents(eventFilePath(commonDir, inst.id));
    const o = foldObserved(events);
    if (!o) {
      out[inst.id] = null;
      continue;
    }
    let cost = 0;
    for (const c of todayCalls.get(inst.id) ?? [])
      if (c.sessionId === o.sessionId) cost += c.costUsd;
    out[inst.id] = { ...o, costUsdToday: Math.round(cost * 1e6) / 1e6 };
  }
  return out;
}
