import { git, gitBytes } from '../git/run.js';

/**
 * Which commits of the selected branches are new to main, and which of those are already on
 * main as the same change (patch-id). Ancestry alone is not enough: a branch left `needs-sync`
 * still holds commits that were landed as copies; a symmetric-difference `--cherry-mark` over
 * all tips at once misses them as soon as another tip contains main (a freshly synced branch),
 * because then main has no commits the tips lack. So: the new commits come from one `rev-list
 * ^main tips…`, and their patch-ids are compared with those of every commit main gained since
 * the oldest point any of them forked from.
 */
interface Listed {
  /** `+` new change, `=` the same change is on main already. */
  mark: '+' | '=';
  parents: string[];
}

export interface NewCommits {
  /** New commits (not reachable from main), oldest first, parents before children. */
  order: string[];
  info: Map<string, Listed>;
}

const opts = (cwd: string, env?: Record<string, string>) => ({ cwd, env, readOnly: true });

/** Patch-ids (`git patch-id --verbatim`: whitespace counts) of the non-merge commits listed. */
async function patchIds(
  cwd: string,
  revs: string[],
  env?: Record<string, string>,
): Promise<Map<string, string>> {
  const log = await gitBytes(
    [
      '-c',
      'log.showSignature=false',
      'log',
      '--no-merges',
      '-p',
      '--full-index',
      '--binary',
      '--no-renames',
      '--no-color',
      '--no-ext-diff',
      '--no-textconv',
      '--format=commit %H',
      '--end-of-options',
      ...revs,
      '--',
    ],
    opts(cwd, env),
  );
  const ids = await git(['patch-id', '--verbatim'], { ...opts(cwd, env), input: log.stdout });
  const map = new Map<string, string>();
  for (const line of ids.stdout.split('\n')) {
    const [pid, sha] = line.split(' ');
    if (pid && sha) map.set(sha, pid);
  }
  return map;
}

export async function newCommitsOf(
  cwd: string,
  main: string,
  tips: string[],
  env?: Record<string, string>,
): Promise<NewCommits> {
  const unique = [...new Set(tips)];
  const res = await git(
    [
      'rev-list',
      '--topo-order',
      '--reverse',
      '--parents',
      '--end-of-options',
      `^${main}`,
      ...unique,
      '--',
    ],
    opts(cwd, env),
  );
  const order: string[] = [];
  const info = new Map<string, Listed>();
  for (const line of res.stdout.split('\n')) {
    const [sha, ...parents] = line.split(' ');
    if (!sha) continue;
    order.push(sha);
    info.set(sha, { mark: '+', parents });
  }
  const forks = [
    ...new Set(order.flatMap((s) => info.get(s)!.parents).filter((p) => !info.has(p))),
  ];
  if (forks.length === 0 || (forks.length === 1 && forks[0] === main)) return { order, info };
  // The oldest point any new commit forked from: main gained every commit after it.
  const oldest =
    forks.length === 1
      ? forks[0]!
      : (
          await git(['merge-base', '--octopus', '--end-of-options', ...forks], {
            ...opts(cwd, env),
            allowFail: true,
          })
        ).stdout.trim();
  if (!oldest || oldest === main) return { order, info };
  const ids = await patchIds(cwd, [`^${oldest}`, main, ...unique], env);
  const onMain = new Set<string>();
  for (const [sha, pid] of ids) if (!info.has(sha)) onMain.add(pid);
  for (const sha of order) {
    const pid = ids.get(sha);
    if (pid && onMain.has(pid)) info.get(sha)!.mark = '=';
  }
  return { order, info };
}

export interface BranchCommits {
  /** Non-merge commits to replay, oldest first. */
  commits: string[];
  linear: boolean;
  merges: boolean;
  /** Already-landed commits, oldest first. */
  landed: string[];
  checkBase: string | null;
  newCount: number;
}

function ancestorsWithin(start: string, all: NewCommits): Set<string> {
  const seen = new Set<string>();
  const stack = [start];
  while (stack.length > 0) {
    const c = stack.pop()!;
    const i = all.info.get(c);
    if (!i || seen.has(c)) continue;
    seen.add(c);
    stack.push(...i.parents);
  }
  return seen;
}

/** One branch's share of the new commits. */
export function commitsOf(tip: string, all: NewCommits): BranchCommits {
  const mine = ancestorsWithin(tip, all);
  const commits: string[] = [];
  const landed: string[] = [];
  let merges = false;
  let newCount = 0;
  for (const sha of all.order) {
    if (!mine.has(sha)) continue;
    const i = all.info.get(sha)!;
    if (i.parents.length > 1) {
      merges = true;
      newCount++;
    } else if (i.mark === '=') landed.push(sha);
    else {
      commits.push(sha);
      newCount++;
    }
  }
  // The content check's base: the newest landed commit, when the landed ones are exactly the
  // branch's oldest part (the usual shape of a branch left needs-sync after a land).
  let checkBase: string | null = null;
  const newest = landed[landed.length - 1];
  if (newest) {
    const below = ancestorsWithin(newest, all);
    const landedSet = new Set(landed);
    if (below.size === landed.length && [...below].every((c) => landedSet.has(c)))
      checkBase = newest;
  }
  return { commits, linear: !merges && landed.length === 0, merges, landed, checkBase, newCount };
}
