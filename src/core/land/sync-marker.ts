import { readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { fleetDir } from '../git/repo.js';
import { readJson } from '../state/land-records.js';

/**
 * A marker file says "fleet-tui is rebasing here" so `recover` can finish the job after a crash.
 * It records exactly which rebase: onto, the tip before, and a nonce that git itself writes into
 * that rebase's state (the instruction sheet in `rebase-merge/` carries an `exec : fleet-tui-sync
 * <nonce>` line, a no-op). A rebase without that nonce is someone else's, and `recover` leaves it.
 */
export interface SyncMarker {
  pid: number;
  id: string;
  worktree: string;
  branch: string;
  /** The branch tip before the rebase (git's `orig-head`). */
  from: string;
  /** The commit it rebases onto (git's `onto`). */
  to: string;
  /** Written by git into the rebase's own state; absent in markers of older versions. */
  nonce?: string;
  /**
   * Once started, the `git rebase` process, or the `sh` that started it with the other syncs'
   * rebases and ends after them: `recover` waits for it to end.
   */
  gitPid?: number;
}

const markerDir = (commonDir: string) => path.join(fleetDir(commonDir), 'syncing');
export const markerFile = (commonDir: string, id: string) =>
  path.join(markerDir(commonDir), `${id}.json`);

/** The no-op instruction that carries the nonce into git's rebase state. */
export const nonceLine = (nonce: string) => `: fleet-tui-sync ${nonce}`;

/** The rebase fleet-tui runs for a marker (exported so tests can leave one stopped halfway). */
export function rebaseArgs(m: SyncMarker, upstream: string | null): string[] {
  return [
    '-c',
    'rebase.autoStash=false',
    '-c',
    'rebase.updateRefs=false',
    'rebase',
    '-q',
    // --exec would keep commits that become empty; plain rebase drops them.
    '--empty=drop',
    '--exec',
    nonceLine(m.nonce ?? ''),
    ...(upstream ? ['--onto', m.to, '--end-of-options', upstream] : ['--end-of-options', m.to]),
  ];
}

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
  rm(markerFile(commonDir, id), { force: true });
