import type { ResolvedConfig, ResolvedInstance } from '../config/types.js';
import { debounced } from '../core/debounce.js';
import type { GitEvent } from '../core/git/events.js';
import type { InstanceGitStatus } from '../core/git/status-types.js';
import type { Closable, FleetServices } from '../core/fleet/types.js';

export interface GitWatchOptions {
  /** Re-read every instance this often anyway: catches edits to files (not watched). */
  fallbackMs?: number;
  debounceMs?: number;
}

export interface GitWatch {
  /** Ask for a refresh of one instance (or all): after an operation or a turn ended. */
  refresh(id?: string): void;
  close(): Promise<void>;
}

/**
 * Keep every instance's git status fresh from the fleet's git events (its HEAD, index and
 * branch tip move only that instance; main or any other ref may move every instance's
 * ahead/behind). Working-tree edits touch no git file, so a slow sweep and explicit
 * `refresh(id)` calls cover those. A failed read is reported through `onError`, not dropped.
 */
export async function watchGitStatus(
  config: ResolvedConfig,
  services: Pick<FleetServices, 'readStatus' | 'watchGit'>,
  onStatus: (id: string, status: InstanceGitStatus) => void,
  onError: (id: string, e: unknown) => void,
  opts: GitWatchOptions = {},
): Promise<GitWatch> {
  const refreshers = new Map(
    config.instances.map((inst: ResolvedInstance) => [
      inst.id,
      debounced(
        async () => onStatus(inst.id, await services.readStatus(inst)),
        opts.debounceMs ?? 120,
        (e) => onError(inst.id, e),
      ),
    ]),
  );
  const all = () => refreshers.forEach((r) => r.request());
  let sub: Closable | null = null;
  try {
    sub = await services.watchGit((e: GitEvent) => {
      if ('id' in e) refreshers.get(e.id)?.request();
      else all();
    });
  } catch (e) {
    onError('fleet', e);
  }
  all();
  const timer = setInterval(all, opts.fallbackMs ?? 10_000);
  timer.unref();
  return {
    refresh: (id) => (id ? refreshers.get(id)?.request() : all()),
    close: async () => {
      clearInterval(timer);
      await sub?.close();
      await Promise.all([...refreshers.values()].map((r) => r.close()));
    },
  };
}
