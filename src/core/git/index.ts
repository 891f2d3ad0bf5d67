// The git engine's public API (the TUI and the CLI call these).
export { collectStatus, statusOf, mainRef } from './status.js';
export type { InstanceGitStatus } from './status-types.js';
export {
  upFleet,
  downInstance,
  unlandedCommits,
  type UpResult,
  type DownResult,
} from './worktree.js';
export { readWorktree, type WorktreeState, type GitOperation } from './worktree-state.js';
export { git, gitOut, observeGit, GitError } from './run.js';
