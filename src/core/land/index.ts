// Landing's public API (the TUI's push keys and the CLI call these).
export { land } from './land.js';
export { syncInstance, syncAll, syncInstances } from './sync-api.js';
export { recover, needsRecovery } from './recover.js';
export type * from './types.js';
