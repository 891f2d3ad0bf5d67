import { existsSync } from 'node:fs';
import path from 'node:path';
import type { ResolvedConfig, ResolvedInstance } from '../../config/types.js';
import { FleetError, UsageError } from '../errors.js';
import { backupRef } from './backup.js';
import { excludeFromGit } from './exclude.js';
import { withRepoLock } from './lock.js';
import { requireRemote } from './remote.js';
import { keptIgnored } from './ignored.js';
import { findRepo } from './repo.js';
import { git, gitOut } from './run.js';
import { mainRef } from './status.js';
import { isClean, readWorktree } from './worktree-state.js';

export interface UpResult {
  id: string;
  outcome: 'created' | 'exists' | 'wrong-branch' | 'error';
  detail: string;
}

export async function requireRepo(config: ResolvedConfig) {
  const repo = await findRepo(config.rootDir);
  if (!repo) {
    throw new UsageError(`${config.rootDir} is not inside a git repository — run "git init" there`);
  }
  return repo;
}

export function instanceById(config: ResolvedConfig, id: string): ResolvedInstance {
  const inst = config.instances.find((i) => i.id === id);
  if (!inst) {
    const known = config.instances.map((i) => i.id).join(', ');
    throw new UsageError(`no instance "${id}" in the config — known: ${known}`);
  }
  return inst;
}

async function refExists(cwd: string, ref: string): Promise<boolean> {
  const res = await git(['rev-parse', '--verify', '-q', '--end-of-options', ref], {
    cwd,
    readOnly: true,
    allowFail: true,
  });
  return res.exitCode === 0;
}

async function upOne(config: ResolvedConfig, inst: ResolvedInstance): Promise<UpResult> {
  const cwd = config.rootDir;
  const wt = await readWorktree(inst.worktreePath);
  if (wt.exists) {
    if (wt.branch === inst.branch) return { id: inst.id, outcome: 'exists', detail: inst.worktree };
    return {
      id: inst.id,
      outcome: 'wrong-branch',
      detail: `${inst.worktree} is on ${wt.branch ?? `a detached HEAD (${wt.head?.slice(0, 7)})`}, not ${inst.branch} — left untouched`,
    };
  }
  if (existsSync(inst.worktreePath)) {
    return {
      id: inst.id,
      outcome: 'error',
      detail: `${inst.worktree} exists but is not a worktree of this repository — move it away, then run "fleet-tui up" again`,
    };
  }
  const hasBranch = await refExists(cwd, `refs/heads/${inst.branch}`);
  const args = hasBranch
    ? ['worktree', 'add', '-q', '--', inst.worktreePath, inst.branch]
    : [
        'worktree',
        'add',
        '-q',
        '--no-track',
        '-b',
        inst.branch,
        '--',
        inst.worktreePath,
        mainRef(config),
      ];
  const res = await git(args, { cwd, allowFail: true });
  if (res.exitCode !== 0) {
    return { id: inst.id, outcome: 'error', detail: res.stderr.trim().split('\n').pop() ?? '' };
  }
  const from = hasBranch
    ? `existing branch ${inst.branch}`
    : `new branch ${inst.branch} from ${config.remote}/${config.mainBranch}`;
  return { id: inst.id, outcome: 'created', detail: `${inst.worktree} on ${from}` };
}

/**
 * Worktrees inside the main checkout would show there as untracked (`?? .claude/`): they are
 * excluded through the repository's own exclude file, never a tracked .gitignore. The whole
 * worktree root goes (Claude Code keeps its own worktrees next to ours), and any instance
 * worktree configured elsewhere in the checkout.
 */
async function excludeWorktrees(config: ResolvedConfig): Promise<void> {
  const inside = (rel: string) => rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
  const rel = (p: string) =>
    path.relative(config.rootDir, path.resolve(config.rootDir, p)).split(path.sep).join('/');
  const root = rel(config.worktreeRoot);
  const patterns = new Set<string>();
  if (inside(root)) patterns.add(`/${root}/`);
  for (const inst of config.instances) {
    const wt = rel(inst.worktreePath);
    if (inside(wt) && !(inside(root) && wt.startsWith(`${root}/`))) patterns.add(`/${wt}/`);
  }
  for (const p of patterns) await excludeFromGit(config.rootDir, p, 'agent worktrees');
}

