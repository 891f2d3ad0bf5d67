import path from 'node:path';
import { watch, type FSWatcher } from 'chokidar';
import type { ResolvedConfig, ResolvedInstance } from '../config/types.js';
import { findRepo } from '../core/git/repo.js';
import type { InstanceGitStatus } from '../core/git/status-types.js';
import { debounced } from '../core/debounce.js';

export interface GitWatchOptions {
  /** Re-read every instance this often anyway: catches edits to files (not watched). */
  fallbackMs?: number;
  debounceMs?: number;
}

export interface GitWatch {
  /** Ask for a refresh of one instance (or all): e.g. after its agent printed output. */
  refresh(id?: string): void;
  close(): Promise<void>;
}

/**
 * Keep every instance's git status fresh from events instead of polling: each worktree's own
 * git dir (HEAD, index: commits, staging, checkouts) and the shared refs (branch tips, the
 * remote main). Working-tree edits do not touch git's files, so a slow fallback timer and
 * explicit `refresh(id)` calls (the caller sends one when an agent prints) cover those.
 */
export async function watchGitStatus(
  config: ResolvedConfig,
  read: (inst: ResolvedInstance) => Promise<InstanceGitStatus>,
  onStatus: (id: string, status: InstanceGitStatus) => void,
  opts: GitWatchOptions = {},
): Promise<GitWatch> {
  const refreshers = new Map(
    config.instances.map((inst) => [
      inst.id,
      debounced(async () => onStatus(inst.id, await read(inst)), opts.debounceMs ?? 120),
    ]),
  );
  const byGitDir = new Map<string, string>();
  const repo = await findRepo(config.rootDir);
  const targets: string[] = [];
  if (repo) {
    targets.push(path.join(repo.commonDir, 'refs'), path.join(repo.commonDir, 'packed-refs'));
    for (const inst of config.instances) {
      const wt = await findRepo(inst.worktreePath);
      if (wt && path.resolve(wt.topLevel) === path.resolve(inst.worktreePath)) {
        byGitDir.set(path.resolve(wt.gitDir), inst.id);
        targets.push(path.join(wt.gitDir, 'HEAD'), path.join(wt.gitDir, 'index'));
      }
    }
  }
  const all = () => refreshers.forEach((r) => r.request());
  let watcher: FSWatcher | null = null;
  if (targets.length > 0) {
    watcher = watch(targets, { ignoreInitial: true, depth: 8 });
    const refsDir = repo ? path.join(path.resolve(repo.commonDir), 'refs') : '';
    const byBranch = new Map(config.instances.map((i) => [`heads/${i.branch}`, i.id]));
    watcher.on('all', (_event, file) => {
      const abs = path.resolve(file);
      const id =
        byGitDir.get(path.dirname(abs)) ??
        // An instance's own branch tip (its agent committed): only that instance changed.
        byBranch.get(path.relative(refsDir, abs).split(path.sep).join('/'));
      // Any other ref (the remote main, packed refs): ahead/behind of every instance may move.
      if (id) refreshers.get(id)?.request();
      else all();
    });
  }
  all();
  const timer = setInterval(all, opts.fallbackMs ?? 10_000);
  timer.unref();
  return {
    refresh: (id) => (id ? refreshers.get(id)?.request() : all()),
    close: async () => {
      clearInterval(timer);
      refreshers.forEach((r) => void r.close());
      await watcher?.close();
    },
  };
}
