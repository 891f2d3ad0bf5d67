import type { ResolvedConfig, ResolvedInstance } from '../../config/types.js';
import type { GitEvent } from '../git/events.js';
import type { FleetInsight } from '../insight/fleet-insight.js';
import type { ObservedSession } from '../insight/observed.js';
import type { Scope } from '../insight/scope.js';
import type { KnownCounts } from '../insight/scope-git.js';
import type { UsageToday } from '../insight/status-insight.js';
import type { InstanceGitStatus } from '../git/status-types.js';
import type { SyncResult } from '../land/sync.js';
import type { LandOptions, LandProgress, LandReport } from '../land/types.js';
import type { CheckReport, MigrationProblem } from '../migrations/types.js';
import type { AgentState, AgentStatus, Session } from '../sessions/types.js';

/** Something that can be stopped (watchers). */
export interface Closable {
  close(): Promise<void>;
}

/**
 * Everything the TUI needs from the core, in one injected object: the UI never imports an
 * implementation. `src/app/services.ts` builds the real one; tests pass a fake.
 */
export interface FleetServices {
  readonly config: ResolvedConfig;
  /** The agent session of an instance (null when sessions are not available). */
  session(id: string): Session | null;
  /** Git status of one instance (the status watcher calls this on git events). */
  readStatus(inst: ResolvedInstance): Promise<InstanceGitStatus>;
  /** The slow sweep's cheaper re-read: only the working tree, `prev` kept when unchanged
   * (optional: without it the sweep calls `readStatus`). */
  sweepStatus?(inst: ResolvedInstance, prev: InstanceGitStatus): Promise<InstanceGitStatus>;
  land(opts: LandOptions): Promise<LandReport>;
  sync(id: string): Promise<SyncResult>;
  syncAll(): Promise<SyncResult[]>;
  /** Creates `<dir>/<version>_<name>.sql` in the instance's worktree; returns its path. */
  createMigration(id: string, name: string): Promise<string>;
  /** Live migration reports; a re-read that failed goes to `onError` (the report stays). */
  watchMigrations(
    onReport: (report: CheckReport) => void,
    onError: (e: unknown) => void,
  ): Promise<Closable>;
  /** Subscribe to the fleet's git events (one shared watcher of refs, HEADs and indexes). */
  watchGit(onEvent: (e: GitEvent) => void): Promise<Closable>;
  /** Today's cost, the report, the 5-hour window and observed sessions (optional in fakes). */
  readInsight?(current: Record<string, { status: AgentStatus }>): Promise<FleetInsight>;
  /** Files the instance touched outside its role; `known` spares git what status already saw. */
  readScope?(inst: ResolvedInstance, known: KnownCounts): Promise<Scope>;
  /** Persist a role reassignment in the fleet state file. */
  setRole(id: string, role: string): Promise<void>;
  /** Stop watchers; agents in tmux keep running. */
  dispose(): Promise<void>;
}

/** One immutable snapshot per instance: replaced (never mutated) on every change. */
export interface InstanceSnapshot {
  index: number;
  instance: ResolvedInstance;
  roleTitle: string;
  git: InstanceGitStatus | null;
  agent: AgentState;
  /** Migration problems that name a file of this instance. */
  migrationProblems: MigrationProblem[];
  /** An operation of fleet-tui running on this instance ("landing", "syncing"). */
  busy: string | null;
  /** Files touched and not landed that fall outside the role (null until first read). */
  scope: Scope | null;
  /** Today's cost and tokens from the agents' transcripts (null until first read). */
  usageToday: UsageToday | null;
  /** A session in the worktree that fleet-tui did not start, shown apart from the agent. */
  observed: ObservedSession | null;
}

export interface LogEntry {
  time: string;
  level: 'info' | 'warn' | 'error';
  text: string;
}

export interface LandRun {
  /** What was asked for: `'all'`, or the one instance id. */
  scope: string;
  running: boolean;
  startedAt: string;
  /** Latest phase per instance, in the order first reported. */
  progress: Record<string, LandProgress>;
  report: LandReport | null;
  error: string | null;
}

/** Facts about the whole fleet (top bar, panels). */
export interface FleetFacts {
  migrations: CheckReport | null;
  land: LandRun | null;
  log: readonly LogEntry[];
  /** Cost, report and usage window (null until the first reading). */
  insight: FleetInsight | null;
}

/** Things worth a bell and a desktop notification. */
export interface Alert {
  title: string;
  body: string;
}
