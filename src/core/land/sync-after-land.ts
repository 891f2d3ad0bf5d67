import type { ResolvedConfig } from '../../config/types.js';
import { backupRefs } from '../git/backup.js';
import { changesBetween, type Change } from '../git/checkout-changes.js';
import { findListed, listWorktrees } from '../git/worktree-list.js';
import { syncOnHosts } from '../hosts/sync.js';
import { updateNeedsSync } from '../state/land-records.js';
import type { PlannedInstance } from './plan.js';
import { syncWorktrees, type SyncResult } from './sync.js';
import type { LandProgress } from './types.js';

/**
 * The sync after a land. What it reads that does not depend on the push's outcome is read while
 * the push is on the wire (readAheadOfSync): the backups of the tips the land read (a backup
 * ref only keeps a commit; taking it before the tip moves is the rule, and a push that fails
 * leaves a backup of a tip that did not move) and what checking the chain's tip out writes in
 * each worktree still at its tip. The worktree listing the checks rest on is read after the
 * push, next to the rebases it guards.
 */
export interface SyncReadAhead {
  /** The chain tip read for: used only when that is what landed. */
  target: string;
  /** `<id> <sha>` of the tips backed up (empty when that failed: backed up after the push). */
  backedUp: Promise<Set<string>>;
  /** The changes from each tip (by sha) to `target` (empty when that failed). */
  changes: Promise<Map<string, Change[]>>;
}

const key = (p: PlannedInstance) => `${p.inst.id} ${p.branchTip}`;

/** Instances that may follow main after the land (landed, or nothing to land), away from it. */
function movable(planned: readonly PlannedInstance[], target: string): PlannedInstance[] {
  return planned.filter(
    (p) =>
      (p.result.outcome === 'landed' ||
        p.result.outcome === 'nothing' ||
        p.result.outcome === 'pending') &&
      p.branchTip &&
      p.branchTip !== target,
  );
}

export function readAheadOfSync(
  config: ResolvedConfig,
  planned: readonly PlannedInstance[],
  target: string,
): SyncReadAhead {
  const moving = movable(planned, target);
  const local = moving.filter((p) => !p.inst.host);
  return {
    target,
    backedUp: backupRefs(
      config.rootDir,
      moving.map((p) => ({ id: p.inst.id, sha: p.branchTip! })),
      'land',
    ).then(
      () => new Set(moving.map(key)),
      () => new Set<string>(),
    ),
    changes: changesBetween(
      config.rootDir,
      local.map((p) => ({ from: p.branchTip!, to: target })),
    ).then(
      (diffs) => new Map(local.map((p, k) => [p.branchTip!, diffs[k]!])),
      () => new Map<string, Change[]>(),
    ),
  };
}

/**
 * Landed instances follow main when safe; instances with nothing to land catch up when clean.
 * `journaled`: the land journal's sync phase, written before any marker.
 */
export async function syncAfterLand(
  config: ResolvedConfig,
  commonDir: string,
  planned: PlannedInstance[],
  target: string,
  progress: (p: LandProgress) => void,
  journaled: Promise<void>,
  ahead: SyncReadAhead | null,
): Promise<void> {
  const eligible = planned.filter(
    (p) => p.result.outcome === 'landed' || p.result.outcome === 'nothing',
  );
  const moved = movable(eligible, target);
  const local = eligible.filter((p) => !p.inst.host);
  // Worktrees still at the tip the land read (the usual case) only check the new main out:
  // what that writes is read for all of them at once, beside the backups and the listing.
  const atTip = local.filter((p) => p.branchTip && p.branchTip !== target);
  const early = ahead?.target === target ? ahead : null;
  const [backedUp, known] = early
    ? await Promise.all([early.backedUp, early.changes])
    : [new Set<string>(), new Map<string, Change[]>()];
  const unread = atTip.filter((p) => !known.has(p.branchTip!));
  const [, , worktrees, diffs] = await Promise.all([
    journaled,
    backupRefs(
      config.rootDir,
      moved.filter((p) => !backedUp.has(key(p))).map((p) => ({ id: p.inst.id, sha: p.branchTip! })),
      'land',
    ),
    listWorktrees(config.rootDir),
    changesBetween(
      config.rootDir,
      unread.map((p) => ({ from: p.branchTip!, to: target })),
    ),
  ]);
  unread.forEach((p, k) => known.set(p.branchTip!, diffs[k]!));
  // Instances on SSH hosts are synced on their host, with the same rules, alongside.
  const onHosts = eligible.filter((p) => p.inst.host);
  const hostSync = onHosts.length > 0 ? syncOnHosts(config, onHosts, target, progress) : null;
  local
    .filter((p) => p.result.outcome === 'landed')
    .forEach((p) => progress({ id: p.inst.id, phase: 'syncing' }));
  // Every worktree: each rebase runs in its own worktree (they share no index and no HEAD),
  // started in waves from one `sh` once every check and marker is done (sync.ts).
  // Landed: its commits up to the tip we read are on main now. Nothing to land: the same holds
  // (every commit is patch-equivalent to one on main).
  await syncWorktrees(
    commonDir,
    local.map((p) => ({
      inst: p.inst,
      target,
      from: p.branchTip,
      listed: findListed(worktrees, p.inst.worktreePath),
      changes: p.branchTip && p.branchTip !== target ? known.get(p.branchTip) : undefined,
    })),
    (k, res) => settleSync(local[k]!, res, progress),
  );
  await hostSync;
  const results = [...local, ...onHosts];
  await updateNeedsSync(
    commonDir,
    results
      .filter((p) => p.result.outcome === 'landed' && p.result.sync === 'needs-sync')
      .map((p) => p.inst.id),
    results.filter((p) => p.result.sync === 'synced').map((p) => p.inst.id),
  );
}

/** An instance's report after its worktree's sync. */
function settleSync(
  p: PlannedInstance,
  res: SyncResult,
  progress: (p: LandProgress) => void,
): void {
  p.result = { ...p.result, sync: res.sync };
  // Nothing landed, so its worktree only stays behind main like any other; the refusal's
  // reason (a dirty file, an ignored file in the way) is still news to the person.
  if (res.sync === 'needs-sync' && p.result.outcome === 'nothing')
    p.result = {
      ...p.result,
      sync: 'unchanged',
      reason: `${p.result.reason}; not caught up with main: ${res.reason}`,
    };
  if (p.result.outcome === 'landed')
    progress({ id: p.inst.id, phase: 'landed', detail: res.reason });
}
