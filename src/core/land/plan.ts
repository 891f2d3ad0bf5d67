import type { ResolvedConfig, ResolvedInstance } from '../../config/types.js';
import { UsageError } from '../errors.js';
import { mapLimit } from '../git/parallel.js';
import { git } from '../git/run.js';
import { findListed, listWorktrees, type ListedWorktree } from '../git/worktree-list.js';
import type { InstanceLandResult } from './types.js';

/** One selected instance as the land found it. */
export interface PlannedInstance {
  inst: ResolvedInstance;
  state: ListedWorktree | null;
  /** Branch tip when the land started (null: branch gone). */
  branchTip: string | null;
  /** Commits to land, oldest first. */
  commits: string[];
  linear: boolean;
  result: InstanceLandResult;
}

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

/** Commits of `tip` not on `main`: `+` ones to land; `=` ones are patch-equivalent to main. */
async function newCommits(
  cwd: string,
  main: string,
  tip: string,
): Promise<{ commits: string[]; linear: boolean }> {
  const res = await git(
    [
      'rev-list',
      '--right-only',
      '--cherry-mark',
      '--reverse',
      '--topo-order',
      '--parents',
      `${main}...${tip}`,
    ],
    {
      cwd,
      readOnly: true,
    },
  );
  const commits: string[] = [];
  let linear = true;
  for (const line of res.stdout.split('\n')) {
    if (!line) continue;
    const [marked, ...parents] = line.split(' ');
    const mark = marked?.[0];
    const sha = marked?.slice(1);
    if (parents.length !== 1) linear = false;
    if (mark === '=') linear = false;
    if (mark === '+' && parents.length === 1 && sha) commits.push(sha);
  }
  return { commits, linear };
}

export function emptyResult(id: string): InstanceLandResult {
  return { id, outcome: 'nothing', commits: 0, files: [], reason: '', sync: 'unchanged' };
}

/** Read every selected instance in parallel: worktree state, branch tip, commits to land. */
export async function planInstances(
  config: ResolvedConfig,
  insts: ResolvedInstance[],
  main: string,
): Promise<PlannedInstance[]> {
  const [refs, worktrees] = await Promise.all([
    git(['for-each-ref', '--format=%(refname) %(objectname)', 'refs/heads/'], {
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
  return mapLimit(insts, 12, async (inst) => {
    const branchTip = tips.get(`refs/heads/${inst.branch}`) ?? null;
    const state = findListed(worktrees, inst.worktreePath);
    const p: PlannedInstance = {
      inst,
      state,
      branchTip,
      commits: [],
      linear: true,
      result: emptyResult(inst.id),
    };
    const blocked = precondition(inst, state, branchTip);
    if (blocked) {
      p.result = { ...p.result, outcome: 'blocked', reason: blocked };
      return p;
    }
    Object.assign(p, await newCommits(config.rootDir, main, branchTip!));
    p.result.reason = p.commits.length === 0 ? 'no commits to land' : '';
    return p;
  });
}
