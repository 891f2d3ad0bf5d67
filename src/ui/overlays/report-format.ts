import type { FleetReport } from '../../core/insight/report.js';
import { perCommit, reportCells, timeBar, usd } from '../../text/report-table.js';

type Row = FleetReport['fleet'];

/** A cost as a bar against the largest cost of the table. */
function costBar(usd: number, max: number, cells: number): string {
  const n = max > 0 ? Math.round((usd / max) * cells) : 0;
  return '■'.repeat(n).padEnd(cells, ' ');
}

/** One table line: the same columns as `fleet-tui report`, plus a cost bar. */
export function reportLine(r: Row, maxCost: number): string {
  return [
    ...reportCells(r),
    timeBar(r.secondsIn, 12),
    usd(r.costUsd).padStart(8),
    perCommit(r).padStart(9),
    costBar(r.costUsd, maxCost, 10),
  ].join(' ');
}

export const REPORT_HEADER =
  'instance   landed conflicts pushes working waiting    idle time (█▓░·)     cost $/commit cost';
