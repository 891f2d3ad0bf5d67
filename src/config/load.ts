import { existsSync } from 'node:fs';
import path from 'node:path';
import { UsageError } from '../core/errors.js';
import { locateGitDirs } from '../core/git/locate.js';
import { resolveConfig } from './resolve.js';
import type { ResolvedConfig } from './types.js';

export const CONFIG_NAMES = [
  'fleet.config.ts',
  'fleet.config.mts',
  'fleet.config.js',
  'fleet.config.mjs',
];

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
function findConfig(cwd: string, explicit?: string): string {
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
  // Read from the file system: a git process here would cost more than loading a cached config.
  const repo = locateGitDirs(path.dirname(found));
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
}

/**
 * Find, import, validate and resolve the fleet config file. Throws ConfigError/UsageError
 * (exit 2). Only the file: role reassignments made at run time are applied by the application
 * (app/fleet-config.ts).
 */
export async function loadConfig(opts: LoadOptions = {}): Promise<ResolvedConfig> {
  const file = findConfig(opts.cwd ?? process.cwd(), opts.configPath);
  const rootDir = path.dirname(file);
  // Loaded once a config is found: "no config" is answered without zod or the compiler.
  const { evaluateConfig } = await import('./evaluate.js');
  return resolveConfig(await evaluateConfig(file, rootDir), rootDir, file);
}
