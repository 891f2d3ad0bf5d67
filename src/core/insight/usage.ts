import { realpathSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { ResolvedConfig, ResolvedInstance } from '../../config/types.js';
import { fleetDir } from '../git/repo.js';
import { commonDirOf } from '../sessions/git-dirs.js';
import { claudeConfigDirs, encodeProjectDir } from './claude-transcripts.js';
import { codexSessionsDir } from './codex-sessions.js';
import { todayRange, type DayRange } from './dates.js';
import {
  claudeCost,
  codexCost,
  findCodexPrice,
  findPrice,
  loadPrices,
  type PriceTable,
} from './prices.js';
import { TranscriptStore, isUnder, type TranscriptKind } from './transcript-store.js';
import type { UsageEntry } from './usage-entry.js';

export interface PricedEntry extends UsageEntry {
  costUsd: number;
}

/** One row of `fleet-tui usage --json` (and its `total`). */
export interface UsageRow {
  id: string;
  agent: string;
  costUsd: number;
  inputTokens: number;
  outputTokens: number;
  cacheCreationTokens: number;
  cacheReadTokens: number;
  sessions: number;
}

export interface UsageOptions {
  env?: NodeJS.ProcessEnv;
  home?: string;
  /** A LiteLLM price table to use instead of the shipped snapshot. */
  pricesFile?: string;
  /** Where to remember offsets; default `<git common dir>/fleet-tui/usage-cache.json`, null: none. */
  cacheFile?: string | null;
  /** Rewrite the cache file at most this often (default 0: after every read that found news).
   * A long-running reader (the TUI) passes ~60 s: a month of calls is a ~15 MB file. */
  saveEveryMs?: number;
  /**
   * Keep only today's calls (local day; moves at midnight) and skip files not written today:
   * what `status` and the TUI show, without paying for a month. Its own cache file
   * (`usage-today-cache.json`), so it never shrinks the full one.
   */
  todayOnly?: boolean;
}

/** Every instance's model calls, deduplicated and priced. */
export interface FleetUsage {
  byInstance: Map<string, PricedEntry[]>;
  /** Models the price table does not know (their calls count 0 USD). */
  unpriced: Set<string>;
}

/** The worktree path as configured and as the OS resolves it (agents record the resolved one). */
function pathsOf(p: string): string[] {
  try {
    const real = realpathSync(p);
    return real === p ? [p] : [p, real];
  } catch {
    return [p];
  }
}

async function listJsonl(dir: string): Promise<string[]> {
  try {
    const names = await readdir(dir, { recursive: true });
    return names.filter((n) => n.endsWith('.jsonl')).map((n) => path.join(dir, n));
  } catch {
    return []; // no transcripts there (yet)
  }
}

/**
 * Reads the fleet's transcripts. Keep one per process (the TUI) to pay only for what was appended
 * since the last `read()`; the cache file carries the offsets to the next process.
 */
export class UsageReader {
  private readonly store: TranscriptStore;
  private readonly prices: PriceTable;
  private loaded = false;
  /** Priced calls per file, extended as the file grows (pricing is the costly part of a read). */
  private priced = new Map<string, { from: UsageEntry[]; n: number; priced: PricedEntry[] }>();
  private readonly unpriced = new Set<string>();
  private last: { version: number; files: string; usage: FleetUsage } | null = null;

  constructor(
    private readonly config: ResolvedConfig,
    private readonly opts: UsageOptions = {},
  ) {
    const cacheFile =
      opts.cacheFile === undefined
        ? path.join(
            fleetDir(commonDirOf(config.rootDir)),
            opts.todayOnly ? 'usage-today-cache.json' : 'usage-cache.json',
          )
        : opts.cacheFile;
    this.store = new TranscriptStore(
      cacheFile,
      pathsOf(config.rootDir),
      opts.todayOnly ? () => todayRange().fromMs : null,
    );
    this.prices = loadPrices(opts.pricesFile);
  }

  /** Bytes of transcript the last read() went through. */
  get bytesRead(): number {
    return this.store.bytesRead;
  }

  async read(): Promise<FleetUsage> {
    if (!this.loaded) {
      await this.store.load();
      this.loaded = true;
    }
    const env = this.opts.env ?? process.env;
    const home = this.opts.home ?? os.homedir();
    // Every directory listed at once (a cold `status` waited for them one by one), the files
    // taken in the same order as before: the list is part of what says nothing changed.
    const where = claudeConfigDirs(env, home).flatMap((dir) =>
      this.config.instances.flatMap((inst) =>
        pathsOf(inst.worktreePath).map((p) => ({
          inst,
          dir: path.join(dir, 'projects', encodeProjectDir(p)),
        })),
      ),
    );
    const [codexListed, ...listed] = await Promise.all([
      listJsonl(codexSessionsDir(env, home)),
      ...where.map((w) => listJsonl(w.dir)),
    ]);
    const claudeFiles = new Map<string, ResolvedInstance>();
    where.forEach((w, k) => {
      for (const f of listed[k]!) claudeFiles.set(f, w.inst);
    });
    const codexFiles = codexListed.filter((f) => path.basename(f).startsWith('rollout-'));
    const list: Array<{ file: string; kind: TranscriptKind }> = [
      ...[...claudeFiles.keys()].map((file) => ({ file, kind: 'claude' as const })),
      ...codexFiles.map((file) => ({ file, kind: 'codex' as const })),
    ];
    await this.store.refresh(list);
    await this.store.save(this.opts.saveEveryMs ?? 0);
    // Nothing appended anywhere and the same files: the last answer still holds.
    const files = list.map((l) => l.file).join('\0');
    if (this.last?.version === this.store.version && this.last.files === files)
      return this.last.usage;

    const result: FleetUsage = { byInstance: new Map(), unpriced: this.unpriced };
    for (const inst of this.config.instances) result.byInstance.set(inst.id, []);
    const add = (inst: ResolvedInstance, e: PricedEntry) => result.byInstance.get(inst.id)!.push(e);
    const live = new Set(list.map((l) => l.file));
    for (const f of [...this.priced.keys()]) if (!live.has(f)) this.priced.delete(f);

    // ccusage: files in the order of their first call, the first copy of a call wins (a resumed
    // session repeats its history in the new file).
    const seen = new Set<string>();
    const claudeOrdered = [...claudeFiles.keys()]
      .map((f) => ({ f, first: this.store.entries(f)[0]?.t ?? Infinity }))
      .sort((a, b) => a.first - b.first);
    for (const { f } of claudeOrdered)
      for (const e of this.pricedEntries(f)) {
        if (e.key) {
          if (seen.has(e.key)) continue;
          seen.add(e.key);
        }
        add(claudeFiles.get(f)!, e);
      }
    const roots = this.config.instances.flatMap((inst) =>
      pathsOf(inst.worktreePath).map((p) => ({ p, inst })),
    );
    for (const f of codexFiles)
      for (const e of this.pricedEntries(f)) {
        // The deepest worktree holding the session's directory owns the call.
        const owner = roots
          .filter((r) => e.cwd && isUnder(e.cwd, r.p))
          .sort((a, b) => b.p.length - a.p.length)[0];
        if (owner) add(owner.inst, e);
      }
    this.last = { version: this.store.version, files, usage: result };
    return result;
  }

  private pricedEntries(file: string): PricedEntry[] {
    const entries = this.store.entries(file);
    let p = this.priced.get(file);
    // The store appends to a file's array as the file grows and starts a new array when it is
    // read again from the start.
    if (!p || p.from !== entries || p.n > entries.length) {
      p = { from: entries, n: 0, priced: [] };
      this.priced.set(file, p);
    }
    for (; p.n < entries.length; p.n++) {
      const e = entries[p.n]!;
      p.priced.push({ ...e, costUsd: this.cost(e, this.unpriced) });
    }
    return p.priced;
  }

  private cost(e: UsageEntry, unpriced: Set<string>): number {
    if (e.cost !== null) return e.cost;
    if (!e.model || e.model === '<synthetic>') return 0;
    const price =
      e.source === 'claude'
        ? findPrice(this.prices, e.model)
        : findCodexPrice(this.prices, e.model);
    if (!price) {
      unpriced.add(e.model);
      return 0;
    }
    return e.source === 'claude' ? claudeCost(e, price, e.speed ?? undefined) : codexCost(e, price);
  }
}

function emptyRow(id: string, agent: string): UsageRow {
  return {
    id,
    agent,
    costUsd: 0,
    inputTokens: 0,
    outputTokens: 0,
    cacheCreationTokens: 0,
    cacheReadTokens: 0,
    sessions: 0,
  };
}

/** Cents are what people read; keep a little more so sums of rows still match the total. */
const round = (usd: number) => Math.round(usd * 1e6) / 1e6;

/** Per instance (config order) and for the fleet: the calls made within `range`. */
export function summarizeUsage(
  config: ResolvedConfig,
  usage: FleetUsage,
  range: Pick<DayRange, 'fromMs' | 'toMs'>,
): { instances: UsageRow[]; total: UsageRow } {
  const total = emptyRow('total', 'all');
  let totalSessions = 0;
  const instances = config.instances.map((inst) => {
    const row = emptyRow(inst.id, inst.agent);
    const sessions = new Set<string>();
    for (const e of usage.byInstance.get(inst.id) ?? []) {
      if (e.t < range.fromMs || e.t >= range.toMs) continue;
      row.costUsd += e.costUsd;
      row.inputTokens += e.input;
      row.outputTokens += e.output;
      row.cacheCreationTokens += e.cacheCreation;
      row.cacheReadTokens += e.cacheRead;
      sessions.add(e.sessionId);
    }
    row.sessions = sessions.size;
    total.costUsd += row.costUsd;
    total.inputTokens += row.inputTokens;
    total.outputTokens += row.outputTokens;
    total.cacheCreationTokens += row.cacheCreationTokens;
    total.cacheReadTokens += row.cacheReadTokens;
    totalSessions += row.sessions;
    row.costUsd = round(row.costUsd);
    return row;
  });
  total.sessions = totalSessions;
  total.costUsd = round(total.costUsd);
  return { instances, total };
}

/** All of the fleet's calls in one list (for the 5-hour window, which is per fleet). */
export function fleetEntries(usage: FleetUsage): PricedEntry[] {
  return [...usage.byInstance.values()].flat();
}
