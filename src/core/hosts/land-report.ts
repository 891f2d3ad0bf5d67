import type { ResolvedConfig } from '../../config/types.js';
import type { LandReport } from '../land/types.js';
import { sessionsSince, type HostCount } from './counters.js';

/**
 * `land --json` gains `hostConnections`: SSH sessions opened to each host during this land
 * (each one channel over the host's one shared connection). Absent for a fleet without hosts,
 * whose report stays exactly as it was.
 */
export function withHostConnections(
  config: ResolvedConfig,
  report: LandReport,
  before: Map<string, HostCount>,
): LandReport {
  const hosts = Object.keys(config.hosts);
  if (hosts.length === 0) return report;
  return { ...report, hostConnections: sessionsSince(before, hosts) };
}
