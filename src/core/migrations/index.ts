// The migration guard's public API: the CLI, the TUI and the land engine call only these.
export type { CheckReport, MigrationProblem, ProblemFile, RuleId, Severity } from './types.js';
export { checkFleet, checkRepo, readFleet, type RepoCheckOptions } from './check.js';
export { nextVersion, createMigration } from './create.js';
export { watchMigrations, type MigrationWatch, type WatchOptions } from './watch.js';
export { migrationGate } from './land-gate.js';
export { checkPush, pushedShas } from './pre-push.js';
export { RULES, runRules, normalizeName, type Rule, type RuleContext } from './rules/index.js';
export { bandOf, nextSlot, utcDay } from './bands.js';
export { formatProblem } from './format.js';
