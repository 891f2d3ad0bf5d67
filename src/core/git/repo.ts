import path from 'node:path';
import { discoverRepo } from './discover.js';
import { git } from './run.js';

export interface RepoPaths {
  /** Top level of the working tree that contains `cwd`. */
  topLevel: string;
  /** The git dir shared by all worktrees (`.git` of the main worktree). */
  commonDir: string;
  /** This worktree's own git dir. */
  gitDir: string;
  /** The main worktree's top level (where fleet.config.ts lives), or null in a bare repo. */
  mainWorktree: string | null;
}

/**
 * Repositories found by this process, by directory: a command asks from several places (config,
 * status, recovery, agent states) and each answer cost a git process. Only found repositories
 * are kept (a directory may become one later).
 */
const found = new Map<string, Promise<RepoPaths | null>>();

/** Locate the repository around `cwd`, or null when `cwd` is not inside a git work tree. */
export function findRepo(cwd: string): Promise<RepoPaths | null> {
  const key = path.resolve(cwd);
  const known = found.get(key);
  if (known) return known;
  const lookup = lookupRepo(cwd);
  found.set(key, lookup);
  lookup.then(
    (r) => void (r || found.delete(key)),
    () => void found.delete(key),
  );
  return lookup;
}

async function lookupRepo(cwd: string): Promise<RepoPaths | null> {
  // The usual layouts from the file system; git itself for anything else (discover.ts).
  const known = discoverRepo(cwd);
  if (known) return known;
  const res = await git(
    ['rev-parse', '--path-format=absolute', '--show-toplevel', '--git-common-dir', '--git-dir'],
    { cwd, readOnly: true, allowFail: true },
  );
  if (res.exitCode !== 0) return null;
  const [topLevel, commonDir, gitDir] = res.stdout.trim().split('\n');
  if (!topLevel || !commonDir || !gitDir) return null;
  const mainWorktree = path.basename(commonDir) === '.git' ? path.dirname(commonDir) : null;
  return { topLevel, commonDir, gitDir, mainWorktree };
}

/** Directory under the git common dir where fleet-tui keeps its own files. */
export function fleetDir(commonDir: string): string {
  return path.join(commonDir, 'fleet-tui');
}
