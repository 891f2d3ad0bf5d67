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
