import { randomBytes } from 'node:crypto';
import type { ResolvedInstance } from '../../config/types.js';
import { backupRefs } from '../git/backup.js';
import { nothingInTheWay, type Change } from '../git/checkout-changes.js';
import { ignoredEntries, ignoredInTheWay, pathsARebaseTouches } from '../git/ignored.js';
import { git, gitOut } from '../git/run.js';
import type { ListedWorktree } from '../git/worktree-list.js';
import { operationOf } from '../git/worktree-state.js';
import { coalescedWriter, writeFilesAtomic } from '../state/atomic.js';
import { markerFile, rebaseArgs, removeSyncMarker, type SyncMarker } from './sync-marker.js';
import type { SyncOutcome } from './types.js';
import { mark } from '../git/spawn-count.js';

/**
 * Moving an agent's branch onto main, only when that is safe: no uncommitted change to a tracked
 * file, on its branch, with no operation in progress, and no ignored file in the way. The move is
 * a `git rebase` in that worktree (so the files follow the branch), after a backup ref; a rebase
 * that stops is aborted at once — it is ours — and the instance is left as it was.
 * The marker that lets `recover` finish the job after a crash: sync-marker.ts.
 */
export interface SyncResult {
  id: string;
  sync: SyncOutcome;
  reason: string;
}

/** Ignored files the rebase would overwrite or delete (git does so without a word). */
async function ignoredFilesInTheWay(
  cwd: string,
  onto: string,
  upstream: string,
): Promise<string[]> {
  const entries = await ignoredEntries(cwd);
  if (entries.length === 0) return [];
  return ignoredInTheWay(cwd, entries, await pathsARebaseTouches(cwd, onto, upstream));
}

/** Merge commits a rebase of `head` onto `upstream` would transplant. */
async function mergesAfter(cwd: string, upstream: string, head: string): Promise<number> {
  const out = await gitOut(
    ['rev-list', '--merges', '--count', '--end-of-options', `${upstream}..${head}`],
    {
      cwd,
      readOnly: true,
    },
  );
  return Number(out) || 0;
}

async function isAncestor(cwd: string, a: string, b: string): Promise<boolean> {
  const res = await git(['merge-base', '--is-ancestor', '--end-of-options', a, b], {
    cwd,
    readOnly: true,
    allowFail: true,
  });
  return res.exitCode === 0;
}

/** Why a worktree is not rebased at all (up to date, busy, merges, ignored files in the way);
 *  null when the rebase may run. */
async function refusalBeforeRebase(
  inst: ResolvedInstance,
  target: string,
  from: string | null,
  listed: ListedWorktree | null,
  changes: readonly Change[] | undefined,
): Promise<SyncResult | null> {
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
  } else if (!from) {
    if (await isAncestor(cwd, target, head)) return r('unchanged', 'already up to date');
  }
  // A rebase flattens merge commits and drops what only they carry (a conflict resolution, a
  // file added while merging main). Land carries them faithfully; sync leaves them alone.
  // After a land the branch usually still sits at the tip the land read: nothing after it.
  const merges = from === head ? 0 : await mergesAfter(cwd, from ?? target, head);
  if (merges > 0)
    return r(
      'needs-sync',
      `${inst.branch} has ${merges} merge commit${merges > 1 ? 's' : ''} a rebase would flatten — land it ("fleet-tui land ${inst.id}"), or rebase it yourself with "git rebase --rebase-merges"`,
    );
  // At the tip the land read, the rebase replays nothing: it only checks `target` out, writing
  // the paths `changes` names (read for all worktrees at once); when none of them meets a file
  // that git does not track, there is nothing to ask `git status --ignored` about.
  const quick = from === head && changes !== undefined && nothingInTheWay(cwd, changes);
  const inTheWay = quick ? [] : await ignoredFilesInTheWay(cwd, target, from ?? target);
  if (inTheWay.length > 0) {
    const names = inTheWay.slice(0, 5).join(', ');
    const more = inTheWay.length > 5 ? ` and ${inTheWay.length - 5} more` : '';
    return r(
      'needs-sync',
      `the sync would overwrite or delete ignored files in ${inst.worktree}: ${names}${more} — move them out of the way, then run "fleet-tui sync ${inst.id}"`,
    );
  }
  return null;
}

/** A worktree that passed every check: its tip backed up, its marker written, rebase next. */
interface ReadySync {
  inst: ResolvedInstance;
  cwd: string;
  marker: SyncMarker;
  /** The upstream of the rebase (SyncJob's `from`). */
  upstream: string | null;
}

/**
 * Everything before the rebases, for all worktrees at once: the checks (in parallel), one
 * `update-ref --stdin` for the tips newer than `from` (a land backed up the tip it read already;
 * anything newer is kept here), then every marker, with one fsync of their directory. Each job
 * gets its result (the worktree stays as it is) or a ReadySync.
 */
