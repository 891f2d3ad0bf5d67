import { bandOf, nextSlot, utcDay } from './bands.js';
import { identity, type FleetModel } from './model.js';
import { runRules, type RuleContext } from './rules/index.js';
import type { CheckReport } from './types.js';

export interface ReportSettings {
  outOfOrder: 'warn' | 'error';
  bandStep: number;
  bands: Record<string, string>;
  pattern: string;
  mainRef: string;
  /** Instance id → SSH host, for instances on hosts. */
  hosts?: Record<string, string>;
  /** Day that fix suggestions allocate in (YYYYMMDD, UTC); default today. */
  day?: string;
}

/** Every version anywhere in the model (main, every branch, every worktree). */
export function allVersions(model: FleetModel): Set<string> {
  const set = new Set<string>();
  for (const e of model.main.entries) set.add(e.version);
  for (const inst of model.instances) for (const e of inst.added) set.add(e.version);
  return set;
}

/** Hands out distinct next-free versions for fixes: one per file, never the same twice. */
export function makeSuggester(model: FleetModel, s: ReportSettings): RuleContext['suggest'] {
  const taken = allVersions(model);
  const memo = new Map<string, string | null>();
  const day = s.day ?? utcDay();
  const bandList = Object.values(s.bands);
  return (instance, p) => {
    const key = `${instance}\0${p}`;
    if (memo.has(key)) return memo.get(key)!;
    const band = s.bands[instance];
    const v = band === undefined ? null : nextSlot(day, bandOf(band, bandList), s.bandStep, taken);
    if (v) taken.add(v);
    memo.set(key, v);
    return v;
  };
}

/** Run the rules and shape the `check --json` report. */
export function buildReport(model: FleetModel, s: ReportSettings): CheckReport {
  const ctx: RuleContext = {
    outOfOrder: s.outOfOrder,
    bands: s.bands,
    pattern: s.pattern,
    mainRef: s.mainRef,
    ...(s.hosts ? { hosts: s.hosts } : {}),
    suggest: makeSuggester(model, s),
  };
  const problems = runRules(model, ctx);
  const ids = new Set<string>();
  for (const e of model.main.entries) ids.add(identity(e));
  for (const inst of model.instances) for (const e of inst.added) ids.add(identity(e));
  return { ok: !problems.some((p) => p.severity === 'error'), migrations: ids.size, problems };
}
