import type { ResolvedConfig } from '../../config/types.js';
import { gitOut } from '../git/run.js';
import type { LandGate } from './gate.js';
import { checkoutLander } from './lander.js';
import type { PlannedInstance } from './plan.js';
import { buildChain } from './content-check.js';
import type { ReplayContext, ReplayInput, ReplayStep } from './replay.js';
import type { LandProgress } from './types.js';

/**
 * Build the chain for the candidates on `base`, mark conflicts, run the gate (dropping the
 * instances it blocks and rebuilding without them) and return the steps that will be pushed.
 */
export interface GatedChain {
  tip: string;
  steps: ReplayStep[];
  /** The commit the lander has checked out now (the gate's), if this call checked one out. */
  landerAt: string | null;
}

export async function chainWithGate(
  config: ResolvedConfig,
  ctx: ReplayContext,
  base: string,
  candidates: PlannedInstance[],
  gate: LandGate | null,
  /** Awaited only when the gate needs the checkout (it may still be being made). */
  landerReady: string | null | Promise<string>,
  progress: (p: LandProgress) => void,
): Promise<GatedChain> {
  let landerAt: string | null = null;
  let pool = candidates;
  for (;;) {
    pool.forEach((p) => progress({ id: p.inst.id, phase: 'replaying' }));
    const chain = await buildChain(ctx, base, pool.map(replayInput));
    for (const r of chain.refusals) {
      const p = pool.find((x) => x.inst.id === r.id)!;
      p.result = { ...p.result, outcome: r.outcome, files: r.files, reason: r.reason };
      progress({ id: r.id, phase: r.outcome, detail: r.reason });
    }
    for (const id of chain.already) {
      const p = pool.find((x) => x.inst.id === id)!;
      p.result = {
        ...p.result,
        outcome: 'nothing',
        reason: `its changes are already on ${config.remote}/${config.mainBranch}`,
      };
      progress({ id, phase: 'nothing', detail: p.result.reason });
    }
    const out = new Set([...chain.refusals.map((r) => r.id), ...chain.already]);
    pool = pool.filter((p) => !out.has(p.inst.id));
    if (!gate || chain.steps.length === 0) return { ...chain, landerAt };
    const lander = await landerReady;
    if (lander) {
      await checkoutLander(lander, chain.tip);
      landerAt = chain.tip;
    }
    chain.steps.forEach((s) => progress({ id: s.id, phase: 'gating' }));
    const verdicts = await gate({
      config,
      cwd: lander ?? config.rootDir,
      base,
      steps: chain.steps.map(({ id, from, to }) => ({ instanceId: id, from, to })),
    });
    const bad = verdicts.filter((v) => pool.some((p) => p.inst.id === v.instanceId));
    if (bad.length === 0) return { ...chain, landerAt };
    for (const v of bad) {
      const p = pool.find((x) => x.inst.id === v.instanceId)!;
      p.result = {
        ...p.result,
        outcome: 'blocked',
        reason: `migration gate: ${v.problems.join('; ')}`,
      };
      progress({ id: v.instanceId, phase: 'blocked', detail: p.result.reason });
    }
    pool = pool.filter((p) => p.result.outcome !== 'blocked');
  }
}

function replayInput(p: PlannedInstance): ReplayInput {
  return {
    id: p.inst.id,
    branch: p.inst.branch,
    worktree: p.inst.worktree,
    tip: p.branchTip!,
    commits: p.commits,
    linear: p.linear,
    merges: p.merges,
    checkBase: p.checkBase,
    newCount: p.newCount,
  };
}

export async function committerIdent(cwd: string): Promise<string> {
  return gitOut(['var', 'GIT_COMMITTER_IDENT'], { cwd, readOnly: true });
}
