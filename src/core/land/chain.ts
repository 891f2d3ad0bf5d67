import type { ResolvedConfig } from '../../config/types.js';
import { gitOut } from '../git/run.js';
import type { LandGate } from './gate.js';
import { checkoutLander } from './lander.js';
import type { PlannedInstance } from './plan.js';
import { buildChain, type ReplayContext, type ReplayStep } from './replay.js';
import type { LandProgress } from './types.js';

/**
 * Build the chain for the candidates on `base`, mark conflicts, run the gate (dropping the
 * instances it blocks and rebuilding without them) and return the steps that will be pushed.
 */
export async function chainWithGate(
  config: ResolvedConfig,
  ctx: ReplayContext,
  base: string,
  candidates: PlannedInstance[],
  gate: LandGate | null,
  lander: string | null,
  progress: (p: LandProgress) => void,
): Promise<{ tip: string; steps: ReplayStep[] }> {
  let pool = candidates;
  for (;;) {
    pool.forEach((p) => progress({ id: p.inst.id, phase: 'replaying' }));
    const chain = await buildChain(
      ctx,
      base,
      pool.map((p) => ({ id: p.inst.id, commits: p.commits, linear: p.linear })),
    );
    for (const c of chain.conflicts) {
      const p = pool.find((x) => x.inst.id === c.id)!;
      p.result = {
        ...p.result,
        outcome: 'conflict',
        files: c.files,
        reason: `replaying ${c.commit.slice(0, 7)} on ${config.remote}/${config.mainBranch} conflicts in ${c.files.join(', ') || '(unknown files)'} — sync or rebase it, resolve, then land again`,
      };
      progress({ id: c.id, phase: 'conflict', detail: p.result.reason });
    }
    pool = pool.filter((p) => p.result.outcome !== 'conflict');
    if (!gate || chain.steps.length === 0) return chain;
    if (lander) await checkoutLander(lander, chain.tip);
    chain.steps.forEach((s) => progress({ id: s.id, phase: 'gating' }));
    const verdicts = await gate({
      config,
      cwd: lander ?? config.rootDir,
      base,
      steps: chain.steps.map(({ id, from, to }) => ({ instanceId: id, from, to })),
    });
    const bad = verdicts.filter((v) => pool.some((p) => p.inst.id === v.instanceId));
    if (bad.length === 0) return chain;
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

export async function committerIdent(cwd: string): Promise<string> {
  return gitOut(['var', 'GIT_COMMITTER_IDENT'], { cwd, readOnly: true });
}
