// What `status` runs, loaded after its config (see commands/index.ts: a config error is answered
// without loading git, land and sessions).
export { collectStatus } from '../../core/git/index.js';
export { needsRecovery } from '../../core/land/index.js';
export { readAgentStates } from '../../core/sessions/index.js';
