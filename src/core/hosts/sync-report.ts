import type { ResolvedHost, ResolvedInstance } from '../../config/types.js';
import type { SyncOutcome } from '../land/types.js';
import { sections, type Section } from './read.js';

/**
 * Reading the host sync script's report (sync-scripts.ts): per worktree its verdict, and for a
 * worktree that passed its checks, the backup and the rebase. The report comes in one piece at
 * the end of the script; a connection cut while it is in transit truncates it anywhere, so a
 * worktree's answer counts only when something after its sections arrived — never a guess.
 */
export interface HostSyncResult {
  sync: SyncOutcome;
  reason: string;
  /**
   * The script was sent but its answer never came (the connection was cut, the deadline hit):
   * it may be running on the host still, so nothing can be said about the worktree — it is
   * never `unchanged`, whatever the land did.
   */
  unanswered?: boolean;
}

/** The sync script left for the host, its answer cut off: say so, and what to do. */
export function unanswered(p: SyncItem, host: ResolvedHost, detail: string): HostSyncResult {
  return {
    sync: 'needs-sync',
    unanswered: true,
    reason: `the sync session on host ${host.name} was cut before it answered (${detail}): the sync may still be running there — run "fleet-tui sync ${p.inst.id}" to see where it stands (and "fleet-tui recover" if the host went down)`,
  };
}

export interface SyncItem {
  inst: ResolvedInstance;
  /** The landed tip (its commits are on main now), or null for a plain sync. */
  from: string | null;
}

/** What the script's checks decided, in words (the same reasons as a local sync). */
function refusal(p: SyncItem, host: ResolvedHost, verdict: string, detail: string): HostSyncResult {
  const where = `${p.inst.worktree} on host ${host.name}`;
  const r = (sync: SyncOutcome, reason: string) => ({ sync, reason });
  switch (verdict) {
    case 'none':
      return r('unchanged', `no worktree at ${where}`);
    case 'current':
      return r('unchanged', 'already up to date');
    case 'busy':
      return r(
        'needs-sync',
        `another fleet-tui sync has been running on host ${host.name} for two minutes — run "fleet-tui sync ${p.inst.id}" when it has finished`,
      );
    case 'operation':
      return r('needs-sync', `an operation is in progress in ${where}`);
    case 'unfinished':
      return r(
        'needs-sync',
        `a sync fleet-tui started in ${where} was cut short (the host went down) — run "fleet-tui recover"`,
      );
    case 'branch':
      return r('needs-sync', `${where} is not on ${p.inst.branch}`);
    case 'rewritten':
      return r('needs-sync', `${p.inst.branch} was rewritten during the land`);
    case 'merges': {
      const n = Number(detail.trim()) || 1;
      return r(
        'needs-sync',
        `${p.inst.branch} has ${n} merge commit${n > 1 ? 's' : ''} a rebase would flatten — land it, or rebase it yourself with "git rebase --rebase-merges" on the host`,
      );
    }
    case 'ignored': {
      const hits = detail.split('\n').filter(Boolean).sort();
      return r(
        'needs-sync',
        `the sync would overwrite or delete ignored files in ${where}: ${hits.slice(0, 5).join(', ')} — move them out of the way, then land again`,
      );
    }
    default:
      // The script said nothing of this worktree: it may have moved it, or be moving it.
      return unanswered(p, host, 'no verdict in its report');
  }
}

/** What the rebase part of the script did to one worktree that passed its checks. */
function moved(
  p: SyncItem,
  host: ResolvedHost,
  done: Map<string, Section>,
  i: number,
): HostSyncResult {
  const rebase = done.get(`${i}:rebase`);
  const conflict = done.get(`${i}:conflict`);
  if (done.get(`${i}:backup`)?.rc !== 0)
    return {
      sync: 'needs-sync',
      reason: 'could not write the backup ref on the host; nothing was moved',
    };
  if (rebase?.rc === 0) return { sync: 'synced', reason: '' };
  if (conflict?.rc === 1) {
    const files = conflict.text.split('\0').filter(Boolean);
    return {
      sync: 'needs-sync',
      reason: `conflict in ${files.join(', ') || '(unknown files)'}; rebase aborted, branch left as it was`,
    };
  }
  const why = (rebase?.text ?? '').trim().split('\n').filter(Boolean)[0] ?? 'git rebase refused';
  return {
    sync: 'needs-sync',
    reason: `${why} — commit or stash in ${p.inst.hostPath!} on host ${host.name}, then run "fleet-tui sync ${p.inst.id}"`,
  };
}

/** Every planned worktree's result, from the script's whole or truncated stdout. */
export function readSyncReport(
  stdout: string,
  nonce: string,
  planned: readonly SyncItem[],
  host: ResolvedHost,
): Map<string, HostSyncResult> {
  const done = sections(stdout, nonce);
  const out = new Map<string, HostSyncResult>();
  planned.forEach((p, i) => {
    // A worktree's sections are whole only when something after them (the next one's, or the
    // end) came.
    if (!done.has(`${i + 1}:verdict`) && !done.has('-:end')) {
      out.set(p.inst.id, unanswered(p, host, 'its report was cut off'));
      return;
    }
    const said = done.get(`${i}:verdict`)?.text ?? '';
    const nl = said.indexOf('\n');
    const verdict = nl < 0 ? said : said.slice(0, nl);
    out.set(
      p.inst.id,
      verdict === 'go' ? moved(p, host, done, i) : refusal(p, host, verdict, said.slice(nl + 1)),
    );
  });
  return out;
}
