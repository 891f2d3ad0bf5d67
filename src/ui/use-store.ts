import { useCallback, useEffect, useState, useSyncExternalStore } from 'react';
import { useStdout } from 'ink';
import type { FleetFacts, InstanceSnapshot } from '../core/fleet/types.js';
import type { Session } from '../core/sessions/types.js';
import { useFleet } from './context.js';

/** One instance's snapshot; re-renders only when that instance changes. */
export function useInstance(id: string): InstanceSnapshot {
  const { store } = useFleet();
  const subscribe = useCallback((fn: () => void) => store.subscribe(id, fn), [store, id]);
  return useSyncExternalStore(subscribe, () => store.instance(id));
}

export function useFacts(): FleetFacts {
  const { store } = useFleet();
  const subscribe = useCallback((fn: () => void) => store.subscribe('*', fn), [store]);
  return useSyncExternalStore(subscribe, () => store.getFacts());
}

/** Every instance snapshot, for fleet totals (top bar). */
export function useAllInstances(): InstanceSnapshot[] {
  const { store } = useFleet();
  const [, setTick] = useState(0);
  useEffect(() => {
    const offs = store.ids().map((id) => store.subscribe(id, () => setTick((t) => t + 1)));
    return () => offs.forEach((off) => off());
  }, [store]);
  return store.all();
}

/** At most 10 output repaints a second, however fast the agents print (keys repaint at once). */
const OUTPUT_FRAME_MS = 100;

// One shared frame clock for every pane: output that arrives within a frame is flushed in one
// task, so React batches all panes into a single render instead of one render per pane.
const due = new Set<() => void>();
let frameTimer: NodeJS.Timeout | null = null;
function onNextFrame(fn: () => void): void {
  due.add(fn);
  frameTimer ??= setTimeout(() => {
    frameTimer = null;
    const fns = [...due];
    due.clear();
    fns.forEach((f) => f());
  }, OUTPUT_FRAME_MS);
}

/**
 * The session's output version, throttled to the frame clock: the pane re-renders when the
 * version moved and then reads `session.tail(n)` itself — output never goes through React state.
 */
export function useOutputVersion(session: Session | null): number {
  const subscribe = useCallback(
    (fn: () => void) => {
      if (!session) return () => undefined;
      const off = session.on('output', () => onNextFrame(fn));
      return () => {
        off();
        due.delete(fn);
      };
    },
    [session],
  );
  return useSyncExternalStore(subscribe, () => session?.version ?? 0);
}

export interface TermSize {
  cols: number;
  rows: number;
}

/** The terminal size, following resizes. */
export function useTerminalSize(fixed?: TermSize): TermSize {
  const { stdout } = useStdout();
  const read = (): TermSize => ({ cols: stdout.columns || 80, rows: stdout.rows || 24 });
  const [size, setSize] = useState(read);
  useEffect(() => {
    if (fixed) return;
    const onResize = () => setSize({ cols: stdout.columns || 80, rows: stdout.rows || 24 });
    stdout.on('resize', onResize);
    return () => {
      stdout.off('resize', onResize);
    };
  }, [stdout, fixed]);
  return fixed ?? size;
}
