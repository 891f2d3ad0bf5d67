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
  return versionsFrom(model, '');
}

/** The versions starting with `prefix` anywhere in the model. */
function versionsFrom(model: FleetModel, prefix: string): Set<string> {
  const set = new Set<string>(model.main.versionsFrom(prefix));
  for (const inst of model.instances)
    for (const e of inst.added) if (e.version.startsWith(prefix)) set.add(e.version);
  return set;
}

/** Hands out distinct next-free versions for fixes: one per file, never the same twice. */
export function makeSuggester(model: FleetModel, s: ReportSettings): RuleContext['suggest'] {
  const memo = new Map<string, string | null>();
  const day = s.day ?? utcDay();
  const bandList = Object.values(s.bands);
  // nextSlot reads only the day's versions; gathered at the first suggestion (most checks make none).
  let taken: Set<string> | undefined;
  return (instance, p) => {
    const key = `${instance}\0${p}`;
    if (memo.has(key)) return memo.get(key)!;
    taken ??= versionsFrom(model, day);
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
  // Main's, and the instances' that main does not hold.
  const ids = new Set<string>();
  for (const inst of model.instances)
    for (const e of inst.added) if (!model.main.holds(e)) ids.add(identity(e));
  return {
    ok: !problems.some((p) => p.severity === 'error'),
    migrations: model.main.count + ids.size,
    problems,
  };
}
