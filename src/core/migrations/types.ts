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

export interface CheckReport {
  ok: boolean;
  migrations: number;
  problems: MigrationProblem[];
}
