import { FleetActions } from '../core/fleet/actions.js';
import { FleetStore } from '../core/fleet/store.js';
import type { Closable, FleetServices } from '../core/fleet/types.js';

const errorText = (e: unknown) => (e instanceof Error ? e.message : String(e));
import { watchGitStatus, type GitWatchOptions } from './git-watch.js';
import { watchInsight, type InsightWatchOptions } from './insight-watch.js';

export interface Fleet {
  services: FleetServices;
  store: FleetStore;
  actions: FleetActions;
  /** Stop every watcher and subscription (agents keep running). */
  close(): Promise<void>;
}

/**
 * Wire the services into a store: git status from the fleet's git events (plus after operations and
 * agent status changes), migration reports from the watcher, agent states from the
 * sessions. Returns the store the UI reads and the actions its keys call.
 */
export async function connectFleet(
  services: FleetServices,
  opts: { git?: GitWatchOptions; insight?: InsightWatchOptions } = {},
): Promise<Fleet> {
  const { config } = services;
  const store = new FleetStore(config);
  const offs: Array<() => void> = [];
  const insight = watchInsight(services, store, opts.insight);
  const watch = await watchGitStatus(
    config,
    services,
    (id, s) => {
      store.setGit(id, s);
      insight.gitChanged(id, s);
    },
    (id, e) => store.log('error', `${id}: git status failed: ${errorText(e)}`),
    opts.git,
  );
  for (const inst of config.instances) {
    const session = services.session(inst.id);
    if (!session) continue;
    store.setAgent(inst.id, session.state());
    // A status change (a turn ended, a prompt arrived) is when an agent's edits settle: ask git
    // then. Streaming output alone does not trigger git — twelve agents printing would keep it
    // spawning; unstaged edits in mid-turn are picked up by the watcher's slow sweep.
    offs.push(
      session.on('state', () => {
        store.setAgent(inst.id, session.state());
        watch.refresh(inst.id);
      }),
    );
  }
  let migrations: Closable | null = null;
  try {
    migrations = await services.watchMigrations(
      (r) => store.setMigrations(r),
      (e) => store.log('error', `migration watcher: ${errorText(e)}`),
    );
  } catch (e) {
    store.log('error', `migration watcher did not start: ${errorText(e)}`);
  }
  const actions = new FleetActions(
    services,
    store,
    (id) => {
      watch.refresh(id);
      // After a land or a sync of every instance: landed counts (and so the report) moved.
      if (!id) insight.refresh();
    },
    () => insight.refresh(),
  );
  return {
    services,
    store,
    actions,
    close: async () => {
      offs.forEach((off) => off());
      await watch.close();
      await insight.close();
      await migrations?.close();
    },
  };
}
