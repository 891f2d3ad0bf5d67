import type { ResolvedConfig } from '../config/types.js';
import { UsageError } from '../core/errors.js';
import type { FleetServices } from '../core/fleet/types.js';
import { statusOf } from '../core/git/index.js';
import { readHostStatus } from '../core/hosts/status.js';
import { watchGitEvents, type GitEvents } from '../core/git/events.js';
import { statusContext, type StatusContext } from '../core/git/status.js';
import { sweepStatus } from '../core/git/status-sweep.js';
import { findRepo } from '../core/git/repo.js';
import { InsightReader, instanceScope } from '../core/insight/index.js';
import { land, syncAll, syncInstance } from '../core/land/index.js';
import { defaultGate } from './land-gate.js';
import { createMigration, watchMigrations } from '../core/migrations/index.js';
import { SessionManager, type SessionManagerOptions } from '../core/sessions/index.js';
import { updateFleetState } from '../core/state/fleet-state.js';

export interface RealServices extends FleetServices {
  /** Null when sessions were not asked for. */
  readonly manager: SessionManager | null;
}

/** Fleet-wide status facts (landed today, needs-sync) are shared by refreshes this close. */
const CONTEXT_TTL_MS = 2000;

/** How long a TUI land waits for a land another process (the CLI) is running. */
const LAND_WAIT_MS = 10_000;

/**
 * The real FleetServices: the git engine, the migration guard and the agent sessions, bound to
 * one config. The TUI only ever sees the FleetServices interface.
 */
export async function createServices(
  config: ResolvedConfig,
  opts: { sessions?: boolean; sessionOptions?: SessionManagerOptions } = {},
): Promise<RealServices> {
  const repo = await findRepo(config.rootDir);
  if (!repo) {
    throw new UsageError(`${config.rootDir} is not inside a git repository — run "git init" there`);
  }
  const manager = opts.sessions === false ? null : new SessionManager(config, opts.sessionOptions);
  const known = new Set(config.instances.map((i) => i.id));
  // One watcher of git's files for everyone who wants git events (status, migrations).
  let events: Promise<GitEvents> | null = null;
  const gitEvents = () => (events ??= watchGitEvents(config));
  // Each status refresh would otherwise re-read the repository and the land records.
  let ctx: { at: number; value: Promise<StatusContext> } | null = null;
  const context = () => {
    if (!ctx || Date.now() - ctx.at > CONTEXT_TTL_MS) {
      ctx = { at: Date.now(), value: statusContext(config) };
    }
    return ctx.value;
  };
  let insight: InsightReader | null = null;
  return {
    config,
    manager,
    readInsight: (current) => (insight ??= new InsightReader(config)).read(current),
    readScope: (inst, known) => instanceScope(config, inst, known),
    session: (id) => (manager && known.has(id) ? manager.session(id) : null),
    readStatus: async (inst) =>
      inst.host
        ? readHostStatus(config, inst, await context())
        : statusOf(config, inst, await context()),
    // A host's worktree is read over SSH in full (its sweep is the same one round trip).
    sweepStatus: async (inst, prev) =>
      inst.host
        ? readHostStatus(config, inst, await context())
        : sweepStatus(config, inst, prev, context),
    land: async (o) => {
      try {
        // A missing remote is one clear line in the log (land checks it before its fetch).
        return await land(config, { gate: defaultGate(), waitMs: LAND_WAIT_MS, ...o });
      } finally {
        ctx = null; // landed-today and needs-sync changed
      }
    },
    sync: (id) => syncInstance(config, id).finally(() => (ctx = null)),
    syncAll: () => syncAll(config).finally(() => (ctx = null)),
    createMigration: async (id, name) => (await createMigration(config, id, name)).path,
    watchMigrations: async (onReport, onError) =>
      watchMigrations(config, onReport, { events: await gitEvents(), onError }),
    watchGit: async (onEvent) => {
      const off = (await gitEvents()).on(onEvent);
      return { close: () => Promise.resolve(off()) };
    },
    setRole: async (id, role) => {
      const inst = config.instances.find((i) => i.id === id);
      if (!inst) throw new UsageError(`unknown instance "${id}"`);
      if (!(role in config.roles)) {
        throw new UsageError(
          `unknown role "${role}" — use one of: ${Object.keys(config.roles).join(', ')}`,
        );
      }
      await updateFleetState(repo.commonDir, (s) => {
        const roles = { ...s.roles };
        // Back to the configured role: drop the override rather than pin it.
        if (role === inst.configRole) delete roles[id];
        else roles[id] = role;
        return { ...s, roles };
      });
    },
    dispose: async () => {
      manager?.dispose();
      await (await events)?.close();
    },
  };
}
