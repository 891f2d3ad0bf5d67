// Fleet insight: cost and usage from the agents' transcripts, role scope, what got done.
export {
  UsageReader,
  summarizeUsage,
  fleetEntries,
  type UsageRow,
  type FleetUsage,
} from './usage.js';
export { currentBlock, usageBlocks, type UsageBlock } from './blocks.js';
export { dayRange, todayRange, dayOf, type DayRange } from './dates.js';
export { PRICE_SNAPSHOT } from './prices.js';
export { outsideScope, scopeGlobs, scopeMatcher, type Scope } from './scope.js';
export { instanceScope, touchedFiles } from './scope-git.js';
export { buildReport, type FleetReport, type ReportRow } from './report.js';
export { landFacts, readLandLog, type LandFacts } from './land-log.js';
export { secondsIn, statusTimeline, type SecondsIn } from './status-time.js';
