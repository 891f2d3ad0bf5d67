import type { ResolvedConfig, ResolvedInstance } from '../../config/types.js';
import { UsageError } from '../errors.js';
import { git } from '../git/run.js';
import { commitsOf, newCommitsOf } from './new-commits.js';
import { findListed, listWorktrees, type ListedWorktree } from '../git/worktree-list.js';
import type { HostFacts } from '../hosts/land-fetch.js';
import type { InstanceLandResult, PlannedOutcome } from './types.js';

/** One selected instance as the land found it. */
export interface PlannedInstance {
  inst: ResolvedInstance;
  state: ListedWorktree | null;
  /** Branch tip when the land started (null: branch gone). */
  branchTip: string | null;
  /** Non-merge commits to replay, oldest first. */
  commits: string[];
  linear: boolean;
  /** The branch's new commits include merge commits. */
  merges: boolean;
  /** Base of the content check when the branch's oldest commits are already on main. */
  checkBase: string | null;
  /** New commits, merges included. */
  newCount: number;
  result: PlannedResult;
}

/** The result under construction: `pending` until the chain decides (see `settle`). */
type PlannedResult = Omit<InstanceLandResult, 'outcome'> & { outcome: PlannedOutcome };

export function selectInstances(
  config: ResolvedConfig,
  ids: readonly string[] | undefined,
  all: boolean | undefined,
): ResolvedInstance[] {
  if (!ids || ids.length === 0) {
    if (all === false) throw new UsageError('name instances to land (land ID…) or pass --all');
    return config.instances;
  }
  const known = new Set(config.instances.map((i) => i.id));
  const unknown = ids.filter((id) => !known.has(id));
  if (unknown.length > 0) {
    throw new UsageError(
      `no instance ${unknown.map((u) => `"${u}"`).join(', ')} in the config — known: ${[...known].join(', ')}`,
    );
  }
  // Config order, whatever order the ids were given in.
  return config.instances.filter((i) => ids.includes(i.id));
}

function precondition(
  inst: ResolvedInstance,
  s: ListedWorktree | null,
  tip: string | null,
): string | null {
  if (!tip) return `branch ${inst.branch} is gone — recreate it or run "fleet-tui up"`;
  if (!s) return `worktree ${inst.worktree} is missing — run "fleet-tui up" to recreate it`;
  if (s.operation)
    return `a ${s.operation} is in progress in ${inst.worktree} — finish or abort it, then land again`;
  if (!s.branch)
    return `${inst.worktree} is on a detached HEAD (${s.head?.slice(0, 7) ?? '?'}) — check out ${inst.branch} to land it`;
  if (s.branch !== inst.branch)
    return `${inst.worktree} is on ${s.branch}, not ${inst.branch} — check out ${inst.branch} to land it`;
  return null;
}

/** Still pending after planning, with something to replay or merges to look at. */
export function isCandidate(p: PlannedInstance): boolean {
  return p.result.outcome === 'pending' && (p.commits.length > 0 || p.merges);
}

function pendingResult(id: string): PlannedResult {
  return { id, outcome: 'pending', commits: 0, files: [], reason: '', sync: 'unchanged' };
}

/** The pushing is over: an instance still pending had nothing new to land. */
export function settle(planned: PlannedInstance[]): void {
  for (const p of planned)
    if (p.result.outcome === 'pending') p.result = { ...p.result, outcome: 'nothing' };
}

/** The report's view of a settled result. */
export function finalResult(p: PlannedInstance): InstanceLandResult {
  const outcome = p.result.outcome === 'pending' ? 'nothing' : p.result.outcome;
  return { ...p.result, outcome };
}

/** Read every selected instance in parallel: worktree state, branch tip, commits to land. */
export async function planInstances(
  config: ResolvedConfig,
  insts: ResolvedInstance[],
  main: string,
  env?: Record<string, string>,
  /** Instances on SSH hosts: their worktree and fetched tip (see core/hosts/land-fetch.ts). */
  hostFacts?: ReadonlyMap<string, HostFacts>,
): Promise<PlannedInstance[]> {
  const [refs, worktrees] = await Promise.all([
    git(['for-each-ref', '--format=%(refname) %(objectname)', '--', 'refs/heads/'], {
      cwd: config.rootDir,
      readOnly: true,
    }),
    listWorktrees(config.rootDir),
  ]);
  const tips = new Map(
    refs.stdout
      .split('\n')
      .filter(Boolean)
      .map((l) => l.split(' ') as [string, string]),
  );
  const planned = insts.map((inst): PlannedInstance => {
    const facts = hostFacts?.get(inst.id);
    const branchTip = facts ? facts.tip : (tips.get(`refs/heads/${inst.branch}`) ?? null);
    const state = facts ? facts.state : findListed(worktrees, inst.worktreePath);
    const p: PlannedInstance = {
      inst,
      state,
      branchTip,
      commits: [],
      linear: true,
      merges: false,
      checkBase: null,
      newCount: 0,
      result: pendingResult(inst.id),
    };
    const blocked = facts?.blocked ?? precondition(inst, state, branchTip);
    if (blocked) p.result = { ...p.result, outcome: 'blocked', reason: blocked };
    return p;
  });
  const open = planned.filter((p) => p.result.outcome !== 'blocked');
  if (open.length === 0) return planned;
  const all = await newCommitsOf(
    config.rootDir,
    main,
    open.map((p) => p.branchTip!),
    env,
  );
  for (const p of open) {
    const mine = commitsOf(p.branchTip!, all);
    Object.assign(p, {
      commits: mine.commits,
      linear: mine.linear,
      merges: mine.merges,
      checkBase: mine.checkBase,
      newCount: mine.newCount,
    });
    if (p.commits.length > 0 || p.merges) p.result.reason = '';
    else if (mine.landed.length > 0)
      p.result.reason = `its ${mine.landed.length === 1 ? 'commit is' : `${mine.landed.length} commits are`} already on ${config.remote}/${config.mainBranch} (same changes)`;
    else p.result.reason = 'no commits to land';
  }
  return planned;
}
