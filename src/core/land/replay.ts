import { ObjectWriter, commitBody, ownHeaders, type RawCommit } from './objects.js';
import { mergeTrees } from './merge-tree.js';

/**
 * Replay instances' commits onto a chain without touching any worktree: each commit's tree comes
 * from `git merge-tree --write-tree` (cherry-pick semantics: the merge base is the commit's own
 * parent) and the new commits keep every header (author, committer, dates, encoding) and the
 * message bytes. A branch whose merge commits hold content of their own (a conflict resolution,
 * a file added while merging main) lands as one merge commit of its tip instead (chain.ts
 * decides, from the content check).
 */
export interface ReplayInput {
  id: string;
  branch: string;
  worktree: string;
  /** The branch tip the plan read. */
  tip: string;
  /** Non-merge commits to land, oldest first (not patch-equivalent to anything on main). */
  commits: string[];
  /** No merges and no already-landed commits among the branch's new commits. */
  linear: boolean;
  /** The branch's new commits include merge commits. */
  merges: boolean;
  /** Newest already-landed commit when those form the branch's oldest part (content check). */
  checkBase: string | null;
  /** New commits on the branch, merges included (what a merge commit brings to main). */
  newCount: number;
}

export interface ReplayStep {
  id: string;
  /** Position of the instance in the inputs. */
  index: number;
  from: string;
  fromTree: string;
  to: string;
  toTree: string;
  /** Commits added to main (those that became empty are dropped, as rebase does). */
  added: number;
  /** Landed as one merge commit of the branch tip. */
  merged: boolean;
}

export interface ReplayRefusal {
  id: string;
  index: number;
  outcome: 'conflict' | 'blocked' | 'error';
  files: string[];
  reason: string;
}

export interface ReplayContext {
  cwd: string;
  /** `git var GIT_COMMITTER_IDENT` of the person landing: scaffolds and merge commits. */
  committer: string;
  writer: ObjectWriter;
  env?: Record<string, string>;
  /** `land.merges` */
  merges: 'merge' | 'refuse';
  /** `<remote>/<main>`, for messages. */
  mainName: string;
  mainBranch: string;
}

export interface ReplayOptions {
  merges: 'merge' | 'refuse';
  mainName: string;
  mainBranch: string;
}

/** Start a replay (its object writer is a long-running git process); `close` ends it. */
export function openReplay(
  cwd: string,
  format: string,
  committer: string,
  opts: ReplayOptions,
  env?: Record<string, string>,
): ReplayContext & { close(): Promise<void> } {
  const writer = new ObjectWriter(cwd, format, env);
  return { cwd, committer, writer, env, ...opts, close: () => writer.close() };
}

/** A throwaway commit with `tree` whose parents pin the merge base of a later merge-tree. */
export function scaffold(ctx: ReplayContext, tree: string, parents: string[]): string {
  return ctx.writer.commit(
    commitBody({
      tree,
      parents,
      headers: ownHeaders(ctx.committer),
      message: Buffer.from('fleet-tui replay scaffold\n'),
    }),
  );
}

/**
 * The instance's replayed commits on the chain: commit `k` of `commits` gets `trees[k]` and the
 * chain so far as its parent, keeping its headers and message bytes; a commit whose tree is the
 * chain's already is empty there and dropped, as rebase does. (The sequential replay and the
 * prefix scan both end here.)
 */
export function stepOf(
  ctx: ReplayContext,
  id: string,
  index: number,
  start: { tip: string; tipTree: string },
  commits: readonly RawCommit[],
  trees: readonly string[],
): ReplayStep {
  let { tip, tipTree } = start;
  let added = 0;
  trees.forEach((tree, k) => {
    if (tree === tipTree) return;
    const c = commits[k]!;
    tip = ctx.writer.commit(
      commitBody({ tree, parents: [tip], headers: c.headers, message: c.message }),
    );
    tipTree = tree;
    added++;
  });
  return {
    id,
    index,
    from: start.tip,
    fromTree: start.tipTree,
    to: tip,
    toTree: tipTree,
    added,
    merged: false,
  };
}

type Trees = { trees: string[] } | { conflict: string; files: string[] };

/**
 * Trees of the instance's commits replayed on `tip`. Linear case: merging `tip` with each commit
 * uses the branch's fork point as the merge base, which equals replaying the commits one by one
 * when every merge is clean — all in one git process. Otherwise each commit is merged with a
 * scaffold whose second parent is the commit's own parent, pinning the merge base.
 */
