import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';

export interface GitDirs {
  /** The directory holding `.git` (this worktree's top level). */
  topLevel: string;
  /** The git dir shared by every worktree. */
  commonDir: string;
  /** The main worktree's top level, or null when the common dir is not a `.git` (bare, submodule). */
  mainWorktree: string | null;
}

function readText(file: string): string | null {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return null;
  }
}

/**
 * Where the repository around `start` keeps its files, read from the file system alone (the
 * `.git` directory, or a linked worktree's `.git` file and its git dir's `commondir`) — no git
 * process. Start-up paths (finding the config, its transpile cache) use it because a git spawn
 * costs more than the rest of loading a cached config. Returns null when no `.git` is found or
 * the layout is one this reader does not know; callers that need git's own answer use findRepo.
 */
export function locateGitDirs(start: string): GitDirs | null {
  for (let dir = path.resolve(start); ;) {
    const dotGit = path.join(dir, '.git');
    let isDir: boolean | null = null;
    try {
      isDir = statSync(dotGit).isDirectory();
    } catch {
      // Not here: look in the parent.
    }
    if (isDir === true) return { topLevel: dir, commonDir: dotGit, mainWorktree: dir };
    if (isDir === false) {
      const m = /^gitdir: (.+)$/m.exec(readText(dotGit) ?? '');
      if (!m) return null;
      const gitDir = path.resolve(dir, m[1]!.trim());
      const common = readText(path.join(gitDir, 'commondir'));
      const commonDir = common ? path.resolve(gitDir, common.trim()) : gitDir;
      const mainWorktree = path.basename(commonDir) === '.git' ? path.dirname(commonDir) : null;
      return { topLevel: dir, commonDir, mainWorktree };
    }
    const parent = path.dirname(dir);
    if (parent === dir) return null;
    dir = parent;
  }
}
