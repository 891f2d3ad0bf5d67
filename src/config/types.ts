import type { AgentSpec, FleetConfigParsed, LandSpec, RoleSpec } from './schema.js';

/** An SSH host of the fleet, defaults filled in. */
export interface ResolvedHost {
  name: string;
  /** ssh alias or user@host. */
  ssh: string;
  /** Absolute path of the host's clone (same origin). */
  repo: string;
  port: number | null;
  /** Absolute local path of the key, or null (ssh's own defaults). */
  identityFile: string | null;
}

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
  /**
   * Absolute worktree path. For an instance on a host it is `ssh://<host><path>`: never a local
   * path, so local code that is not host-aware finds nothing there instead of a wrong directory.
   */
  worktreePath: string;
  branch: string;
  /** The host (a name under `hosts`) holding the worktree; absent for a local instance. */
  host?: string;
  /** Absolute path of the worktree on its host; absent for a local instance. */
  hostPath?: string;
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
  /** Globs every role may touch (role scope). */
  sharedPaths: string[];
  instances: ResolvedInstance[];
  keys: Record<string, string | string[]>;
  sessions: FleetConfigParsed['sessions'];
  land: LandSpec;
  /** SSH hosts by name (empty: a local fleet, as before hosts existed). */
  hosts: Record<string, ResolvedHost>;
}
