import type { ResolvedConfig } from '../../config/types.js';
import { mapLimit } from '../git/parallel.js';
import type { InstanceGitStatus, StatusSink } from '../git/status-types.js';
import { todayRange } from './dates.js';
import { scopeGlobs, type Scope } from './scope.js';
import { fleetScopes, readCommitted, type CommittedRead } from './scope-batch.js';
import { instanceScope } from './scope-git.js';
import { UsageReader, summarizeUsage } from './usage.js';

/** `status --json` → each row's `"usageToday"` (zeros when the instance has no call today). */
export interface UsageToday {
  costUsd: number;
  inputTokens: number;
  outputTokens: number;
}

/** What insight adds to a status row: `"scope"` and `"usageToday"` (issue 17's contract). */
export interface StatusInsight {
  scope: Scope;
  usageToday: UsageToday;
}

const ZERO: UsageToday = { costUsd: 0, inputTokens: 0, outputTokens: 0 };

/**
 * Today's cost and tokens per instance. Reads only transcripts written today, from where the
 * last reader stopped (`usage-today-cache.json`): a month of history costs one `stat` per file.
 */
async function readUsageToday(
  config: ResolvedConfig,
  opts: { env?: NodeJS.ProcessEnv; home?: string } = {},
): Promise<Map<string, UsageToday>> {
  const usage = await new UsageReader(config, { ...opts, todayOnly: true }).read();
  const { instances } = summarizeUsage(config, usage, todayRange());
  return new Map(
    instances.map((r) => [
      r.id,
      { costUsd: r.costUsd, inputTokens: r.inputTokens, outputTokens: r.outputTokens },
    ]),
  );
}

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

/** Today's usage, started early and awaited late: never rejects (a failure is a warning). */
export function startUsageToday(config: ResolvedConfig): Promise<Map<string, UsageToday> | string> {
  return readUsageToday(config).catch((e: unknown) => `usage today not read: ${message(e)}`);
}

/**
 * A status read's sink that also starts the committed half of every scope (scope-batch.ts) as
 * soon as the heads are listed, beside the rows' own reads rather than after them.
 */
export interface ScopeSink extends StatusSink {
  committed?: Promise<CommittedRead | null>;
}

export function scopeSink(config: ResolvedConfig): ScopeSink {
  const sink: ScopeSink = { statusTexts: new Map() };
  // No role with paths: no scope to read, and no git for it.
  if (config.instances.some((i) => scopeGlobs(config, i).paths.length > 0)) {
    sink.onHeads = (heads, tip) => {
      // null = no quick answer: committedByHead asks again, and failing that each row falls
      // back to its per-instance read, which reports its own warning.
      sink.committed = readCommitted(config, heads, tip).catch(() => null);
    };
  }
  return sink;
}

/** Scopes of the rows whose `git status` output the status read kept, for the fleet at once. */
async function batchScopes(
  config: ResolvedConfig,
  rows: readonly InstanceGitStatus[],
  sink: ScopeSink,
): Promise<Map<string, Scope>> {
  const byInst = new Map(config.instances.map((i) => [i.id, i]));
  const inputs = rows.flatMap((r) => {
    const instance = byInst.get(r.id);
    const statusText = sink.statusTexts.get(r.id);
    if (!instance || !r.exists || statusText === undefined) return [];
    return [{ instance, head: r.head, ahead: r.ahead, statusText }];
  });
  // Any failure leaves every row to the per-instance read, which reports its own warning.
  return fleetScopes(config, inputs, sink.committed).catch(() => new Map<string, Scope>());
}

/**
 * Scope and today's usage for each status row. Scope runs git only for what the row says is
 * there (commits ahead of main, dirty files); with the status read's `sink` (scopeSink: each
 * local worktree's `git status` output, and the fleet's commits read as soon as the heads were
 * listed) it reads nothing again per instance (scope-batch.ts). A failure to read transcripts
 * or git is one warning, and the row keeps empty figures rather than failing `status`.
 */
export async function statusInsight(
  config: ResolvedConfig,
  rows: readonly InstanceGitStatus[],
  usage: Promise<Map<string, UsageToday> | string>,
  sink?: ScopeSink,
): Promise<{ byId: Map<string, StatusInsight>; warnings: string[] }> {
  const warnings: string[] = [];
  const byInst = new Map(config.instances.map((i) => [i.id, i]));
  const batch = sink ? await batchScopes(config, rows, sink) : new Map<string, Scope>();
  const scopes = await mapLimit([...rows], 12, async (r): Promise<Scope> => {
    const inst = byInst.get(r.id);
    if (!inst || !r.exists) return { outside: [] };
    const known = batch.get(r.id);
    if (known) return known;
    const dirty = r.dirty.staged + r.dirty.unstaged + r.dirty.untracked;
    try {
      return await instanceScope(config, inst, { ahead: r.ahead, dirty });
    } catch (e) {
      warnings.push(`${r.id}: role scope not read: ${message(e)}`);
      return { outside: [] };
    }
  });
  const read = await usage;
  if (typeof read === 'string') warnings.push(read);
  const today = typeof read === 'string' ? new Map<string, UsageToday>() : read;
  const byId = new Map<string, StatusInsight>();
  rows.forEach((r, i) =>
    byId.set(r.id, { scope: scopes[i]!, usageToday: today.get(r.id) ?? { ...ZERO } }),
  );
  return { byId, warnings };
}
