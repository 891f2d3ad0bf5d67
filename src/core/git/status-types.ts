import type { GitOperation } from './worktree-state.js';

/** Contract of `fleet-tui status --json` rows (issue "Git engine"); later issues add fields. */
export interface InstanceGitStatus {
  id: string;
  role: string;
  agent: string;
  worktree: string;
  branch: string;
  exists: boolean;
  head: string | null;
  ahead: number;
  behind: number;
  dirty: { staged: number; unstaged: number; untracked: number };
  operation: null | GitOperation;
  needsSync: boolean;
  lastCommit: { subject: string; date: string } | null;
  landedToday: number;
  /** Instances on SSH hosts only (core/hosts): false when the host could not be read. */
  reachable?: boolean;
}

/** What a caller of the fleet's status read may want besides the rows (`status --json`). */
export interface StatusSink {
  /** Receives each local worktree's `git status` output, by instance id. */
  statusTexts: Map<string, string>;
  /**
   * Told the HEADs as soon as they are known (read from the files, beside `worktree list`; told
   * again if the listing names others), before the rows are read, with the main ref the rows
   * count against and its commit (null where git has none), already asked.
   */
  onHeads?: (heads: string[], main: MainTip) => void;
}

/** A main ref and its commit, read once for everything that needs it. */
export interface MainTip {
  ref: string;
  commit: Promise<string | null>;
  /** The commit as read from the files (head-guess.ts), for a read that cannot wait for git's. */
  guess: string | null;
}
