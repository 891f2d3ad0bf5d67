// Landing's public API (the TUI's push keys and the CLI call these).
export { land, type LandRunOptions } from './land.js';
export { syncInstance, syncAll, syncInstances } from './sync-api.js';
export type { SyncResult } from './sync.js';
export { recover, needsRecovery, type RecoverReport } from './recover.js';
export { noGate, type LandGate, type GateInput, type GateVerdict } from './gate.js';
export type * from './types.js';
