import { mkdir, readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import type { ResolvedInstance } from '../../config/types.js';
import { backupRef } from '../git/backup.js';
import { fleetDir } from '../git/repo.js';
import { git } from '../git/run.js';
import { isClean, quickReadWorktree, readWorktree } from '../git/worktree-state.js';
import { writeFileAtomic } from '../state/atomic.js';
import { readJson } from './records.js';
import type { SyncOutcome } from './types.js';

/**
 * Moving an agent's branch onto main, only when that is safe: the worktree is clean, on its
 * branch, with no operation in progress. The move is a `git rebase` in that worktree (so the
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
 * Bring one worktree onto `target`. `from`: the branch tip whose commits are all on main already
 * (the tip when the land started, backed up by the caller); only commits after it are
 * transplanted. Without `from` (plain sync), the branch's own unlanded commits are rebased.
 */
export async function syncWorktree(
  commonDir: string,
  inst: ResolvedInstance,
  target: string,
  from: string | null,
  listedAt?: string,
): Promise<SyncResult> {
  const r = (sync: SyncOutcome, reason: string): SyncResult => ({ id: inst.id, sync, reason });
  const wt = listedAt ? await quickReadWorktree(listedAt) : await readWorktree(inst.worktreePath);
  if (!wt.exists || !wt.head) return r('unchanged', `no worktree at ${inst.worktree}`);
  const cwd = inst.worktreePath;
  if (wt.head === target) return r('unchanged', 'already up to date');
  if (wt.operation) return r('needs-sync', `a ${wt.operation} is in progress in ${inst.worktree}`);
  if (wt.branch !== inst.branch)
    return r('needs-sync', `${inst.worktree} is not on ${inst.branch}`);
  if (!isClean(wt)) {
    return r(
      'needs-sync',
      `${inst.worktree} has uncommitted changes — commit them, then run "fleet-tui sync ${inst.id}"`,
    );
  }
  let args: string[];
  if (from && wt.head === from) {
    // Nothing new since the land read it: every commit is on main, so the branch moves there.
    // checkout (not reset) carries the index and files along and refuses to overwrite changes.
    args = ['checkout', '-q', '-B', inst.branch, target];
  } else if (from) {
    if (!(await isAncestor(cwd, from, wt.head)))
      return r('needs-sync', `${inst.branch} was rewritten during the land`);
    await backupRef(cwd, inst.id, wt.head, 'sync');
    args = ['rebase', '-q', '--onto', target, from];
  } else {
    if (await isAncestor(cwd, target, wt.head)) return r('unchanged', 'already up to date');
    await backupRef(cwd, inst.id, wt.head, 'sync');
    args = ['rebase', '-q', target];
  }
  const marker: SyncMarker = {
    pid: process.pid,
    id: inst.id,
    worktree: cwd,
    branch: inst.branch,
    from: wt.head,
    to: target,
  };
  await mkdir(markerDir(commonDir), { recursive: true });
  await writeFileAtomic(path.join(markerDir(commonDir), `${inst.id}.json`), JSON.stringify(marker));
  try {
    const res = await git(
      ['-c', 'rebase.autoStash=false', '-c', 'rebase.updateRefs=false', ...args],
      { cwd, allowFail: true },
    );
    if (res.exitCode === 0) return r('synced', '');
    const conflicted = await git(['diff', '--name-only', '--diff-filter=U'], {
      cwd,
      readOnly: true,
      allowFail: true,
    });
    if ((await readWorktree(cwd)).operation === 'rebase')
      await git(['rebase', '--abort'], { cwd, allowFail: true });
    const files = conflicted.stdout.trim().split('\n').filter(Boolean);
    const why =
      files.length > 0
        ? `conflict in ${files.join(', ')}`
        : (res.stderr.trim().split('\n').pop() ?? `${args[0]} failed`);
    return r(
      'needs-sync',
      `${why}; ${args[0]} ${args[0] === 'rebase' ? 'aborted' : 'refused'}, branch left as it was`,
    );
  } finally {
    await removeSyncMarker(commonDir, inst.id);
  }
}
