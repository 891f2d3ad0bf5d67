import { readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import type { ResolvedInstance } from '../../config/types.js';
import { backupRef } from '../git/backup.js';
import { fleetDir } from '../git/repo.js';
import { git } from '../git/run.js';
import type { ListedWorktree } from '../git/worktree-list.js';
import { operationOf } from '../git/worktree-state.js';
import { readJson } from './records.js';
import { writeFileAtomic } from '../state/atomic.js';
import type { SyncOutcome } from './types.js';

/**
 * Moving an agent's branch onto main, only when that is safe: no uncommitted change to a tracked
 * file, on its branch, with no operation in progress. The move is a `git rebase` in that worktree (so the
 * files follow the branch), after a backup ref; a rebase that stops is aborted at once — it is
 * ours — and the instance is left as it was. A marker file says "fleet-tui is rebasing here"
 * so `recover` can finish the job after a crash, and only aborts rebases fleet-tui started.
 */
export interface SyncMarker {
  pid: number;
  id: string;
  worktree: string;
  branch: string;
  from: string;
  to: string;
}

export interface SyncResult {
  id: string;
  sync: SyncOutcome;
  reason: string;
}

const markerDir = (commonDir: string) => path.join(fleetDir(commonDir), 'syncing');

export async function readSyncMarkers(commonDir: string): Promise<SyncMarker[]> {
  const names = await readdir(markerDir(commonDir)).catch(() => [] as string[]);
  const all = await Promise.all(
    names
      .filter((n) => n.endsWith('.json'))
      .map((n) => readJson<SyncMarker>(path.join(markerDir(commonDir), n))),
  );
  return all.filter((m): m is SyncMarker => !!m);
}

export const removeSyncMarker = (commonDir: string, id: string) =>
  rm(path.join(markerDir(commonDir), `${id}.json`), { force: true });

async function isAncestor(cwd: string, a: string, b: string): Promise<boolean> {
  const res = await git(['merge-base', '--is-ancestor', a, b], {
    cwd,
    readOnly: true,
    allowFail: true,
  });
  return res.exitCode === 0;
}

/**
 * Bring one worktree onto `target` with `git rebase` in it (files follow the branch; git itself
 * refuses when tracked files have uncommitted changes, and never touches untracked files).
 * `from`: the branch tip whose commits are all on main already (the tip when the land started,
 * backed up by the caller); only commits after it are transplanted. Without `from` (plain
 * sync), the branch's own unlanded commits are rebased. `listed`: the worktree as
 * `git worktree list` shows it now (null: missing).
 */
export async function syncWorktree(
  commonDir: string,
  inst: ResolvedInstance,
  target: string,
  from: string | null,
  listed: ListedWorktree | null,
): Promise<SyncResult> {
  const r = (sync: SyncOutcome, reason: string): SyncResult => ({ id: inst.id, sync, reason });
  if (!listed?.head) return r('unchanged', `no worktree at ${inst.worktree}`);
  const cwd = listed.path;
  const head = listed.head;
  if (head === target) return r('unchanged', 'already up to date');
  if (listed.operation)
    return r('needs-sync', `a ${listed.operation} is in progress in ${inst.worktree}`);
  if (listed.branch !== inst.branch)
    return r('needs-sync', `${inst.worktree} is not on ${inst.branch}`);
  if (from && head !== from) {
    if (!(await isAncestor(cwd, from, head)))
      return r('needs-sync', `${inst.branch} was rewritten during the land`);
    await backupRef(cwd, inst.id, head, 'sync');
  } else if (!from) {
    if (await isAncestor(cwd, target, head)) return r('unchanged', 'already up to date');
    await backupRef(cwd, inst.id, head, 'sync');
  }
  const marker: SyncMarker = {
    pid: process.pid,
    id: inst.id,
    worktree: cwd,
    branch: inst.branch,
    from: head,
    to: target,
  };
  await writeFileAtomic(path.join(markerDir(commonDir), `${inst.id}.json`), JSON.stringify(marker));
  try {
    const args = from ? ['rebase', '-q', '--onto', target, from] : ['rebase', '-q', target];
    const res = await git(
      ['-c', 'rebase.autoStash=false', '-c', 'rebase.updateRefs=false', ...args],
      { cwd, allowFail: true },
    );
    if (res.exitCode === 0) return r('synced', '');
    if ((await operationOf(cwd)) !== 'rebase') {
      // Refused before starting (uncommitted changes, index.lock, a file in the way).
      const why = res.stderr.trim().split('\n').filter(Boolean)[0] ?? 'git rebase refused';
      return r(
        'needs-sync',
        `${why} — commit or stash in ${inst.worktree}, then run "fleet-tui sync ${inst.id}"`,
      );
    }
    const conflicted = await git(['diff', '--name-only', '--diff-filter=U'], {
      cwd,
      readOnly: true,
      allowFail: true,
    });
    await git(['rebase', '--abort'], { cwd, allowFail: true });
    const files = conflicted.stdout.trim().split('\n').filter(Boolean);
    return r(
      'needs-sync',
      `conflict in ${files.join(', ') || '(unknown files)'}; rebase aborted, branch left as it was`,
    );
  } finally {
    await removeSyncMarker(commonDir, inst.id);
  }
}
