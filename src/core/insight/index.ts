// Fleet insight: cost and usage from the agents' transcripts, role scope, what got done.
export { UsageReader, summarizeUsage, fleetEntries, type UsageRow } from './usage.js';
export { currentBlock } from './blocks.js';
export { dayRange, todayRange } from './dates.js';
export { buildReport, type ReportRow } from './report.js';
export { InsightReader } from './fleet-insight.js';
export { instanceScope } from './scope-git.js';
