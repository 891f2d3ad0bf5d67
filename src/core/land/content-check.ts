import { readCommits } from './objects.js';
import { changedPaths, mergeTrees } from './merge-tree.js';
import { scanFrom } from './replay-scan.js';
import {
  buildFrom,
  refuseMerges,
  scaffold,
  type ReplayContext,
  type ReplayInput,
  type ReplayRefusal,
  type ReplayStep,
} from './replay.js';

/**
 * The content invariant: before anything is pushed, what the chain lands for an instance must
 * equal the instance's own change against the same base. That change is computed independently
 * of the replay, as one `merge-tree --write-tree` of the chain point the instance starts from
 * and its branch tip; the chain's tree after the instance must be that tree. When the branch's
 * oldest commits are already on main (by patch-id), the merge base is pinned to the newest of
 * them, so their later changes on main are not taken for the instance's own.
 *
 * A failure is a refusal, never an approximate land: a branch with merge commits lands as one
 * merge commit instead (or is blocked, land.merges: 'refuse'); any other instance is an `error`
 * and nothing of it moves. The chain is rebuilt from that instance on, without it.
 */
export interface ChainResult {
  tip: string;
  /** Instances that add commits, in chain order. */
  steps: ReplayStep[];
  /** Instances whose whole change is already on main (every commit became empty). */
  already: string[];
  refusals: ReplayRefusal[];
}

interface Failure {
  step: ReplayStep;
  files: string[];
}

async function verifySteps(
  ctx: ReplayContext,
  steps: readonly ReplayStep[],
  inputs: readonly ReplayInput[],
): Promise<Failure[]> {
  const pairs = steps.map((s) => {
    const input = inputs[s.index]!;
    const ours =
      !s.merged && input.checkBase ? scaffold(ctx, s.fromTree, [input.checkBase]) : s.from;
    return [ours, input.tip] as const;
  });
  const outs = await mergeTrees(ctx.cwd, ctx.writer, pairs, ctx.env);
  const failures: Failure[] = [];
  for (const [k, s] of steps.entries()) {
    const o = outs[k]!;
    if (o.clean && o.tree === s.toTree) continue;
    const files = o.clean ? await changedPaths(ctx.cwd, o.tree, s.toTree, ctx.env) : o.files;
    failures.push({ step: s, files });
  }
  return failures;
}

const list = (files: string[]) =>
  files.length === 0
    ? '(no file named)'
    : files.slice(0, 5).join(', ') + (files.length > 5 ? ` and ${files.length - 5} more` : '');

function checkError(input: ReplayInput, index: number, files: string[]): ReplayRefusal {
  return {
    id: input.id,
    index,
    outcome: 'error',
    files,
    reason:
      `content check failed: what would land differs from its own change in ${list(files)} — ` +
      `nothing of it was landed; run "fleet-tui sync ${input.id}" (or rebase it on main), then land again`,
  };
}

/** Build the chain on `base` and check every instance's content before anything can be pushed. */
export async function buildChain(
  ctx: ReplayContext,
  base: string,
  inputs: ReplayInput[],
  /** Told each chain built, before its content check (the lander may check it out meanwhile). */
  onBuilt?: (tip: string) => void,
): Promise<ChainResult> {
  const raw = await readCommits(ctx.cwd, [base, ...inputs.flatMap((i) => i.commits)], ctx.env);
  const baseTree = raw.get(base)?.tree;
  if (!baseTree) throw new Error(`could not read ${base} (cat-file) — please report this`);
  const asMerge = new Set<string>();
  const fixed: ReplayRefusal[] = [];
  const kept: { steps: ReplayStep[]; refusals: ReplayRefusal[] } = { steps: [], refusals: [] };
  let start = { tip: base, tipTree: baseTree };
  let from = 0;
  for (;;) {
    const todo = inputs
      .map((input, index) => ({ input, index }))
      .filter((x) => x.index >= from && !fixed.some((f) => f.id === x.input.id));
    // The first build tries the few-process scan (replay-scan.ts); it gives the same chain or none.
    const built =
      (from === 0 && asMerge.size === 0 && fixed.length === 0
        ? await scanFrom(ctx, raw, start, todo)
        : null) ?? (await buildFrom(ctx, raw, start, todo, asMerge));
    if (built.steps.length > 0) onBuilt?.(built.tip);
    const bad = await verifySteps(ctx, built.steps, inputs);
    if (bad.length === 0) {
      const steps = [...kept.steps, ...built.steps];
      return {
        tip: built.tip,
        steps: steps.filter((s) => s.added > 0),
        already: steps.filter((s) => s.added === 0).map((s) => s.id),
        refusals: [...kept.refusals, ...built.refusals, ...fixed].sort((a, b) => a.index - b.index),
      };
    }
    for (const { step, files } of bad) {
      const input = inputs[step.index]!;
      if (!step.merged && input.merges && ctx.merges === 'merge') asMerge.add(input.id);
      else if (!step.merged && input.merges)
        fixed.push(refuseMerges(input, step.index, `they change ${list(files)}`, ctx));
      else fixed.push(checkError(input, step.index, files));
    }
    // Everything before the first failing instance stands; rebuild from there.
    const first = bad.map((f) => f.step).sort((a, b) => a.index - b.index)[0]!;
    kept.steps.push(...built.steps.filter((s) => s.index < first.index));
    kept.refusals.push(...built.refusals.filter((r) => r.index < first.index));
    start = { tip: first.from, tipTree: first.fromTree };
    from = first.index;
  }
}
