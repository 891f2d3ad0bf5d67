import { FleetActions } from '../core/fleet/actions.js';
import { FleetStore } from '../core/fleet/store.js';
import type { Closable, FleetServices } from '../core/fleet/types.js';
import type { AgentStatus } from '../core/sessions/types.js';

/** An agent in these states may be changing its worktree right now (swept more often). */
const BUSY: ReadonlySet<AgentStatus> = new Set(['working', 'starting']);

import { watchGitStatus, type GitWatch, type GitWatchOptions } from './git-watch.js';

const errorText = (e: unknown) => (e instanceof Error ? e.message : String(e));
import { watchInsight, type InsightWatchOptions } from './insight-watch.js';

export interface Fleet {
  services: FleetServices;
  store: FleetStore;
  actions: FleetActions;
  /** Resolves once the git and migration watchers run (nothing that draws waits for it). */
  ready: Promise<void>;
  /** Start the watchers (with `deferStart`; otherwise already started). */
  start(): void;
  /** Stop every watcher and subscription (agents keep running). */
  close(): Promise<void>;
}

/**
 * Wire the services into a store: git status from the fleet's git events (plus after
 * operations and turns ending), migration reports from the watcher, agent states from the
 * sessions. Returns at once with the store the UI reads and the actions its keys call; with
 * `deferStart` the watchers (git processes, the first status reads) wait for `start()`, so the
 * first frame is drawn from the config before any of that runs.
 */
export function connectFleet(
  services: FleetServices,
  opts: { git?: GitWatchOptions; insight?: InsightWatchOptions; deferStart?: boolean } = {},
): Fleet {
  const { config } = services;
  const store = new FleetStore(config);
  const offs: Array<() => void> = [];
  const insight = watchInsight(services, store, opts.insight);
  let watch: GitWatch | null = null;
  let migrations: Promise<Closable | null> = Promise.resolve(null);
  let started: (() => void) | null = null;
  const ready = new Promise<void>((resolve) => (started = resolve));
  const start = () => {
    if (watch) return;
    watch = watchGitStatus(
      config,
      services,
      (id, s) => {
        store.setGit(id, s);
        insight.gitChanged(id, s);
      },
      (id, e) => store.log('error', `${id}: git status failed: ${errorText(e)}`),
      { busy: (id) => BUSY.has(store.instance(id).agent.status), ...opts.git },
    );
    migrations = services
      .watchMigrations(
        (r) => store.setMigrations(r),
        (e) => store.log('error', `migration watcher: ${errorText(e)}`),
      )
      .catch((e: unknown) => {
        store.log('error', `migration watcher did not start: ${errorText(e)}`);
        return null;
      });
    void Promise.all([watch.ready, migrations]).then(() => started?.());
  };
  for (const inst of config.instances) {
    const session = services.session(inst.id);
    if (!session) continue;
    store.setAgent(inst.id, session.state());
    // A turn ending (working → idle, waiting, exited) is when an agent's edits settle: ask git
    // then (a working-tree read: one `git status`, as the sweep's; twelve agents going quiet
    // cost twelve processes, not four each). Nothing else an agent does triggers git — not its output, not entering `working`
    // (output alone does that), not a cost update: twelve agents printing would keep it
    // spawning. Edits in mid-turn are picked up by the watcher's slow sweep.
    let status = session.state().status;
    offs.push(
      session.on('state', () => {
        const now = session.state();
        store.setAgent(inst.id, now);
        const was = status;
        status = now.status;
        if (now.status !== was && !BUSY.has(now.status)) watch?.settled(inst.id);
      }),
    );
  }
  if (!opts.deferStart) start();
  const actions = new FleetActions(
    services,
    store,
    (id) => {
      watch?.refresh(id);
      // After a land or a sync of every instance: landed counts (and so the report) moved.
      if (!id) insight.refresh();
    },
    () => insight.refresh(),
  );
  return {
    services,
    store,
    actions,
    ready,
    start,
    close: async () => {
      offs.forEach((off) => off());
      await watch?.close();
      await insight.close();
      await (await migrations)?.close();
    },
  };
}
