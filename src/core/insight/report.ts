import type { ResolvedConfig } from '../../config/types.js';
import { commonDirOf } from '../sessions/git-dirs.js';
import { eventFilePath, readEventsFrom } from '../sessions/status/event-file.js';
import type { AgentStatus } from '../sessions/types.js';
import type { DayRange } from './dates.js';
import { landFacts, readLandLog } from './land-log.js';
import { secondsIn, statusTimeline, type SecondsIn } from './status-time.js';
import { summarizeUsage, type FleetUsage } from './usage.js';

/** One row of `fleet-tui report --json` (and its `fleet`). */
export interface ReportRow {
  id: string;
  landed: number;
  conflicts: number;
  pushesSaved: number;
  secondsIn: SecondsIn;
  costUsd: number;
}

export interface FleetReport {
  since: string;
  until: string;
  instances: ReportRow[];
  fleet: ReportRow;
}

export interface ReportInputs {
  range: DayRange;
  now?: Date;
  /** From a UsageReader; cost counts 0 without it. */
  usage?: FleetUsage;
  /** The agents' status now (readAgentStates): a gone agent's last status ends at its event. */
  current?: Record<string, { status: AgentStatus }>;
}

/**
 * What got done: per configured instance and for the fleet, commits landed, conflicts met,
 * pushes saved, seconds in each status and cost, within the range (up to now).
 */
export async function buildReport(
  config: ResolvedConfig,
  inputs: ReportInputs,
): Promise<FleetReport> {
  const { range } = inputs;
  const now = (inputs.now ?? new Date()).getTime();
  const end = Math.min(range.toMs, now);
  const commonDir = commonDirOf(config.rootDir);
  const lands = landFacts(await readLandLog(commonDir), range.fromMs, end);
  const cost = inputs.usage
    ? summarizeUsage(config, inputs.usage, { fromMs: range.fromMs, toMs: end })
    : null;
  const fleet: ReportRow = {
    id: 'fleet',
    ...lands.fleet,
    secondsIn: { working: 0, waiting: 0, idle: 0, stopped: 0 },
    costUsd: cost?.total.costUsd ?? 0,
  };
  const instances: ReportRow[] = [];
  for (const [i, inst] of config.instances.entries()) {
    // Event files stay under ~1 MB (rotated), so reading one whole is cheap.
    const { events } = await readEventsFrom(eventFilePath(commonDir, inst.id), 0);
    const cur = inputs.current?.[inst.id]?.status;
    const running = cur === undefined || !['stopped', 'exited', 'crashed'].includes(cur);
    const secs = secondsIn(statusTimeline(events), range.fromMs, end, running);
    for (const k of Object.keys(secs) as Array<keyof SecondsIn>) fleet.secondsIn[k] += secs[k];
    const l = lands.byInstance.get(inst.id);
    instances.push({
      id: inst.id,
      landed: l?.landed ?? 0,
      conflicts: l?.conflicts ?? 0,
      pushesSaved: l?.pushesSaved ?? 0,
      secondsIn: secs,
      costUsd: cost?.instances[i]?.costUsd ?? 0,
    });
  }
  return { since: range.since, until: range.until, instances, fleet };
}
