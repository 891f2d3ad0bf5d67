import type { RawCommit } from './objects.js';
import { mergeTrees } from './merge-tree.js';
import {
  scaffold,
  stepOf,
  type Built,
  type ReplayContext,
  type ReplayInput,
  type ReplayStep,
} from './replay.js';

/**
 * The chain in a few git processes instead of one per instance, when every instance is a plain
 * branch forked from the chain's base (the usual shape after a land synced the fleet).
 *
 * The sequential replay merges each instance onto the chain so far: git 2.39's `merge-tree
 * --stdin` answers only at exit, so that is one process per instance. Here the trees of the
 * chain after each instance (base + the changes of instances 1..i) are computed as a prefix
 * scan: at each level every partial result is merged with the one 2^level places before it,
 * all merges of a level in one process (each side a scaffold commit on the base, so the merge
 * base is the base). Then, in one more process, each instance's commits are merged onto the
 * scan's tree before it, exactly the merges the sequential replay makes. The result is used only
 * if, for every instance, the tree its own commits reach equals the scan's tree after it — then
 * every merge made was the sequential replay's own, on the same trees, and the chain is the one
 * it builds. Anything else (a conflict, a different tree, an instance of another shape) returns
 * null and the caller replays one instance at a time. The content check runs on either.
 */
export async function scanFrom(
  ctx: ReplayContext,
  raw: Map<string, RawCommit>,
  start: { tip: string; tipTree: string },
  inputs: Array<{ input: ReplayInput; index: number }>,
): Promise<Built | null> {
  const base = start.tip;
  const commits = inputs.map(({ input }) => input.commits.map((s) => raw.get(s)));
  const plain = inputs.every(
    ({ input }, i) =>
      input.linear &&
      !input.merges &&
      input.commits.length > 0 &&
      commits[i]!.every((c) => c && c.parents.length === 1) &&
      commits[i]![0]!.parents[0] === base,
  );
  if (inputs.length < 3 || !plain) return null;
  const cs = commits as RawCommit[][];
  // Scaffolds: one commit per tree, parent the base.
  const onBase = new Map<string, string>([[start.tipTree, base]]);
  const scaf = (tree: string) => {
    let c = onBase.get(tree);
    if (!c) onBase.set(tree, (c = scaffold(ctx, tree, [base])));
    return c;
  };
  // Inclusive prefix scan of "base + changes of 0..i".
  let acc = cs.map((list) => list[list.length - 1]!.tree);
  for (let d = 1; d < acc.length; d *= 2) {
    const idx = acc.map((_, i) => i).filter((i) => i >= d);
    const outs = await mergeTrees(
      ctx.cwd,
      ctx.writer,
      idx.map((i) => [scaf(acc[i - d]!), scaf(acc[i]!)] as const),
      ctx.env,
    );
    if (outs.some((o) => !o.clean)) return null;
    const next = [...acc];
    idx.forEach((i, k) => (next[i] = outs[k]!.tree));
    acc = next;
  }
  // Each instance's commits on the tree before it: the sequential replay's own merges.
  const before = [start.tipTree, ...acc.slice(0, -1)];
  const pairs = cs.flatMap((list, i) => list.map((c) => [scaf(before[i]!), c.sha] as const));
  const outs = await mergeTrees(ctx.cwd, ctx.writer, pairs, ctx.env);
  if (outs.some((o) => !o.clean)) return null;
  const trees: string[][] = [];
  let k = 0;
  for (const list of cs) trees.push(list.map(() => outs[k++]!.tree));
  if (trees.some((t, i) => t[t.length - 1] !== acc[i])) return null;
  let at = start;
  const steps: ReplayStep[] = [];
  for (const [i, { input, index }] of inputs.entries()) {
    const step = stepOf(ctx, input.id, index, at, cs[i]!, trees[i]!);
    steps.push(step);
    at = { tip: step.to, tipTree: step.toTree };
  }
  await ctx.writer.flush();
  return { tip: at.tip, tipTree: at.tipTree, steps, refusals: [] };
}
