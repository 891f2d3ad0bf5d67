import { lstatSync } from 'node:fs';
import path from 'node:path';
import { git } from './run.js';

/**
 * What a checkout from one commit to another writes, and a cheap look at whether anything
 * untracked lies there. Syncing a dozen worktrees after a land asked `git status --ignored` in
 * each (a process per worktree, walking every directory); when the worktree's branch is still at
 * the tip the land read, the sync's rebase only checks out the new main, so the paths it writes
 * are the diff between the two, read for every worktree at once, and a `lstat` per path says
 * whether the full check is needed at all.
 */
export interface Change {
  /** diff-tree's status letter: `A` (not tracked before), `M`, `D`, `T`. */
  status: string;
  path: string;
}

/**
 * The changes from `from` to `to` for each pair, in one `git diff-tree --stdin`. Each input line
 * `<to> <from>` is the commit `to` with `from` named as its parent; `--always` prints its id even
 * when nothing changed, so the output is read record by record, in input order.
 */
export async function changesBetween(
  cwd: string,
  pairs: ReadonlyArray<{ from: string; to: string }>,
): Promise<Change[][]> {
  if (pairs.length === 0) return [];
  const res = await git(
    ['diff-tree', '--stdin', '--always', '-r', '--no-renames', '--name-status', '-z'],
    { cwd, readOnly: true, input: pairs.map((p) => `${p.to} ${p.from}\n`).join('') },
  );
  const recs = res.stdout.split('\0');
  const out: Change[][] = [];
  for (let i = 0; i < recs.length; i++) {
    const rec = recs[i]!;
    if (!rec) continue;
    // Renames are off: a status is one letter; an id starts the next pair's changes. A path is
    // only ever read right after its status, so a path that looks like an id is still a path.
    if (rec.length === 1 && out.length > 0)
      out[out.length - 1]!.push({ status: rec, path: recs[++i] ?? '' });
    else out.push([]);
  }
  if (out.length !== pairs.length)
    throw new Error(
      `git diff-tree --stdin answered ${out.length} of ${pairs.length} pairs in ${cwd}`,
    );
  return out;
}

/**
 * Synchronous on purpose: a dozen worktrees × the paths a land adds are a few hundred `lstat`s of
 * a few microseconds each, where each promise `lstat` is a trip through libuv's thread pool of 4
 * (15–20 ms in all for 12 worktrees on the loaded 2-core machine, on the way to the rebases).
 */
function kind(file: string): 'dir' | 'other' | null {
  try {
    return lstatSync(file).isDirectory() ? 'dir' : 'other';
  } catch {
    return null;
  }
}

/**
 * True when a checkout making `changes` in `worktree` can meet no untracked or ignored file: no
 * path it adds (one not tracked before) exists, and no directory it needs is a file or a
 * symlink. Paths it modifies or deletes are tracked, so git's own refusal of uncommitted
 * changes covers them. False means "look closer" (the full check with `git status --ignored`),
 * never "refuse".
 */
export function nothingInTheWay(worktree: string, changes: readonly Change[]): boolean {
  const dirs = new Set<string>();
  for (const c of changes) {
    if (c.status !== 'A') continue;
    if (kind(path.join(worktree, c.path)) !== null) return false;
    for (let i = c.path.indexOf('/'); i > 0; i = c.path.indexOf('/', i + 1))
      dirs.add(c.path.slice(0, i));
  }
  for (const d of dirs) if (kind(path.join(worktree, d)) === 'other') return false;
  return true;
}
