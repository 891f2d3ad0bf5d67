/** What `fleet-tui sim-agent` was asked to do (its flags, parsed by the CLI). */
export interface SimOptions {
  instance: string;
  kind: 'claude' | 'codex' | 'plain';
  /** json: the agent's machine-readable events; text: rendered lines with colours. */
  format: 'json' | 'text';
  paceMs: number;
  idleMs: number;
  /** Benchmark mode: this many timestamped lines per second, nothing else. */
  rate: number | null;
  durationMs: number | null;
  collide: boolean;
  /** Every N turns, create a migration in the instance's band with `fleet-tui migrations new` (0 = never). */
  migrateEvery: number;
  commitEvery: number;
  permissionEvery: number;
  permissionWaitMs: number;
  crashAfterMs: number | null;
  exitAfterTurns: number | null;
  resume: string | null;
  notify: string[] | null;
  hostile: boolean;
  migrationsDir: string;
  cwd: string;
}
