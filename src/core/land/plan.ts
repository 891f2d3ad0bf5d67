import type { ResolvedConfig, ResolvedInstance } from '../../config/types.js';
import { UsageError } from '../errors.js';
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

interface Listed {
  mark: string;
  parents: string[];
}

/**
 * Commits of every tip not on `main`, from one `rev-list` over a throwaway octopus commit whose
 * parents are the tips: `+` commits are new, `=` ones are patch-equivalent to a commit on main
 * (already landed). Attributed to each tip by walking parents.
 */
async function newCommitsOfAll(
  cwd: string,
  main: string,
  tips: string[],
  env?: Record<string, string>,
): Promise<{ order: string[]; info: Map<string, Listed> }> {
  const unique = [...new Set(tips)];
  const top =
    unique.length === 1
      ? unique[0]!
      : (
          await git(
            [
              'commit-tree',
              `${main}^{tree}`,
              ...unique.flatMap((t) => ['-p', t]),
              '-m',
              'fleet-tui plan',
            ],
            {
              cwd,
              env,
            },
          )
        ).stdout.trim();
  const res = await git(
    [
      'rev-list',
      '--right-only',
      '--cherry-mark',
      '--reverse',
      '--topo-order',
      '--parents',
      `${main}...${top}`,
    ],
    {
      cwd,
      env,
      readOnly: true,
    },
  );
  const order: string[] = [];
  const info = new Map<string, Listed>();
  for (const line of res.stdout.split('\n')) {
    const [marked, ...parents] = line.split(' ');
    if (!marked) continue;
    const sha = marked.slice(1);
    if (sha === top && unique.length > 1) continue;
    order.push(sha);
    info.set(sha, { mark: marked[0]!, parents });
  }
  return { order, info };
}

function commitsOf(
  tip: string,
  all: { order: string[]; info: Map<string, Listed> },
): { commits: string[]; linear: boolean } {
  const mine = new Set<string>();
  const stack = [tip];
  while (stack.length > 0) {
    const c = stack.pop()!;
    const i = all.info.get(c);
    if (!i || mine.has(c)) continue;
    mine.add(c);
    stack.push(...i.parents);
  }
  const commits: string[] = [];
  let linear = true;
  for (const sha of all.order) {
    if (!mine.has(sha)) continue;
    const i = all.info.get(sha)!;
    if (i.parents.length !== 1 || i.mark === '=') linear = false;
    if (i.mark === '+' && i.parents.length === 1) commits.push(sha);
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
  env?: Record<string, string>,
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
  const planned = insts.map((inst): PlannedInstance => {
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
    if (blocked) p.result = { ...p.result, outcome: 'blocked', reason: blocked };
    return p;
  });
  const open = planned.filter((p) => p.result.outcome !== 'blocked');
  if (open.length === 0) return planned;
  const all = await newCommitsOfAll(
    config.rootDir,
    main,
    open.map((p) => p.branchTip!),
    env,
  );
  for (const p of open) {
    Object.assign(p, commitsOf(p.branchTip!, all));
    p.result.reason = p.commits.length === 0 ? 'no commits to land' : '';
  }
  return planned;
}
