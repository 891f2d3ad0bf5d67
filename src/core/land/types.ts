import type { LandGate } from './gate.js';

/** Contract of `fleet-tui land --json` (issue "Git engine"); keep field names exactly. */
type LandOutcome = 'landed' | 'nothing' | 'conflict' | 'blocked' | 'refused' | 'error';
export type SyncOutcome = 'synced' | 'needs-sync' | 'unchanged';

/**
 * An instance's outcome while a land runs: `pending` until the chain decides. It never reaches
 * the report: whatever is still pending when the pushing ends had nothing new to land.
 */
export type PlannedOutcome = LandOutcome | 'pending';

export interface InstanceLandResult {
  id: string;
  outcome: LandOutcome;
  /** Commits of this instance that landed (or would land, with --dry-run). */
  commits: number;
  /** Conflicting files for `conflict`; otherwise the files involved, if any. */
  files: string[];
  reason: string;
  sync: SyncOutcome;
}

export interface LandReport {
  ok: boolean;
  main: { before: string; after: string };
  fetches: number;
  pushes: number;
  instances: InstanceLandResult[];
  /** SSH sessions per host during the land (only when the config has hosts). */
  hostConnections?: Record<string, number>;
}

/** Live progress for the TUI's push-all overlay: pending → replaying → an outcome. */
export type LandPhase = 'pending' | 'replaying' | 'gating' | 'pushing' | 'syncing' | LandOutcome;
export interface LandProgress {
  id: string;
  phase: LandPhase;
  detail?: string;
}

export interface LandOptions {
  /** Instance ids to land; empty/undefined with `all` = every instance in config order. */
  ids?: string[];
  all?: boolean;
  dryRun?: boolean;
  /** Migration gate run on the chain before the push (no-op until the guard provides one). */
  gate?: LandGate;
  onProgress?: (p: LandProgress) => void;
  /** Wait this long for another process's land to finish (default 0: fail at once). */
  waitMs?: number;
  /** One-line notices (a stale lock taken over, …). */
  onNotice?: (text: string) => void;
}
