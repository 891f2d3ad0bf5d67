import type { ResolvedConfig, ResolvedInstance } from '../../config/types.js';
import { landedToday, readNeedsSync } from '../state/land-records.js';
import { findRepo } from './repo.js';
import { git } from './run.js';
import type { InstanceGitStatus } from './status-types.js';
import { aheadBehind, readFleetRows } from './status-batch.js';
import { readWorktree } from './worktree-state.js';

/** Facts shared by every row: read once per `collectStatus`. */
export interface StatusContext {
  commonDir: string | null;
  landed: Map<string, number>;
  needsSync: Set<string>;
}

export async function statusContext(config: ResolvedConfig): Promise<StatusContext> {
  const repo = await findRepo(config.rootDir);
  if (!repo) return { commonDir: null, landed: new Map(), needsSync: new Set() };
  const [landed, needsSync] = await Promise.all([
    landedToday(repo.commonDir),
    readNeedsSync(repo.commonDir),
  ]);
  return { commonDir: repo.commonDir, landed, needsSync };
}

export function mainRef(config: ResolvedConfig): string {
  return `refs/remotes/${config.remote}/${config.mainBranch}`;
}

async function lastCommit(cwd: string): Promise<InstanceGitStatus['lastCommit']> {
  const res = await git(['log', '-1', '--format=%s%x00%cI', '--end-of-options', 'HEAD', '--'], {
    cwd,
    readOnly: true,
    allowFail: true,
  });
  if (res.exitCode !== 0 || !res.stdout.includes('\0')) return null;
  const [subject, date] = res.stdout.replace(/\n$/, '').split('\0');
  return { subject: subject ?? '', date: date ?? '' };
}

/** One instance's status row (see status-types.ts). Read only, no locks taken. */
export async function statusOf(
  config: ResolvedConfig,
  instance: ResolvedInstance,
  ctx?: StatusContext,
): Promise<InstanceGitStatus> {
  const c = ctx ?? (await statusContext(config));
  const wt = await readWorktree(instance.worktreePath);
  const base: InstanceGitStatus = {
    id: instance.id,
    role: instance.role,
    agent: instance.agent,
    worktree: instance.worktree,
    branch: wt.exists ? (wt.branch ?? '(detached)') : instance.branch,
    exists: wt.exists,
    head: wt.head,
    ahead: 0,
    behind: 0,
    dirty: wt.dirty,
    operation: wt.operation,
    needsSync: false,
    lastCommit: null,
    landedToday: c.landed.get(instance.id) ?? 0,
  };
  if (!wt.exists || !wt.head) return base;
  const [counts, last] = await Promise.all([
    aheadBehind(instance.worktreePath, mainRef(config)),
    lastCommit(instance.worktreePath),
  ]);
  return {
    ...base,
    ...counts,
    lastCommit: last,
    // Marked by a land that could not sync a dirty worktree; moot once it has caught up.
    needsSync: c.needsSync.has(instance.id) && counts.behind > 0,
  };
}

/** Every instance's status row, in config order (see status-batch.ts for `statusTexts`). */
export async function collectStatus(
  config: ResolvedConfig,
  statusTexts?: Map<string, string>,
): Promise<InstanceGitStatus[]> {
  const [ctx, rows] = await Promise.all([
    statusContext(config),
    readFleetRows(config, mainRef(config), statusTexts),
  ]);
  return rows.map((r) => {
    const row = { ...r, landedToday: ctx.landed.get(r.id) ?? 0 };
    // Marked by a land that could not sync a dirty worktree; moot once it has caught up.
    return { ...row, needsSync: ctx.needsSync.has(r.id) && r.behind > 0 };
  });
}
