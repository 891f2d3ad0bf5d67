import type { InstanceSnapshot } from '../core/fleet/types.js';

/**
 * Who needs the person: managed agents whose status is `waiting`, longest waiting first (the
 * oldest `since`), ties in grid order. Observed sessions are not here: they are answered where
 * they run.
 */
function waitingOrder(snaps: readonly InstanceSnapshot[]): InstanceSnapshot[] {
  return snaps
    .filter((s) => s.agent.status === 'waiting')
    .sort((a, b) => Date.parse(a.agent.since) - Date.parse(b.agent.since) || a.index - b.index);
}

/**
 * The agent the attention key focuses: the one after the focused agent in `waitingOrder`
 * (cycling), or the longest waiting when the focused one is not waiting. Null: nobody waits.
 */
export function nextWaiting(snaps: readonly InstanceSnapshot[], focusedId: string): string | null {
  const order = waitingOrder(snaps);
  if (order.length === 0) return null;
  const at = order.findIndex((s) => s.instance.id === focusedId);
  return order[(at + 1) % order.length]!.instance.id;
}

/** Since when the longest wait has lasted (ISO), or null when nobody waits. */
export function oldestWaitSince(snaps: readonly InstanceSnapshot[]): string | null {
  return waitingOrder(snaps)[0]?.agent.since ?? null;
}

/** "42s", "4m", "1h05" — how long a wait has lasted, for the top bar. */
export function waitFor(sinceIso: string, now: number): string {
  const s = Math.max(0, Math.floor((now - Date.parse(sinceIso)) / 1000));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}`;
}