async function replayTrees(
  ctx: ReplayContext,
  tip: string,
  tipTree: string,
  commits: RawCommit[],
  linear: boolean,
): Promise<Trees> {
  if (linear) {
    const outs = await mergeTrees(
      ctx.cwd,
      ctx.writer,
      commits.map((c) => [tip, c.sha] as const),
      ctx.env,
    );
    const bad = outs.findIndex((o) => !o.clean);
    if (bad >= 0) return { conflict: commits[bad]!.sha, files: outs[bad]!.files };
    return { trees: outs.map((o) => o.tree) };
  }
  const trees: string[] = [];
  let prevTree = tipTree;
  for (const c of commits) {
    const parent = c.parents[0];
    if (!parent) return { conflict: c.sha, files: [] };
    const ours = scaffold(ctx, prevTree, [tip, parent]);
    const [o] = await mergeTrees(ctx.cwd, ctx.writer, [[ours, c.sha]], ctx.env);
    if (!o?.clean) return { conflict: c.sha, files: o?.files ?? [] };
    trees.push(o.tree);
    prevTree = o.tree;
  }
  return { trees };
}

export interface Built {
  tip: string;
  tipTree: string;
  steps: ReplayStep[];
  refusals: ReplayRefusal[];
}

function mergeMessage(ctx: ReplayContext, input: ReplayInput): Buffer {
  return Buffer.from(
    `Merge branch '${input.branch}' (${input.id}) into ${ctx.mainBranch}\n\n` +
      'Landed by fleet-tui as a merge: a linear replay would not carry all of its content\n' +
      '(merge commits on the branch hold changes of their own).\n',
  );
}

/** One merge commit of the branch tip on the chain (land.merges: 'merge'). */
async function mergeStep(
  ctx: ReplayContext,
  tip: string,
  tipTree: string,
  input: ReplayInput,
  index: number,
): Promise<ReplayStep | ReplayRefusal> {
  const [o] = await mergeTrees(ctx.cwd, ctx.writer, [[tip, input.tip]], ctx.env);
  if (!o?.clean) {
    const files = o?.files ?? [];
    return {
      id: input.id,
      index,
      outcome: 'conflict',
      files,
      reason: `merging ${input.branch} into ${ctx.mainName} conflicts in ${files.join(', ') || '(unknown files)'} — merge ${ctx.mainName} into it, resolve, then land again`,
    };
  }
  const base = { id: input.id, index, from: tip, fromTree: tipTree, merged: true };
  if (o.tree === tipTree) return { ...base, to: tip, toTree: tipTree, added: 0 };
  const to = ctx.writer.commit(
    commitBody({
      tree: o.tree,
      parents: [tip, input.tip],
      headers: ownHeaders(ctx.committer),
      message: mergeMessage(ctx, input),
    }),
  );
  return { ...base, to, toTree: o.tree, added: Math.max(1, input.newCount) };
}

function refuseMerges(input: ReplayInput, index: number, why: string, ctx: ReplayContext) {
  return {
    id: input.id,
    index,
    outcome: 'blocked' as const,
    files: [],
    reason:
      `its merge commits carry content a linear replay loses (${why}) and land.merges is 'refuse' — ` +
      `in ${input.worktree} squash it keeping every file ("git reset --soft $(git merge-base HEAD ${ctx.mainName}) && git commit", nothing else staged), ` +
      `then land again; or set land.merges: 'merge'`,
  };
}

/**
 * Build the chain on `tip`, instance by instance; a conflicting instance is left out and the
 * chain goes on. `asMerge`: instances that land as one merge commit.
 */
export async function buildFrom(
  ctx: ReplayContext,
  raw: Map<string, RawCommit>,
  start: { tip: string; tipTree: string },
  inputs: Array<{ input: ReplayInput; index: number }>,
  asMerge: ReadonlySet<string>,
): Promise<Built> {
  let { tip, tipTree } = start;
  const steps: ReplayStep[] = [];
  const refusals: ReplayRefusal[] = [];
  for (const { input, index } of inputs) {
    let step: ReplayStep | ReplayRefusal;
    if (asMerge.has(input.id)) {
      step = await mergeStep(ctx, tip, tipTree, input, index);
    } else {
      const commits = input.commits.map((s) => raw.get(s)).filter((c): c is RawCommit => !!c);
      if (commits.length !== input.commits.length) {
        throw new Error(
          `could not read the commits of ${input.id} (cat-file) — please report this`,
        );
      }
      const r = await replayTrees(ctx, tip, tipTree, commits, input.linear);
      if ('conflict' in r) {
        const why = `replaying ${r.conflict.slice(0, 7)} on ${ctx.mainName} conflicts in ${r.files.join(', ') || '(unknown files)'}`;
        if (input.merges && ctx.merges === 'merge')
          step = await mergeStep(ctx, tip, tipTree, input, index);
        else if (input.merges) step = refuseMerges(input, index, why, ctx);
        else
          step = {
            id: input.id,
            index,
            outcome: 'conflict',
            files: r.files,
            reason: `${why} — sync or rebase it, resolve, then land again`,
          };
      } else {
        step = stepOf(ctx, input.id, index, { tip, tipTree }, commits, r.trees);
      }
    }
    if ('outcome' in step) {
      refusals.push(step);
      continue;
    }
    steps.push(step);
    tip = step.to;
    tipTree = step.toTree;
  }
  await ctx.writer.flush();
  return { tip, tipTree, steps, refusals };
}

export { refuseMerges };
