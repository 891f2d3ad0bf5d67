import type { AgentSpec, FleetConfigParsed, LandSpec, RoleSpec } from './schema.js';

export interface ResolvedInstance {
  id: string;
  /** The role in force: the config's, or a run-time reassignment from the fleet state. */
  role: string;
  /** The role written in fleet.config.ts. */
  configRole: string;
  agent: string;
  band: string;
  /** Worktree path relative to the repository root, as configured or defaulted. */
  worktree: string;
  /** Absolute worktree path. */
  worktreePath: string;
  branch: string;
}

export interface ResolvedConfig {
  /** Absolute path of the fleet.config.ts that was loaded (null for a config built in code). */
  configPath: string | null;
  /** Repository root (the main worktree) that relative paths are resolved against. */
  rootDir: string;
  remote: string;
  mainBranch: string;
  worktreeRoot: string;
  down: FleetConfigParsed['down'];
  migrations: FleetConfigParsed['migrations'];
  /** Built-in kinds merged with the declared ones. */
  agents: Record<string, AgentSpec>;
  roles: Record<string, RoleSpec>;
  instances: ResolvedInstance[];
  keys: Record<string, string | string[]>;
  sessions: FleetConfigParsed['sessions'];
  land: LandSpec;
}
