import { FleetActions } from '../core/fleet/actions.js';
import { FleetStore } from '../core/fleet/store.js';
import type { Closable, FleetServices } from '../core/fleet/types.js';
import { watchGitStatus, type GitWatchOptions } from './git-watch.js';

export interface Fleet {
  services: FleetServices;
  store: FleetStore;
  actions: FleetActions;
  /** Stop every watcher and subscription (agents keep running). */
  close(): Promise<void>;
}

/** Agent output hints that files changed; ask git at most this often per instance. */
const OUTPUT_REFRESH_MS = 5000;

/**
 * Wire the services into a store: git status from git-dir/ref events (plus after operations and,
 * throttled, after agent output), migration reports from the watcher, agent states from the
 * sessions. Returns the store the UI reads and the actions its keys call.
 */
export async function connectFleet(
  services: FleetServices,
  opts: { git?: GitWatchOptions } = {},
): Promise<Fleet> {
  const { config } = services;
  const store = new FleetStore(config);
  const offs: Array<() => void> = [];
  const watch = await watchGitStatus(
    config,
    (inst) => services.readStatus(inst),
    (id, s) => store.setGit(id, s),
    opts.git,
  );
  for (const inst of config.instances) {
    const session = services.session(inst.id);
    if (!session) continue;
    store.setAgent(inst.id, session.state());
    offs.push(session.on('state', () => store.setAgent(inst.id, session.state())));
    let last = 0;
    offs.push(
      session.on('output', () => {
        const now = Date.now();
        if (now - last < OUTPUT_REFRESH_MS) return;
        last = now;
        watch.refresh(inst.id);
      }),
    );
  }
  let migrations: Closable | null = null;
  try {
    migrations = await services.watchMigrations((r) => store.setMigrations(r));
  } catch (e) {
    store.log(
      'error',
      `migration watcher did not start: ${e instanceof Error ? e.message : String(e)}`,
    );
  }
  const actions = new FleetActions(services, store, (id) => watch.refresh(id));
  return {
    services,
    store,
    actions,
    close: async () => {
      offs.forEach((off) => off());
      await watch.close();
      await migrations?.close();
    },
  };
}
