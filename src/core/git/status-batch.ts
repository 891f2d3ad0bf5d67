import { existsSync } from 'node:fs';
import path from 'node:path';
import type { ResolvedConfig, ResolvedInstance } from '../../config/types.js';
import { aheadBehindMany, mainTip, type AheadBehind } from './ahead-behind.js';
import { guessHead } from './head-guess.js';
import { git, type GitResult } from './run.js';
import type { InstanceGitStatus, StatusSink } from './status-types.js';
import { findListed, listWorktrees, type ListedWorktree } from './worktree-list.js';
import { parseStatus, STATUS_ARGS } from './worktree-state.js';

/** Commits `HEAD` has that `main` lacks, and the reverse. */
export async function aheadBehind(
  cwd: string,
  main: string,
): Promise<{ ahead: number; behind: number }> {
  const res = await git(
    ['rev-list', '--left-right', '--count', '--end-of-options', `HEAD...${main}`, '--'],
    { cwd, readOnly: true, allowFail: true },
  );
  const [a, b] = res.stdout.trim().split(/\s+/).map(Number);
  return res.exitCode === 0 ? { ahead: a ?? 0, behind: b ?? 0 } : { ahead: 0, behind: 0 };
}

type Last = InstanceGitStatus['lastCommit'];

/** Subject and date of every commit in `shas`, from one `git log --no-walk`. */
async function lastCommits(cwd: string, shas: string[]): Promise<Map<string, Last>> {
  const out = new Map<string, Last>();
  if (shas.length === 0) return out;
  const res = await git(
    [
      'log',
      '--no-walk=unsorted',
      '--format=%H%x00%s%x00%cI%x00',
      '--end-of-options',
      ...shas,
      '--',
    ],
    { cwd, readOnly: true, allowFail: true },
  );
  if (res.exitCode !== 0) return out;
  const f = res.stdout.split('\0');
  for (let i = 0; i + 2 < f.length; i += 3) {
    out.set(f[i]!.trim(), { subject: f[i + 1] ?? '', date: f[i + 2] ?? '' });
  }
  return out;
}

/**
 * One listed worktree's status: dirtiness, branch and HEAD from `status --porcelain=v2` (`early`:
 * already started in the instance's directory, the same one as `listed.path`).
 */
async function rowOf(
  inst: ResolvedInstance,
  listed: ListedWorktree,
  main: string,
  last: Promise<Map<string, Last>>,
  fleetCounts: Promise<Map<string, AheadBehind> | null>,
  early: Promise<GitResult> | null,
  sink?: StatusSink,
): Promise<Omit<InstanceGitStatus, 'landedToday'>> {
  const countsOf = async (head: string) =>
    (await fleetCounts)?.get(head) ?? aheadBehind(listed.path, main);
  const [status, counts] = await Promise.all([
    early ?? git(STATUS_ARGS, { cwd: listed.path, readOnly: true, allowFail: true }),
    listed.head ? countsOf(listed.head) : Promise.resolve({ ahead: 0, behind: 0 }),
  ]);
  if (status.exitCode === 0) sink?.statusTexts.set(inst.id, status.stdout);
  const s = status.exitCode === 0 ? parseStatus(status.stdout) : null;
  const head = s ? s.head : listed.head;
  return {
    id: inst.id,
    role: inst.role,
    agent: inst.agent,
    worktree: inst.worktree,
    branch: (s ? s.branch : listed.branch) ?? '(detached)',
    exists: true,
    head,
    ...(head ? counts : { ahead: 0, behind: 0 }),
    dirty: s?.dirty ?? { staged: 0, unstaged: 0, untracked: 0 },
    operation: listed.operation,
    needsSync: false,
    lastCommit: head ? ((await last).get(head) ?? null) : null,
  };
}

/** Each head once, in the order given. */
const unique = (hs: ReadonlyArray<string | null | undefined>): string[] => [
  ...new Set(hs.filter((h): h is string => !!h)),
];

/**
 * Every instance's row with the fewest git processes and rounds of them: one `worktree list
 * --porcelain` (which worktrees exist, their HEAD and the operation in progress, read from
 * marker files), beside it main's commit and each worktree's `status` (started in every
 * instance directory with a `.git`, not after the listing: a status of a directory the listing
 * does not hold is dropped), and one `log --no-walk` for every HEAD's last commit, and
 * ahead/behind of every HEAD at once (ahead-behind.ts), for the heads read from the files, read
 * again for the listed ones only where those differ. `needsSync` and `landedToday` are the
 * caller's (fleet-wide facts). `sink`, when given, is told the heads as soon as they are known
 * (and main's commit; again if the listing differs from the files) and receives each
 * worktree's `status` output (status derives role scope from them instead of reading them
 * again).
 */
export async function readFleetRows(
  config: ResolvedConfig,
  main: string,
  sink?: StatusSink,
): Promise<Array<Omit<InstanceGitStatus, 'landedToday'>>> {
  // The listing first: the next round waits for it, not for the statuses.
  const listing = listWorktrees(config.rootDir);
  const tip = mainTip(config.rootDir, main);
  // A listed worktree has its `.git` (else the listing calls it prunable and leaves it out).
  const present = config.instances.map((i) => existsSync(path.join(i.worktreePath, '.git')));
  const early = config.instances.map((inst, k) =>
    present[k]
      ? git(STATUS_ARGS, { cwd: inst.worktreePath, readOnly: true, allowFail: true })
      : null,
  );
  // A status the listing does not use may fail unheard; a used one is awaited by its row.
  for (const e of early) e?.catch(() => undefined);
  // What needs the heads starts beside the listing too, with the heads read from the files
  // (head-guess.ts); again after it only where the listing names other heads.
  const byHeads = (heads: string[]) => {
    const last = lastCommits(config.rootDir, heads);
    sink?.onHeads?.(heads, tip);
    const counts = aheadBehindMany(config.rootDir, main, heads, tip);
    return { heads, last, counts };
  };
  const guessed = config.instances.flatMap((inst, k) =>
    present[k] ? [guessHead(inst.worktreePath)] : [],
  );
  let reads = guessed.every((h) => h !== null) ? byHeads(unique(guessed)) : null;
  const worktrees = await listing;
  const listed = config.instances.map((inst) => findListed(worktrees, inst.worktreePath));
  const heads = unique(listed.map((l) => l?.head));
  if (!reads || reads.heads.join() !== heads.join()) {
    // Unused, the guessed reads may fail unheard.
    reads?.last.catch(() => undefined);
    reads?.counts.catch(() => undefined);
    reads = byHeads(heads);
  }
  const { last, counts } = reads;
  return Promise.all(
    config.instances.map((inst, k) => {
      const l = listed[k];
      if (l) return rowOf(inst, l, main, last, counts, early[k] ?? null, sink);
      return Promise.resolve({
        id: inst.id,
        role: inst.role,
        agent: inst.agent,
        worktree: inst.worktree,
        branch: inst.branch,
        exists: false,
        head: null,
        ahead: 0,
        behind: 0,
        dirty: { staged: 0, unstaged: 0, untracked: 0 },
        operation: null,
        needsSync: false,
        lastCommit: null,
      });
    }),
  );
}
