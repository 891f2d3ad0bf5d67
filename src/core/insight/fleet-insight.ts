import type { ResolvedConfig } from '../../config/types.js';
import type { AgentStatus } from '../sessions/types.js';
import { currentBlock } from './blocks.js';
import { todayRange } from './dates.js';
import { readObserved, type ObservedSession } from './observed.js';
import { buildReport, type FleetReport } from './report.js';
import type { UsageToday } from './status-insight.js';
import { UsageReader, fleetEntries, summarizeUsage, type UsageOptions } from './usage.js';

/** What the TUI shows about cost, work done and observed sessions, read in one go. */
export interface FleetInsight {
  /** ISO time of the reading. */
  at: string;
  usageToday: Record<string, UsageToday>;
  costToday: number;
  /** `fleet-tui report` for today. */
  report: FleetReport;
  /** The fleet's current 5-hour usage window (ccusage's blocks), or null when none is open. */
  block: { costUsd: number; tokens: number; end: string } | null;
  observed: Record<string, ObservedSession | null>;
}

/**
 * Keep one per TUI: it reads only what the agents appended since the last read (today's
 * transcripts; `usage-today-cache.json` carries the offsets across restarts).
 */
export class InsightReader {
  private readonly usage: UsageReader;

  constructor(
    private readonly config: ResolvedConfig,
    opts: Pick<UsageOptions, 'env' | 'home' | 'cacheFile'> = {},
  ) {
    this.usage = new UsageReader(config, { ...opts, todayOnly: true, saveEveryMs: 60_000 });
  }

  async read(current?: Record<string, { status: AgentStatus }>): Promise<FleetInsight> {
    const usage = await this.usage.read();
    const range = todayRange();
    const sum = summarizeUsage(this.config, usage, range);
    const usageToday: Record<string, UsageToday> = {};
    for (const r of sum.instances)
      usageToday[r.id] = {
        costUsd: r.costUsd,
        inputTokens: r.inputTokens,
        outputTokens: r.outputTokens,
      };
    const b = currentBlock(fleetEntries(usage));
    return {
      at: new Date().toISOString(),
      usageToday,
      costToday: sum.total.costUsd,
      report: await buildReport(this.config, { range, usage, ...(current ? { current } : {}) }),
      block: b
        ? {
            costUsd: b.costUsd,
            tokens: b.inputTokens + b.outputTokens + b.cacheCreationTokens + b.cacheReadTokens,
            end: b.end.toISOString(),
          }
        : null,
      observed: await readObserved(this.config, usage.byInstance),
    };
  }
}
