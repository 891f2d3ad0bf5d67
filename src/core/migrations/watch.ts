import path from 'node:path';
import type { ResolvedConfig } from '../../config/types.js';
import { debounced } from '../debounce.js';
import { watchGitEvents, type GitEvent, type GitEvents } from '../git/events.js';
import { LiveModel } from './live-model.js';
import { resolveMainRef } from './sources.js';
import type { CheckReport } from './types.js';
import { DirTargets } from './watch-targets.js';
import { watchHosts } from './hosts/watch-hosts.js';

export interface MigrationWatch {
  close(): Promise<void>;
}

export interface WatchOptions {
  /** Quiet time after a file event before re-reading that instance (ms). */
  debounceMs?: number;
  /** The fleet's git events, when the caller already watches them (the TUI); else our own. */
  events?: GitEvents;
  /** A re-read that failed (the report keeps its last state): required, so none goes unseen. */
  onError: (e: unknown) => void;
  /** `poll` makes host watchers poll even where inotifywait exists (tests). */
  hostWatchMode?: 'auto' | 'poll';
}

/**
 * Live migration guard. Watches each instance's migrations directory (depth 0) itself and
 * takes ref and HEAD moves from the git events; on an event it re-reads only what changed (one
 * instance's files, or its commits, or main's tree), recomputes the report from the cached
 * model and calls `onReport` when the problem list changed (and once at start). Instances on SSH
 * hosts are watched by one watcher per host (hosts/host-watch.ts), started after the local part,
 * so a slow or dead host never holds up the first report or the other instances.
 */
export async function watchMigrations(
  config: ResolvedConfig,
  onReport: (r: CheckReport) => void,
  opts: WatchOptions,
): Promise<MigrationWatch> {
  const mainRef = await resolveMainRef(config.rootDir, config.remote, config.mainBranch);
  const model = new LiveModel(config, mainRef, onReport);
  await model.start();
  const { onError } = opts;
  const debounceMs = opts.debounceMs ?? 10;
  // Per instance: a file event re-hashes just the named files against HEAD's tree (no git
  // process); a ref event or a directory that appeared re-reads the instance with git.
  const fullDirty = new Set<string>();
  const pending = new Map<string, Set<string>>();
  const local = config.instances.filter((i) => !i.host);
  const hosts = watchHosts(config, model, {
    debounceMs,
    onError,
    mode: opts.hostWatchMode ?? (process.env.FLEET_HOST_WATCH === 'poll' ? 'poll' : 'auto'),
  });
  const perInstance = new Map(
    local.map((inst) => [
      inst.id,
      debounced(
        async () => {
          const files = pending.get(inst.id) ?? new Set<string>();
          pending.delete(inst.id);
          await model.refreshInstance(inst, fullDirty.delete(inst.id) ? null : files);
        },
        debounceMs,
        onError,
      ),
    ]),
  );
  const mainJob = debounced(
    async () => {
      // A new main is a new base for the host instances' commits too (their clones get it).
      if (await model.refreshMain()) hosts.refreshAll();
    },
    debounceMs,
    onError,
  );
  const refreshInstance = (id: string, file: string | null) => {
    if (file === null) fullDirty.add(id);
    else pending.set(id, (pending.get(id) ?? new Set<string>()).add(file));
    perInstance.get(id)?.request();
  };
  const everything = () => {
    mainJob.request();
    local.forEach((i) => refreshInstance(i.id, null));
  };

  const events = opts.events ?? (await watchGitEvents(config));
  const offGit = events.on((e: GitEvent) => {
    // Staging changes no file content, and other refs hold no instance's migrations.
    if (e.kind === 'head' || e.kind === 'branch') refreshInstance(e.id, null);
    else if (e.kind === 'main') mainJob.request();
    else if (e.kind === 'any') everything();
  });

  const dir = config.migrations.dir;
  const migDirs = new Map(local.map((i) => [path.join(i.worktreePath, dir), i.id]));
  const targets = new DirTargets(
    [...migDirs.keys()],
    (at, file) => {
      const id = migDirs.get(at);
      // Events were dropped: re-read main and every instance.
      if (!id) return everything();
      refreshInstance(id, file === null ? null : `${dir}/${path.basename(file)}`);
    },
    // The directory appeared: whatever is already in it made no events.
    (at) => {
      const id = migDirs.get(at);
      if (id) refreshInstance(id, null);
    },
  );
  await targets.sync(true);

  return {
    async close() {
      offGit();
      if (!opts.events) await events.close();
      await Promise.all([targets.close(), hosts.close()]);
      await Promise.all([...perInstance.values(), mainJob].map((d) => d.close()));
    },
  };
}
