import { existsSync } from 'node:fs';
import path from 'node:path';
import { UsageError } from '../core/errors.js';
import { findRepo } from '../core/git/repo.js';
import { readFleetState } from '../core/state/fleet-state.js';
import { evaluateConfig } from './evaluate.js';
import { resolveConfig } from './resolve.js';
import type { ResolvedConfig } from './types.js';

export const CONFIG_NAMES = [
  'fleet.config.ts',
  'fleet.config.mts',
  'fleet.config.js',
  'fleet.config.mjs',
];

export { ConfigError } from './config-error.js';
function findUp(start: string): string | null {
  let dir = path.resolve(start);
  for (;;) {
    for (const name of CONFIG_NAMES) {
      const file = path.join(dir, name);
      if (existsSync(file)) return file;
    }
    const parent = path.dirname(dir);
    if (parent === dir) return null;
    dir = parent;
  }
}

/**
 * Find the config: `--config` wins; otherwise walk up from `cwd`. Inside an instance's worktree
 * the walk would find the worktree's checked-out copy first, so a config found in a linked
 * worktree defers to the main worktree's config when that exists.
 */
async function findConfig(cwd: string, explicit?: string): Promise<string> {
  if (explicit) {
    const file = path.resolve(cwd, explicit);
    if (!existsSync(file)) {
      throw new UsageError(
        `--config ${explicit}: no such file (looked for ${file}) — check the path`,
      );
    }
    return file;
  }
  const found = findUp(cwd);
  if (!found) {
    throw new UsageError(
      `no fleet.config.ts found in ${path.resolve(cwd)} or any parent directory — run "fleet-tui init" in your repository to create one, or pass --config PATH`,
    );
  }
  const repo = await findRepo(path.dirname(found));
  if (repo?.mainWorktree && path.resolve(repo.topLevel) !== path.resolve(repo.mainWorktree)) {
    const main = CONFIG_NAMES.map((n) => path.join(repo.mainWorktree!, n)).find((f) =>
      existsSync(f),
    );
    if (main) return main;
  }
  return found;
}

export interface LoadOptions {
  cwd?: string;
  configPath?: string;
  /** Apply run-time role reassignments from the fleet state (default true). */
  applyState?: boolean;
}

/** Find, import, validate and resolve the fleet config. Throws ConfigError/UsageError (exit 2). */
export async function loadConfig(opts: LoadOptions = {}): Promise<ResolvedConfig> {
  const cwd = opts.cwd ?? process.cwd();
  const file = await findConfig(cwd, opts.configPath);
  const rootDir = path.dirname(file);
  // The repository is looked up (a git process) while the config evaluates.
  const repoLookup = opts.applyState === false ? null : findRepo(rootDir).catch(() => null);
  const resolved = resolveConfig(await evaluateConfig(file, rootDir), rootDir, file);
  if (!repoLookup) return resolved;
  const repo = await repoLookup;
  if (!repo) return resolved;
  const state = await readFleetState(repo.commonDir);
  return applyRoleOverrides(resolved, state.roles);
}

/** Role reassignments made at run time win over the config, when the role still exists. */
function applyRoleOverrides(cfg: ResolvedConfig, roles: Record<string, string>): ResolvedConfig {
  return {
    ...cfg,
    instances: cfg.instances.map((inst) => {
      const role = roles[inst.id];
      return role && role in cfg.roles ? { ...inst, role } : inst;
    }),
  };
}
