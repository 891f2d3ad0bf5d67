// The git engine's public API (the TUI and the CLI call these).
export { collectStatus, statusOf } from './status.js';
export { upFleet, downInstance, instanceById } from './worktree.js';
