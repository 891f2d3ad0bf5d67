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
  /** The commit the lander has checked out now (for the gate, or while the chain was checked), if any. */
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
  let pool = candidates;
  // The lander checks each chain out as soon as it is built, while its content is checked (the
  // lander is fleet-tui's own scratch worktree: a chain that fails the check is only checked out
  // for nothing). One checkout at a time; each settles with the commit it left checked out.
  let checkout: Promise<string | null> = Promise.resolve(null);
  const checkOut = (tip: string) => {
    if (landerReady === null) return;
    checkout = checkout.then(async () => {
      const lander = await landerReady;
      await checkoutLander(lander, tip);
      return tip;
    });
    checkout = checkout.catch(() => null); // then pushChain checks out itself
  };
  const landerAt = () => checkout;
  for (;;) {
    pool.forEach((p) => progress({ id: p.inst.id, phase: 'replaying' }));
    const chain = await buildChain(ctx, base, pool.map(replayInput), checkOut);
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
    if (!gate || chain.steps.length === 0) return { ...chain, landerAt: await landerAt() };
    // A gate that reads only objects does not wait for the checkout (the push does).
    const lander = gate.objectsOnly === true ? null : await landerReady;
    if (lander && (await landerAt()) !== chain.tip) {
      await checkoutLander(lander, chain.tip);
      checkout = Promise.resolve(chain.tip);
    }
    chain.steps.forEach((s) => progress({ id: s.id, phase: 'gating' }));
    const verdicts = await gate({
      config,
      cwd: lander ?? config.rootDir,
      base,
      steps: chain.steps.map(({ id, from, to }) => ({ instanceId: id, from, to })),
    });
    const bad = verdicts.filter((v) => pool.some((p) => p.inst.id === v.instanceId));
    if (bad.length === 0) return { ...chain, landerAt: await landerAt() };
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
