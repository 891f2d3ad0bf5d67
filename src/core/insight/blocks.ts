import type { PricedEntry } from './usage.js';

/** ccusage's billing window: 5 hours from the hour of the first call after a quiet spell. */
const BLOCK_MS = 5 * 60 * 60 * 1000;

export interface UsageBlock {
  start: Date;
  end: Date;
  /** The last call in the window. */
  lastAt: Date;
  active: boolean;
  costUsd: number;
  inputTokens: number;
  outputTokens: number;
  cacheCreationTokens: number;
  cacheReadTokens: number;
  calls: number;
}

function floorToHour(t: number): number {
  const d = new Date(t);
  d.setUTCMinutes(0, 0, 0);
  return d.getTime();
}

/**
 * The windows ccusage's `blocks` shows: a window starts at the (UTC) hour of a call and ends 5
 * hours later; a call after the window's end, or more than 5 hours after the previous call, opens
 * a new window. Gaps between windows are not returned.
 */
export function usageBlocks(entries: readonly PricedEntry[], now = new Date()): UsageBlock[] {
  const sorted = [...entries].sort((a, b) => a.t - b.t);
  const blocks: UsageBlock[] = [];
  let cur: { start: number; items: PricedEntry[] } | null = null;
  const close = () => {
    if (!cur) return;
    const last = cur.items[cur.items.length - 1]!.t;
    const end = cur.start + BLOCK_MS;
    const b: UsageBlock = {
      start: new Date(cur.start),
      end: new Date(end),
      lastAt: new Date(last),
      active: now.getTime() - last < BLOCK_MS && now.getTime() < end,
      costUsd: 0,
      inputTokens: 0,
      outputTokens: 0,
      cacheCreationTokens: 0,
      cacheReadTokens: 0,
      calls: cur.items.length,
    };
    for (const e of cur.items) {
      b.costUsd += e.costUsd;
      b.inputTokens += e.input;
      b.outputTokens += e.output;
      b.cacheCreationTokens += e.cacheCreation;
      b.cacheReadTokens += e.cacheRead;
    }
    blocks.push(b);
  };
  for (const e of sorted) {
    if (cur) {
      const prev = cur.items[cur.items.length - 1]!.t;
      if (e.t - cur.start > BLOCK_MS || e.t - prev > BLOCK_MS) {
        close();
        cur = null;
      }
    }
    if (cur) cur.items.push(e);
    else cur = { start: floorToHour(e.t), items: [e] };
  }
  close();
  return blocks;
}

/** The window in force now for the whole fleet, or null when no call was made in it. */
export function currentBlock(entries: readonly PricedEntry[], now = new Date()): UsageBlock | null {
  // All of history, not just the last hours: where a window starts depends on the calls before it.
  const last = usageBlocks(entries, now).at(-1);
  return last?.active ? last : null;
}
