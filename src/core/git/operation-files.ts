import type { GitOperation } from './worktree-state.js';

/**
 * The files in a worktree's git dir that say an operation is under way, in the order git's own
 * status reads them: a bisect can be under way while one of the others is too, so it is last.
 * Read locally (worktree state, worktree list) and on SSH hosts (one `--git-path` each).
 */
export const OPERATION_FILES: ReadonlyArray<readonly [string, GitOperation]> = [
  ['rebase-merge', 'rebase'],
  ['rebase-apply', 'rebase'],
  ['MERGE_HEAD', 'merge'],
  ['CHERRY_PICK_HEAD', 'cherry-pick'],
  ['REVERT_HEAD', 'revert'],
  ['BISECT_LOG', 'bisect'],
];