async function prepareSyncs(
  commonDir: string,
  jobs: readonly SyncJob[],
): Promise<Array<SyncResult | ReadySync>> {
  const refusals = await Promise.all(
    jobs.map((j) => refusalBeforeRebase(j.inst, j.target, j.from, j.listed, j.changes)),
  );
  const ready = jobs.flatMap((j, k): ReadySync[] =>
    refusals[k]
      ? []
      : [
          {
            inst: j.inst,
            cwd: j.listed!.path,
            upstream: j.from,
            marker: {
              pid: process.pid,
              id: j.inst.id,
              worktree: j.listed!.path,
              branch: j.inst.branch,
              from: j.listed!.head!,
              to: j.target,
              nonce: randomBytes(12).toString('hex'),
            },
          },
        ],
  );
  const newer = ready.filter((r) => !r.upstream || r.marker.from !== r.upstream);
  if (newer.length > 0)
    await backupRefs(
      newer[0]!.cwd,
      newer.map((r) => ({ id: r.inst.id, sha: r.marker.from })),
      'sync',
    );
  await writeFilesAtomic(
    ready.map((r) => ({ file: markerFile(commonDir, r.inst.id), data: JSON.stringify(r.marker) })),
  );
  let next = 0;
  return refusals.map((r) => r ?? ready[next++]!);
}

/**
 * The rebase of a prepared worktree (git itself refuses when tracked files have uncommitted
 * changes, and never touches untracked files); a rebase that stops is aborted at once — it is
 * ours — and the branch is left as it was. Its git process is asked for before anything is
 * awaited, so the rebases of syncs started in the same turn start together from one `sh`
 * (run-batch.ts): one process start for node to wait for instead of one per worktree.
 */
async function runSync(
  commonDir: string,
  ready: ReadySync,
  write: (file: string, data: string) => Promise<void>,
): Promise<SyncResult> {
  const { inst, cwd, marker } = ready;
  const r = (sync: SyncOutcome, reason: string): SyncResult => ({ id: inst.id, sync, reason });
  let recorded: Promise<void> = Promise.resolve();
  try {
    const res = await git(rebaseArgs(marker, ready.upstream), {
      cwd,
      allowFail: true,
      batch: true,
      onSpawn: (gitPid) => {
        recorded = write(
          markerFile(commonDir, inst.id),
          JSON.stringify({ ...marker, gitPid }),
          // Without the pid, recover still knows the rebase by its nonce; it only cannot wait
          // for a git process that is still running, so it reports instead of waiting.
        ).catch(() => undefined);
      },
    });
    if (res.exitCode === 0) return r('synced', '');
    if ((await operationOf(cwd)) !== 'rebase') {
      // Refused before starting (uncommitted changes, index.lock, a file in the way).
      const why = res.stderr.trim().split('\n').filter(Boolean)[0] ?? 'git rebase refused';
      return r(
        'needs-sync',
        `${why} — commit or stash in ${inst.worktree}, then run "fleet-tui sync ${inst.id}"`,
      );
    }
    const conflicted = await git(['diff', '--name-only', '--diff-filter=U', '--'], {
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
    await recorded;
    await removeSyncMarker(commonDir, inst.id);
  }
}

/** One worktree to sync. */
interface SyncJob {
  inst: ResolvedInstance;
  /** The commit to bring it onto (main). */
  target: string;
  /**
   * The branch tip whose commits are all on main already (the tip when the land started,
   * backed up by the caller); only commits after it are transplanted. Null (plain sync): the
   * branch's own unlanded commits are rebased.
   */
  from: string | null;
  /** The worktree as `git worktree list` shows it now (null: missing). */
  listed: ListedWorktree | null;
  /** What checking `target` out changes from `from` (changesBetween), when known. */
  changes?: readonly Change[];
}

/**
 * Bring worktrees onto `target` with `git rebase` in each (files follow the branch), each only
 * when that is safe: every check, backup and marker first, then the rebases in waves (one `sh`
 * starts each: see runSync). Results in the order of `jobs`.
 */
export async function syncWorktrees(
  commonDir: string,
  jobs: readonly SyncJob[],
  /** Told each result as it comes. */
  onDone: (k: number, res: SyncResult) => void = () => undefined,
): Promise<SyncResult[]> {
  const ready = await prepareSyncs(commonDir, jobs);
  mark('rebases');
  // Each marker then records the pid of its wave's `sh`: one write for the wave.
  const write = coalescedWriter();
  const out: SyncResult[] = [];
  for (let at = 0; at < ready.length; at += WAVE) {
    const wave = ready.slice(at, at + WAVE);
    out.push(
      ...(await Promise.all(
        wave.map(async (x, i) => {
          const res = 'sync' in x ? x : await runSync(commonDir, x, write);
          onDone(at + i, res);
          return res;
        }),
      )),
    );
  }
  return out;
}

/**
 * Rebases started together (one `sh` each wave). 48 at once took longer than waves of 12
 * (48 instances × 2 commits, load average 11–15: the sync 5.6–8.3 s against 4.0 s), as 12 at a
 * time took less than 4 at a time before the batching (615–785 ms against 930–1279 ms).
 */
const WAVE = 12;
