import path from 'node:path';
import { BUILTIN_AGENTS } from './builtins.js';
import type { FleetConfigParsed } from './schema.js';
import type { ResolvedConfig } from './types.js';

/** Fill in every default: built-in agent kinds, worktree paths and branch names. */
export function resolveConfig(
  cfg: FleetConfigParsed,
  rootDir: string,
  configPath: string | null,
): ResolvedConfig {
  return {
    configPath,
    rootDir,
    remote: cfg.remote,
    mainBranch: cfg.mainBranch,
    worktreeRoot: cfg.worktreeRoot,
    down: cfg.down,
    migrations: cfg.migrations,
    agents: { ...BUILTIN_AGENTS, ...cfg.agents },
    roles: cfg.roles,
    keys: cfg.keys,
    sessions: cfg.sessions,
    land: cfg.land,
    instances: cfg.instances.map((inst) => {
      const worktree = inst.worktree ?? path.posix.join(cfg.worktreeRoot, `instance-${inst.id}`);
      return {
        id: inst.id,
        role: inst.role,
        configRole: inst.role,
        agent: inst.agent,
        band: inst.band,
        worktree,
        worktreePath: path.resolve(rootDir, worktree),
        branch: inst.branch ?? `${inst.agent}/${inst.id}-wip`,
      };
    }),
  };
}
