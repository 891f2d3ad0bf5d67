import type { ResolvedConfig, ResolvedInstance } from '../config/types.js';
import { debounced } from '../core/debounce.js';
import type { GitEvent } from '../core/git/events.js';
import type { InstanceGitStatus } from '../core/git/status-types.js';
import type { Closable, FleetServices } from '../core/fleet/types.js';

export interface GitWatchOptions {
  /** A busy instance's working tree is swept at least this often (edits touch no git file). */
  fallbackMs?: number;
  /** An instance whose agent is not working is swept this often (a person's own edits). */
  idleSweepMs?: number;
  debounceMs?: number;
  /** Whether an instance's agent is at work now (its tree may be changing). */
  busy?: (id: string) => boolean;
}

export interface GitWatch {
  /** Ask for a full refresh of one instance (or all): after an operation. */
  refresh(id?: string): void;
  /**
   * An agent's turn ended: its edits settled. Read its working tree as the sweep does (one `git
   * status`, in the same `sh` as any other read of that turn); HEAD, index and refs are watched,
   * and a moved HEAD or branch makes that read a full one.
   */
  settled(id: string): void;
  /** Resolves once git's files are watched (events from then on are seen). */
  ready: Promise<void>;
  close(): Promise<void>;
}

/** The sweep timer never fires faster than this (idle is idle: no sub-second timers). */
const SWEEP_TICK_MIN_MS = 1000;

/**
 * Keep every instance's git status fresh from the fleet's git events (its HEAD, index and
 * branch tip move only that instance; main or any other ref may move every instance's
 * ahead/behind). Working-tree edits touch no git file: a slow sweep covers those (one `git
 * status` per instance, all of one sweep started by one `sh`), busy instances every
 * `fallbackMs`, the others every `idleSweepMs`. Agent output never triggers a read. A failed
 * read is reported through `onError`, not dropped.
 */
export function watchGitStatus(
  config: ResolvedConfig,
  services: Pick<FleetServices, 'readStatus' | 'watchGit' | 'sweepStatus'>,
  onStatus: (id: string, status: InstanceGitStatus) => void,
  onError: (id: string, e: unknown) => void,
  opts: GitWatchOptions = {},
): GitWatch {
  const fallbackMs = opts.fallbackMs ?? 10_000;
  const idleSweepMs = Math.max(fallbackMs, opts.idleSweepMs ?? 60_000);
  const last = new Map<string, InstanceGitStatus>();
  const readAt = new Map<string, number>();
  const full = new Set<string>();
  const read = async (inst: ResolvedInstance) => {
    readAt.set(inst.id, Date.now());
    const prev = last.get(inst.id);
    const sweep = prev && !full.has(inst.id) && services.sweepStatus;
    full.delete(inst.id);
    const next = sweep ? await services.sweepStatus!(inst, prev) : await services.readStatus(inst);
    last.set(inst.id, next);
    // An unchanged status is not a change: no snapshot, no repaint.
    if (!prev || (next !== prev && JSON.stringify(next) !== JSON.stringify(prev)))
      onStatus(inst.id, next);
  };
  const refreshers = new Map(
    config.instances.map((inst: ResolvedInstance) => [
      inst.id,
      debounced(
        () => read(inst),
        opts.debounceMs ?? 120,
        (e) => onError(inst.id, e),
      ),
    ]),
  );
  const refresh = (id: string) => {
    full.add(id);
    refreshers.get(id)?.request();
  };
  const all = () => config.instances.forEach((i) => refresh(i.id));
  // The first reads start now, beside the watcher's own start-up (it resolves every worktree):
  // nothing that draws waits for either.
  all();
  const sub: Promise<Closable | null> = services
    .watchGit((e: GitEvent) => {
      if ('id' in e) refresh(e.id);
      else all();
    })
    .catch((e: unknown) => {
      onError('fleet', e);
      return null;
    });
  // An instance whose SSH host did not answer is looked at as often as a busy one: its marks
  // say `host unreachable` until a read gets through (an idle agent would wait 60 s).
  const every = (inst: ResolvedInstance) =>
    opts.busy?.(inst.id) === false && last.get(inst.id)?.reachable !== false
      ? idleSweepMs
      : fallbackMs;
  // When one instance is due, every instance at least half-way to its turn is read with it, all
  // requested in the same turn (their debounce timers fire together): the sweep's `git status`
  // reads share one `sh` (see status-sweep.ts), one fork of this large process per sweep instead
  // of one per worktree, and an instance read early by a git event falls back into step.
  const tick = () => {
    const now = Date.now();
    const age = (inst: ResolvedInstance) => now - (readAt.get(inst.id) ?? 0);
    if (!config.instances.some((inst) => age(inst) >= every(inst))) return;
    for (const inst of config.instances) {
      if (age(inst) < every(inst) / 2) continue;
      readAt.set(inst.id, now);
      refreshers.get(inst.id)?.request();
    }
  };
  const timer = setInterval(tick, Math.max(SWEEP_TICK_MIN_MS, Math.floor(fallbackMs / 10)));
  timer.unref();
  return {
    refresh: (id) => (id ? refresh(id) : all()),
    settled: (id) => refreshers.get(id)?.request(),
    ready: sub.then(() => undefined),
    close: async () => {
      clearInterval(timer);
      await (await sub)?.close();
      await Promise.all([...refreshers.values()].map((r) => r.close()));
    },
  };
}
