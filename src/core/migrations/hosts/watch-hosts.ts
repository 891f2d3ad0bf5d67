import type { ResolvedConfig } from '../../../config/types.js';
import { hostGroups } from '../../hosts/fleet.js';
import { layoutOf } from '../check.js';
import type { LiveModel } from '../live-model.js';
import { HostWatch } from './host-watch.js';

export interface HostsWatch {
  /** Re-read every host instance (main moved). */
  refreshAll(): void;
  close(): Promise<void>;
}

/** One HostWatch per host of the fleet, all started at once, feeding the live model. */
export function watchHosts(
  config: ResolvedConfig,
  model: LiveModel,
  opts: { debounceMs: number; onError: (e: unknown) => void; mode: 'auto' | 'poll' },
): HostsWatch {
  const layout = layoutOf(config);
  const watches = hostGroups(config).map(
    (g) =>
      new HostWatch(
        config,
        g.host,
        g.insts,
        layout,
        {
          update: (reads) => model.setHostReads(reads),
          reachable: (host, error) => model.setHostDown(host, error),
          onError: opts.onError,
        },
        { debounceMs: opts.debounceMs, mode: opts.mode },
      ),
  );
  watches.forEach((w) => w.start());
  return {
    refreshAll: () => watches.forEach((w) => w.refreshAll()),
    close: async () => {
      await Promise.all(watches.map((w) => w.close()));
    },
  };
}
