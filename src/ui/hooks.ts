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

/** At most ~15 repaints a second per pane, however fast the agent prints. */
export const OUTPUT_FRAME_MS = 66;

/**
 * The session's output version, throttled: the pane re-renders when the version moves, at most
 * once per OUTPUT_FRAME_MS, and then reads `session.tail(n)` itself — output never goes through
 * React state.
 */
export function useOutputVersion(session: Session | null): number {
  const subscribe = useCallback(
    (fn: () => void) => {
      if (!session) return () => undefined;
      let timer: NodeJS.Timeout | null = null;
      let last = 0;
      const off = session.on('output', () => {
        if (timer) return;
        timer = setTimeout(
          () => {
            timer = null;
            last = Date.now();
            fn();
          },
          Math.max(0, OUTPUT_FRAME_MS - (Date.now() - last)),
        );
      });
      return () => {
        off();
        if (timer) clearTimeout(timer);
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
