// The migration guard's public API: the CLI, the TUI and the land engine call only these.
export type { CheckReport } from './types.js';
export { checkFleet, checkRepo } from './check.js';
export { nextVersion, createMigration } from './create.js';
export { watchMigrations, type MigrationWatch } from './watch.js';
export { migrationGate } from './land-gate.js';
export { checkPush, pushedShas } from './pre-push.js';
export { utcDay } from './bands.js';
export { formatProblem } from './format.js';
