// What `status` runs, loaded after its config (see commands/index.ts: a config error is answered
// without loading git, land and sessions), from the modules that hold it (not the engines'
// index files, which would load all of land and sessions).
export { collectFleetStatus } from '../../core/hosts/status.js';
export { needsRecovery } from '../../core/land/recover.js';
export { readAgentStates } from '../../core/sessions/status/read-states.js';
export { scopeSink, startUsageToday, statusInsight } from '../../core/insight/status-insight.js';
export { batchGitSpawns } from '../../core/git/run-batch.js';
