import { debounced } from '../core/debounce.js';
import type { FleetStore } from '../core/fleet/store.js';
import type { FleetServices } from '../core/fleet/types.js';
import type { InstanceGitStatus } from '../core/git/status-types.js';

export interface InsightWatchOptions {
  /** Re-read today's cost, the report and observed sessions this often. */
  everyMs?: number;
}

export interface InsightWatch {
  /** Read cost and the report again now (after a land, or when a panel opens). */
  refresh(): void;
  /** A new git status for `id`: re-read its scope when what it touched may have changed. */
  gitChanged(id: string, git: InstanceGitStatus): void;
  close(): Promise<void>;
}

/**
 * Feeds the store what insight knows: today's cost, the report and observed sessions on a slow
 * clock (the transcripts are read incrementally, so a tick with nothing new costs one `stat`
 * per file), and each instance's scope after its git status moved. Nothing here runs per frame.
 */
export function watchInsight(
  services: FleetServices,
  store: FleetStore,
  opts: InsightWatchOptions = {},
): InsightWatch {
  const readInsight = services.readInsight?.bind(services);
  const readScope = services.readScope?.bind(services);
  const fail = (what: string) => (e: unknown) =>
    store.log('error', `${what}: ${e instanceof Error ? e.message : String(e)}`);
  const insight = debounced(
    async () => {
      if (!readInsight) return;
      const current = Object.fromEntries(store.all().map((s) => [s.instance.id, s.agent]));
      store.setInsight(await readInsight(current));
    },
    50,
    fail('cost and report not read'),
  );
  // What a scope reading was based on: the same tip, counts and role need no new one.
  const basis = new Map<string, string>();
  const scopes = new Map(
    store.ids().map((id) => [
      id,
      debounced(
        async () => {
          const snap = store.instance(id);
          const g = snap.git;
          if (!readScope || !g?.exists) return;
          const dirty = g.dirty.staged + g.dirty.unstaged + g.dirty.untracked;
          store.setScope(id, await readScope(snap.instance, { ahead: g.ahead, dirty }));
        },
        200,
        fail(`${id}: scope not read`),
      ),
    ]),
  );
  insight.request();
  const timer = setInterval(() => insight.request(), opts.everyMs ?? 30_000);
  timer.unref();
  return {
    refresh: () => insight.request(),
    gitChanged: (id, g) => {
      const snap = store.instance(id);
      const key = [
        g.head,
        g.ahead,
        g.dirty.staged,
        g.dirty.unstaged,
        g.dirty.untracked,
        snap.instance.role,
      ].join(' ');
      // Dirty files can change without their counts changing: re-read those each time.
      const dirty = g.dirty.staged + g.dirty.unstaged + g.dirty.untracked > 0;
      if (!dirty && basis.get(id) === key) return;
      basis.set(id, key);
      scopes.get(id)?.request();
    },
    close: async () => {
      clearInterval(timer);
      await Promise.all([insight.close(), ...[...scopes.values()].map((s) => s.close())]);
    },
  };
}