/** Create every missing worktree and branch from the config. Idempotent. */
export async function upFleet(config: ResolvedConfig): Promise<UpResult[]> {
  const repo = await requireRepo(config);
  return withRepoLock(repo.commonDir, 'worktrees', async () => {
    const cwd = config.rootDir;
    if (!(await refExists(cwd, mainRef(config)))) {
      // A fresh clone without the remote-tracking ref yet: one fetch makes the start point.
      await requireRemote(config);
      await git(['fetch', '-q', '--', config.remote, config.mainBranch], { cwd, allowFail: true });
    }
    if (!(await refExists(cwd, mainRef(config)))) {
      throw new FleetError(
        `${config.remote}/${config.mainBranch} not found — check "remote" and "mainBranch" in the config and that "git fetch ${config.remote}" works`,
      );
    }
    // Admin entries of worktree directories deleted by hand would block "worktree add".
    await git(['worktree', 'prune'], { cwd });
    const results: UpResult[] = [];
    for (const inst of config.instances) results.push(await upOne(config, inst));
    await excludeWorktrees(config);
    return results;
  });
}

export interface DownResult {
  id: string;
  /** The worktree, relative to the repository (for messages). */
  worktree: string;
  removed: boolean;
  /** What would be (or, with force, was) lost from the worktree itself. */
  uncommitted: string[];
  /** Commits of the branch not on main (patch-equivalent ones excluded). */
  unlanded: string[];
  /** Ignored files and directories outside `down.disposable` (user data such as `prod.env`). */
  ignored: string[];
  backups: string[];
}

/** Commits on `branch` not on main, as "sha subject" lines (patch-equivalent ones excluded). */
async function unlandedCommits(config: ResolvedConfig, ref: string): Promise<string[]> {
  const out = await gitOut(
    [
      'log',
      '--format=%h %s',
      '--right-only',
      '--cherry-pick',
      '--no-merges',
      '--end-of-options',
      `${mainRef(config)}...${ref}`,
      '--',
    ],
    { cwd: config.rootDir, readOnly: true },
  );
  return out ? out.split('\n') : [];
}

/**
 * Remove an instance's worktree (the branch stays). Only when it is clean, its commits are on
 * main and it holds no ignored file outside `down.disposable`, unless `force`: then the branch tip and a snapshot of tracked changes are kept under
 * refs/fleet/backup/ first, and the caller has been told what is lost.
 */
export async function downInstance(
  config: ResolvedConfig,
  id: string,
  opts: { force?: boolean } = {},
): Promise<DownResult> {
  const inst = instanceById(config, id);
  const repo = await requireRepo(config);
  return withRepoLock(repo.commonDir, 'worktrees', async () => {
    const wt = await readWorktree(inst.worktreePath);
    if (!wt.exists)
      throw new FleetError(`${id}: no worktree at ${inst.worktree} — nothing to remove`);
    if (wt.operation) {
      throw new FleetError(
        `${id}: a ${wt.operation} is in progress in ${inst.worktree} — finish or abort it first`,
      );
    }
    const uncommitted = wt.changed;
    const unlanded = wt.head ? await unlandedCommits(config, wt.head) : [];
    // `git worktree remove` deletes ignored files without asking; only disposable ones may go.
    const ignored = await keptIgnored(inst.worktreePath, config.down.disposable);
    const result: DownResult = {
      id,
      worktree: inst.worktree,
      removed: false,
      uncommitted,
      unlanded,
      ignored,
      backups: [],
    };
    if ((!isClean(wt) || unlanded.length > 0 || ignored.length > 0) && !opts.force) return result;
    const cwd = config.rootDir;
    if (wt.head && unlanded.length > 0)
      result.backups.push(await backupRef(cwd, id, wt.head, 'down'));
    if (!isClean(wt)) {
      // Tracked changes survive as a stash-like commit; untracked files cannot be kept this way.
      const snap = await gitOut(['stash', 'create'], { cwd: inst.worktreePath });
      if (snap) result.backups.push(await backupRef(cwd, id, snap, 'down-wip'));
    }
    await git(['worktree', 'remove', ...(opts.force ? ['--force'] : []), '--', inst.worktreePath], {
      cwd,
    });
    result.removed = true;
    return result;
  });
}
