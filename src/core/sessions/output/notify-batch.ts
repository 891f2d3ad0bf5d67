/**
 * One timer for every session's output notification due after the same delay. Twelve agents
 * printing would otherwise arm twelve timers every `notifyMs` (≈ 300 a second at 40 ms); their
 * notifications now go out together, in one timer callback, which the output stage turns into
 * one frame. Each session still hears at most once per `ms`: its next notification waits for
 * a timer armed after this one fired.
 */
const batches = new Map<number, { due: Set<() => void>; timer: NodeJS.Timeout | null }>();

/** Call `fn` once, about `ms` from now, together with the others due then. */
export function notifySoon(ms: number, fn: () => void): void {
  let b = batches.get(ms);
  if (!b) batches.set(ms, (b = { due: new Set(), timer: null }));
  b.due.add(fn);
  if (b.timer) return;
  const batch = b;
  batch.timer = setTimeout(() => {
    batch.timer = null;
    const due = [...batch.due];
    batch.due.clear();
    for (const f of due) f();
  }, ms);
}

/** `fn` is no longer wanted (the session was disposed). */
export function cancelNotify(ms: number, fn: () => void): void {
  const b = batches.get(ms);
  if (!b?.due.delete(fn) || b.due.size > 0 || !b.timer) return;
  clearTimeout(b.timer);
  b.timer = null;
}
