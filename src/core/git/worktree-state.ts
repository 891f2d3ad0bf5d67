import { existsSync, realpathSync } from 'node:fs';
import { git } from './run.js';
import { OPERATION_FILES } from './operation-files.js';

/** An operation git is in the middle of in one worktree. */
export type GitOperation = 'rebase' | 'merge' | 'cherry-pick' | 'revert' | 'bisect';

/** What one worktree looks like right now, read without taking any lock. */
export interface WorktreeState {
  /** The directory is a git worktree whose top level is exactly this path. */
  exists: boolean;
  /** Branch checked out (short name), or null when detached. */
  branch: string | null;
  head: string | null;
  dirty: { staged: number; unstaged: number; untracked: number };
  operation: GitOperation | null;
  /** Paths with uncommitted changes (for messages and `down --force`). */
  changed: string[];
  /** Absolute paths of this worktree's operation marker files (for a cheap re-read). */
  markers: string[];
}

/** A worktree that is not there (or not the one expected). */
export const NO_WORKTREE: WorktreeState = {
  exists: false,
  branch: null,
  head: null,
  dirty: { staged: 0, unstaged: 0, untracked: 0 },
  operation: null,
  changed: [],
  markers: [],
};

const GIT_PATH_ARGS = OPERATION_FILES.flatMap(([f]) => ['--git-path', f]);

function operationFrom(paths: string[]): GitOperation | null {
  for (let i = 0; i < OPERATION_FILES.length; i++) {
    const p = paths[i];
    if (p && existsSync(p)) return OPERATION_FILES[i]![1];
  }
  return null;
}

/** Which operation is in progress: its marker files are per worktree (`rev-parse --git-path`). */
export async function operationOf(worktree: string): Promise<GitOperation | null> {
  const res = await git(['rev-parse', '--path-format=absolute', ...GIT_PATH_ARGS], {
    cwd: worktree,
    readOnly: true,
    allowFail: true,
  });
  return res.exitCode === 0 ? operationFrom(res.stdout.trim().split('\n')) : null;
}

/** Parse `git status --porcelain=v2 --branch -z` (also used for worktrees read over SSH). */
export function parseStatus(text: string): Omit<WorktreeState, 'exists' | 'operation' | 'markers'> {
  const state = { branch: null as string | null, head: null as string | null };
  const dirty = { staged: 0, unstaged: 0, untracked: 0 };
  const changed: string[] = [];
  const fields = text.split('\0');
  for (let i = 0; i < fields.length; i++) {
    const f = fields[i]!;
    if (f.startsWith('# branch.oid ')) {
      const oid = f.slice(13);
      state.head = oid === '(initial)' ? null : oid;
    } else if (f.startsWith('# branch.head ')) {
      const b = f.slice(14);
      state.branch = b === '(detached)' ? null : b;
    } else if (f.startsWith('1 ') || f.startsWith('2 ') || f.startsWith('u ')) {
      const xy = f.slice(2, 4);
      if (f.startsWith('u ')) {
        dirty.unstaged++;
      } else {
        if (xy[0] !== '.') dirty.staged++;
        if (xy[1] !== '.') dirty.unstaged++;
      }
      // Rename entries carry the original path in the next NUL-separated field.
      const parts = f.split(' ');
      changed.push(parts.slice(f.startsWith('1 ') ? 8 : f.startsWith('2 ') ? 9 : 10).join(' '));
      if (f.startsWith('2 ')) i++;
    } else if (f.startsWith('? ')) {
      dirty.untracked++;
      changed.push(f.slice(2));
    }
  }
  return { ...state, dirty, changed };
}

export const STATUS_ARGS = ['status', '--porcelain=v2', '--branch', '-z', '--untracked-files=all'];

/** Read a worktree's branch, HEAD, dirtiness and operation; never takes `index.lock`. */
export async function readWorktree(worktree: string): Promise<WorktreeState> {
  if (!existsSync(worktree)) return NO_WORKTREE;
  // Two git processes, run side by side: where the worktree is (and its operation markers),
  // and its status.
  const [where, status] = await Promise.all([
    git(['rev-parse', '--path-format=absolute', '--show-toplevel', ...GIT_PATH_ARGS], {
      cwd: worktree,
      readOnly: true,
      allowFail: true,
    }),
    git(STATUS_ARGS, {
      cwd: worktree,
      readOnly: true,
      allowFail: true,
    }),
  ]);
  if (where.exitCode !== 0 || status.exitCode !== 0) return NO_WORKTREE;
  const [top, ...paths] = where.stdout.trim().split('\n');
  if (!top || realpathSync(top) !== realpathSync(worktree)) return NO_WORKTREE;
  return {
    exists: true,
    operation: operationFrom(paths),
    markers: paths,
    ...parseStatus(status.stdout),
  };
}

export function isClean(s: WorktreeState): boolean {
  return s.dirty.staged + s.dirty.unstaged + s.dirty.untracked === 0;
}
