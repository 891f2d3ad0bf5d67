// The migration guard's public API: the TUI and the land engine call these; the CLI loads each
// subcommand's part directly (check, create, pre-push, watch, format) so a check never loads the watcher.
export type { CheckReport } from './types.js';
export { checkFleet, checkRepo } from './check.js';
export { nextVersion, createMigration } from './create.js';
export { watchMigrations, type MigrationWatch } from './watch.js';
export { migrationGate } from './land-gate.js';
export { utcDay } from './bands.js';
