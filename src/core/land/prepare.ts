import type { ResolvedConfig, ResolvedInstance } from '../../config/types.js';
import type { HostFacts } from '../hosts/land-fetch.js';
import { chainWithGate, type GatedChain } from './chain.js';
import type { LandGate } from './gate.js';
import { existsSync } from 'node:fs';
import { ensureLander, landerPath } from './lander.js';
import { isCandidate, planInstances, type PlannedInstance } from './plan.js';
import type { ReplayContext } from './replay.js';
import { judgeScope } from './scope-check.js';
import type { LandProgress } from './types.js';

/**
 * The local part of a land on a given main: plan, scope, the lander, the first chain (replayed,
 * content-checked, gated). Nothing in it moves a branch or talks to the remote, so it can run
 * while the fetch is on the wire, on the main we already have: when the fetch leaves main where
 * it was (the usual case for a fleet that lands through fleet-tui), the result is exactly what
 * the same steps would compute after the fetch, and is used as it is; otherwise it is dropped and
 * the steps run again on the fetched main. What it would tell the person (progress, notices) is
 * held back until it is used.
 */
export interface Prepared {
  base: string;
  planned: PlannedInstance[];
  candidates: PlannedInstance[];
  lander: string | null;
  /** The first chain on `base` (null: nothing to replay). */
  chain: GatedChain | null;
  /** Say what was held back (progress, notices), in order. */
  tell(): void;
}

export interface PrepareRun {
  config: ResolvedConfig;
  commonDir: string;
  insts: ResolvedInstance[];
  base: string;
  /** Awaited only when the chain is built (the committer is read beside the fleet). */
  ctx: ReplayContext | Promise<ReplayContext>;
  gate: LandGate | null;
  hostFacts: ReadonlyMap<string, HostFacts> | undefined;
  progress: (p: LandProgress) => void;
  onNotice?: (text: string) => void;
  /** While a fetch runs: settles when it is over (true: it worked). */
  fetched?: Promise<boolean>;
}

export async function prepare(run: PrepareRun): Promise<Prepared> {
  const held: Array<() => void> = [];
  const progress = (p: LandProgress) => held.push(() => run.progress(p));
  const onNotice = (t: string) => held.push(() => run.onNotice?.(t));
  const { config, base } = run;
  // The lander depends on nothing but main: it is made ready while the fleet is read (it stays
  // between lands, so this is usually one look at it). Adding it is left until the fetch is
  // over: a fetch reads every worktree's HEAD, and one being added is not valid yet ("bad
  // object worktrees/lander/HEAD").
  const make = () => ensureLander(run.commonDir, config.rootDir, base);
  const landerReady =
    run.fetched && !existsSync(landerPath(run.commonDir))
      ? run.fetched.then((ok) => {
          if (!ok) throw new Error('the fetch failed: no lander is made');
          return make();
        })
      : make();
  landerReady.catch(() => undefined); // awaited below, or not needed
  const planned = await planInstances(config, run.insts, base, undefined, run.hostFacts);
  // 'warn' only tells: it runs beside the chain; 'block' decides what the chain holds.
  const scope = judgeScope(config, planned, { onNotice });
  if (config.land.scope === 'block') await scope;
  else scope.catch(() => undefined);
  planned
    .filter((p) => p.result.outcome === 'blocked')
    .forEach((p) => progress({ id: p.inst.id, phase: 'blocked', detail: p.result.reason }));
  const candidates = planned.filter(isCandidate);
  let lander: string | null = null;
  let chain: GatedChain | null = null;
  if (candidates.length > 0) {
    const ctx = await run.ctx;
    ctx.writer.start();
    chain = await chainWithGate(config, ctx, base, candidates, run.gate, landerReady, progress);
    lander = await landerReady;
  }
  await scope;
  // Not left running when nothing needed it (it may be adding the worktree).
  await landerReady.catch(() => null);
  return { base, planned, candidates, lander, chain, tell: () => held.forEach((f) => f()) };
}
