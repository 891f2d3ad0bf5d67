import os from 'node:os';
import path from 'node:path';
import { BUILTIN_AGENTS } from './builtins.js';
import type { FleetConfigParsed } from './schema.js';
import type { ResolvedConfig, ResolvedHost } from './types.js';

function resolveHosts(cfg: FleetConfigParsed, rootDir: string): Record<string, ResolvedHost> {
  const out: Record<string, ResolvedHost> = {};
  for (const [name, h] of Object.entries(cfg.hosts)) {
    const key = h.identityFile;
    out[name] = {
      name,
      ssh: h.ssh,
      repo: h.repo,
      port: h.port ?? null,
      identityFile: !key
        ? null
        : key.startsWith('~/')
          ? path.join(os.homedir(), key.slice(2))
          : path.resolve(rootDir, key),
    };
  }
  return out;
}

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
    sharedPaths: cfg.sharedPaths,
    keys: cfg.keys,
    sessions: cfg.sessions,
    land: cfg.land,
    hosts: resolveHosts(cfg, rootDir),
    instances: cfg.instances.map((inst) => {
      const worktree = inst.worktree ?? path.posix.join(cfg.worktreeRoot, `instance-${inst.id}`);
      const host = inst.host ? cfg.hosts[inst.host] : undefined;
      const common = {
        id: inst.id,
        role: inst.role,
        configRole: inst.role,
        agent: inst.agent,
        band: inst.band,
        worktree,
        branch: inst.branch ?? `${inst.agent}/${inst.id}-wip`,
      };
      if (host && inst.host) {
        const hostPath = path.posix.resolve(host.repo, worktree);
        return {
          ...common,
          worktreePath: `ssh://${inst.host}${hostPath}`,
          host: inst.host,
          hostPath,
        };
      }
      return { ...common, worktreePath: path.resolve(rootDir, worktree) };
    }),
  };
}
