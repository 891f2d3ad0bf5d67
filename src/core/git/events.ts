import path from 'node:path';
import { watch, type FSWatcher } from 'chokidar';
import type { ResolvedConfig } from '../../config/types.js';
import { findRepo } from './repo.js';

/**
 * What moved in the repository, as git's own files say. Working-tree edits touch none of
 * these files: whoever needs them sweeps slowly or watches the files it cares about.
 */
export type GitEvent =
  /** An instance worktree's HEAD moved (a commit, checkout, rebase step). */
  | { kind: 'head'; id: string }
  /** An instance worktree's index changed (staging; also every commit). */
  | { kind: 'index'; id: string }
  /** The tip of an instance's branch moved (`refs/heads/<branch>`). */
  | { kind: 'branch'; id: string }
  /** The main ref moved: the remote-tracking main after a fetch, or the local main. */
  | { kind: 'main' }
  /** Some other ref moved (tags, backups, other branches). */
  | { kind: 'ref'; ref: string }
  /** packed-refs was rewritten or the OS dropped events: any ref may have moved. */
  | { kind: 'any' };

export interface GitEvents {
  /** Subscribe; returns the unsubscribe function. */
  on(fn: (e: GitEvent) => void): () => void;
  close(): Promise<void>;
}

type Config = Pick<ResolvedConfig, 'rootDir' | 'remote' | 'mainBranch' | 'instances'>;

/**
 * The one watcher of git's files for a fleet: the shared refs and packed-refs, and each
 * instance worktree's HEAD and index. Status refresh and the migration watcher both subscribe
 * here instead of each watching the same files. Worktrees are resolved once, at start.
 */
export async function watchGitEvents(config: Config): Promise<GitEvents> {
  const listeners = new Set<(e: GitEvent) => void>();
  const emit = (e: GitEvent) => listeners.forEach((fn) => fn(e));
  const repo = await findRepo(config.rootDir);
  let watcher: FSWatcher | null = null;
  if (repo) {
    const common = path.resolve(repo.commonDir);
    const byFile = new Map<string, GitEvent>();
    const mainRefs = [
      `refs/remotes/${config.remote}/${config.mainBranch}`,
      `refs/heads/${config.mainBranch}`,
    ];
    for (const ref of mainRefs) byFile.set(path.join(common, ref), { kind: 'main' });
    for (const i of config.instances)
      byFile.set(path.join(common, 'refs', 'heads', i.branch), { kind: 'branch', id: i.id });
    byFile.set(path.join(common, 'packed-refs'), { kind: 'any' });
    // Worktrees on SSH hosts are not here (their path is `ssh://…`): the host watchers see them.
    const local = config.instances.filter((i) => !i.host);
    const wts = await Promise.all(local.map((i) => findRepo(i.worktreePath)));
    local.forEach((inst, k) => {
      const wt = wts[k];
      // Only a worktree of its own: a missing one resolves to an enclosing repository.
      if (!wt || path.resolve(wt.topLevel) !== path.resolve(inst.worktreePath)) return;
      byFile.set(path.resolve(wt.gitDir, 'HEAD'), { kind: 'head', id: inst.id });
      byFile.set(path.resolve(wt.gitDir, 'index'), { kind: 'index', id: inst.id });
    });
    const refsDir = path.join(common, 'refs');
    const targets = [
      refsDir,
      ...[...byFile.keys()].filter((f) => !f.startsWith(refsDir + path.sep)),
    ];
    watcher = watch(targets, { ignoreInitial: true, depth: 8 });
    watcher.on('all', (_event, file) => {
      const abs = path.resolve(file);
      // git writes `<ref>.lock` and renames it into place: the rename is the event that counts.
      if (abs.endsWith('.lock')) return;
      const known = byFile.get(abs);
      if (known) return emit(known);
      if (abs.startsWith(refsDir + path.sep))
        emit({ kind: 'ref', ref: path.relative(common, abs).split(path.sep).join('/') });
    });
    watcher.on('error', () => emit({ kind: 'any' }));
    await new Promise<void>((resolve) => watcher!.once('ready', () => resolve()));
  }
  return {
    on(fn) {
      listeners.add(fn);
      return () => void listeners.delete(fn);
    },
    async close() {
      listeners.clear();
      await watcher?.close();
    },
  };
}
