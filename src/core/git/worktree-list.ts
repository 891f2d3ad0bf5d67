import { existsSync, readFileSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { git } from './run.js';
import type { GitOperation } from './worktree-state.js';
import { OPERATION_FILES } from './operation-files.js';

/**
 * Every worktree of the repository from one `git worktree list --porcelain`, with the operation
 * in progress in each (its marker files live in the worktree's own git dir, named by the
 * worktree's `.git` file). Landing reads the whole fleet this way with one git process instead
 * of two per worktree; dirtiness is not needed for that (the replay never touches worktrees).
 */
export interface ListedWorktree {
  path: string;
  head: string | null;
  branch: string | null;
  operation: GitOperation | null;
}

function gitDirOf(worktree: string): string | null {
  const dotGit = path.join(worktree, '.git');
  try {
    const text = readFileSync(dotGit, 'utf8');
    const m = /^gitdir: (.*)$/m.exec(text);
    return m ? path.resolve(worktree, m[1]!.trim()) : null;
  } catch {
    // A directory (the main worktree) or nothing at all.
    return existsSync(dotGit) ? dotGit : null;
  }
}

function real(p: string): string {
  try {
    return realpathSync(p);
  } catch {
    return path.resolve(p);
  }
}

/** Worktrees keyed by their real path; missing (prunable) ones are left out. */
export async function listWorktrees(cwd: string): Promise<Map<string, ListedWorktree>> {
  const res = await git(['worktree', 'list', '--porcelain'], { cwd, readOnly: true });
  const out = new Map<string, ListedWorktree>();
  for (const block of res.stdout.split('\n\n')) {
    const lines = block.split('\n');
    const wt = lines.find((l) => l.startsWith('worktree '))?.slice(9);
    if (!wt || lines.some((l) => l.startsWith('prunable')) || !existsSync(wt)) continue;
    const head = lines.find((l) => l.startsWith('HEAD '))?.slice(5) ?? null;
    const ref = lines.find((l) => l.startsWith('branch '))?.slice(7) ?? null;
    const gitDir = gitDirOf(wt);
    const op = gitDir ? OPERATION_FILES.find(([f]) => existsSync(path.join(gitDir, f))) : undefined;
    out.set(real(wt), {
      path: wt,
      head,
      branch: ref ? ref.replace(/^refs\/heads\//, '') : null,
      operation: op ? op[1] : null,
    });
  }
  return out;
}

export function findListed(
  list: Map<string, ListedWorktree>,
  worktree: string,
): ListedWorktree | null {
  return list.get(real(worktree)) ?? null;
}
