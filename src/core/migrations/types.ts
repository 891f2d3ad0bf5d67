/** Contract of `fleet-tui migrations check --json` (issue "Migration guard"). */
export type RuleId =
  | 'duplicate-version'
  | 'edited-applied'
  | 'out-of-band'
  | 'out-of-order'
  | 'bad-name'
  | 'unreadable';
type Severity = 'error' | 'warning';

export interface ProblemFile {
  instance: string | null;
  where: 'main' | 'branch' | 'worktree';
  path: string;
}

export interface MigrationProblem {
  rule: RuleId;
  severity: Severity;
  version: string;
  files: ProblemFile[];
  message: string;
  fix: string;
}

/** A host whose worktrees could not be read (fleets with SSH hosts only). */
export interface UnreachableHost {
  host: string;
  /** ssh's own words. */
  hostError: string;
  /** Its instances, whose worktrees were not checked. */
  instances: string[];
}

export interface CheckReport {
  ok: boolean;
  migrations: number;
  problems: MigrationProblem[];
  /** Present only when a host could not be read (then `ok` is false). */
  unreachableHosts?: UnreachableHost[];
}
