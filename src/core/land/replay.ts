import { git } from '../git/run.js';
import { ObjectWriter, commitBody, readCommits, type RawCommit } from './objects.js';

/**
 * Replay instances' commits onto a chain without touching any worktree: each commit's tree comes
 * from `git merge-tree --write-tree` (cherry-pick semantics: the merge base is the commit's own
 * parent) and the new commits keep author, date and message; the committer is the person landing.
 */
export interface ReplayInput {
  id: string;
  /** Commits to land, oldest first (non-merge, not patch-equivalent to anything on main). */
  commits: string[];
  /** All of the branch's new commits are in `commits` (no merges, none already on main). */
  linear: boolean;
}

export interface ReplayStep {
  id: string;
  from: string;
  to: string;
  /** Commits actually added (those that became empty are dropped, as rebase does). */
  added: number;
}

export interface ReplayConflict {
  id: string;
  commit: string;
  files: string[];
}

export interface ChainResult {
  tip: string;
  steps: ReplayStep[];
  conflicts: ReplayConflict[];
}

export interface ReplayContext {
  cwd: string;
  committer: string;
  writer: ObjectWriter;
  env?: Record<string, string>;
}

/** Start a replay (its object writer is a long-running git process); `close` ends it. */
export function openReplay(
  cwd: string,
  format: string,
  committer: string,
  env?: Record<string, string>,
): ReplayContext & { close(): Promise<void> } {
  const writer = new ObjectWriter(cwd, format, env);
  const ctx: ReplayContext & { close(): Promise<void> } = {
    cwd,
    committer,
    writer,
    env,
    close: async () => {
      await writer.close();
    },
  };
  return ctx;
}

interface MergeOut {
  clean: boolean;
  tree: string;
  files: string[];
}

/**
 * Parse `merge-tree --stdin --write-tree --name-only -z` output, one record per input line:
 * clean `1 NUL tree NUL NUL`; conflicted `0 NUL tree NUL files… NUL NUL` then messages
 * (`count NUL paths… NUL type NUL text NUL`) and a closing NUL. (git 2.39 does not flush clean
 * records until it exits, so the process cannot be kept running between instances.)
 */
export function parseMergeTreeStdin(out: string): MergeOut[] {
  const f = out.split('\0');
  const res: MergeOut[] = [];
  let i = 0;
  while (i < f.length && f[i] !== '') {
    const clean = f[i++] === '1';
    const tree = f[i++] ?? '';
    const files: string[] = [];
    if (!clean) {
      while (i < f.length && f[i] !== '') files.push(f[i++]!);
      i++; // end of the file list
      while (i < f.length && f[i] !== '') {
        const n = Number(f[i++]);
        i += n + 2;
      }
    }
    i++; // end of this record
    res.push({ clean, tree, files: [...new Set(files)] });
  }
  return res;
}

async function mergeTrees(ctx: ReplayContext, pairs: Array<[string, string]>): Promise<MergeOut[]> {
  await ctx.writer.flush();
  const res = await git(['merge-tree', '--stdin', '--write-tree', '--name-only', '-z'], {
    cwd: ctx.cwd,
    env: ctx.env,
    input: pairs.map(([a, b]) => `${a} ${b}\n`).join(''),
    allowFail: true,
  });
  const parsed = parseMergeTreeStdin(res.stdout);
  if (parsed.length !== pairs.length) {
    throw new Error(
      `git merge-tree failed in ${ctx.cwd}: ${res.stderr.trim() || 'unexpected output'}`,
    );
  }
  return parsed;
}

/**
 * Trees of the instance's commits replayed on `tip`. Linear case: merging `tip` with each commit
 * uses the branch's fork point as the merge base, which equals replaying the commits one by one
 * when every merge is clean — all in one git process. Otherwise each commit is merged with a
 * throwaway commit whose second parent is the commit's own parent, pinning the merge base.
 */
async function replayTrees(
  ctx: ReplayContext,
  tip: string,
  tipTree: string,
  commits: RawCommit[],
  linear: boolean,
): Promise<{ trees: string[] } | { conflict: ReplayConflict['commit']; files: string[] }> {
  if (linear) {
    const outs = await mergeTrees(
      ctx,
      commits.map((c) => [tip, c.sha]),
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
    const ours = ctx.writer.commit(
      commitBody({
        tree: prevTree,
        parents: [tip, parent],
        author: `author ${ctx.committer}`,
        committer: ctx.committer,
        encoding: null,
        message: 'fleet-tui replay scaffold\n',
      }),
    );
    const [o] = await mergeTrees(ctx, [[ours, c.sha]]);
    if (!o?.clean) return { conflict: c.sha, files: o?.files ?? [] };
    trees.push(o.tree);
    prevTree = o.tree;
  }
  return { trees };
}

/** Build the chain on `base`, instance by instance; a conflicting instance is left out. */
export async function buildChain(
  ctx: ReplayContext,
  base: string,
  inputs: ReplayInput[],
): Promise<ChainResult> {
  const raw = await readCommits(ctx.cwd, [base, ...inputs.flatMap((i) => i.commits)], ctx.env);
  let tip = base;
  let tipTree = raw.get(base)?.tree ?? '';
  const steps: ReplayStep[] = [];
  const conflicts: ReplayConflict[] = [];
  for (const input of inputs) {
    const commits = input.commits.map((s) => raw.get(s)).filter((c): c is RawCommit => !!c);
    const r = await replayTrees(ctx, tip, tipTree, commits, input.linear);
    if ('conflict' in r) {
      conflicts.push({ id: input.id, commit: r.conflict, files: r.files });
      continue;
    }
    const from = tip;
    let added = 0;
    r.trees.forEach((tree, k) => {
      if (tree === tipTree) return; // became empty on the chain: dropped, as rebase does
      const c = commits[k]!;
      tip = ctx.writer.commit(
        commitBody({
          tree,
          parents: [tip],
          author: c.author,
          committer: ctx.committer,
          encoding: c.encoding,
          message: c.message,
        }),
      );
      tipTree = tree;
      added++;
    });
    steps.push({ id: input.id, from, to: tip, added });
  }
  await ctx.writer.flush();
  return { tip, steps, conflicts };
}
