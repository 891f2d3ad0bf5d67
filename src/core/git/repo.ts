import path from 'node:path';
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

/** Locate the repository around `cwd`, or null when `cwd` is not inside a git work tree. */
export async function findRepo(cwd: string): Promise<RepoPaths | null> {
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
