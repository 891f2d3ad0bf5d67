import { loadConfig, type LoadOptions } from '../config/load.js';
import type { ResolvedConfig } from '../config/types.js';
import { locateGitDirs } from '../core/git/locate.js';

/**
 * The config as the fleet runs it: the file's config with the role reassignments made at run time
 * (the TUI's role picker, kept in the fleet state) applied. `config/` only loads the file; what the
 * person changed since is the application's business.
 */
export async function loadFleetConfig(opts: LoadOptions = {}): Promise<ResolvedConfig> {
  return withRoleOverrides(await loadConfig(opts));
}

/** Role reassignments made at run time win over the config, when the role still exists. */
async function withRoleOverrides(cfg: ResolvedConfig): Promise<ResolvedConfig> {
  // Read from the file system: the common dir is where the fleet state is, and a git process
  // here would cost more than the rest of a cached config load.
  const repo = locateGitDirs(cfg.rootDir);
  if (!repo) return cfg;
  const { readFleetStateSync } = await import('../core/state/fleet-state.js');
  const { roles } = readFleetStateSync(repo.commonDir);
  if (Object.keys(roles).length === 0) return cfg;
  return {
    ...cfg,
    instances: cfg.instances.map((inst) => {
      const role = roles[inst.id];
      return role && role in cfg.roles ? { ...inst, role } : inst;
    }),
  };
}
