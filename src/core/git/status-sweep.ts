import type { ResolvedConfig, ResolvedInstance } from '../../config/types.js';
import { git } from './run.js';
import type { InstanceGitStatus } from './status-types.js';
import { statusOf, type StatusContext } from './status.js';
import { parseStatus, STATUS_ARGS } from './worktree-state.js';

/**
 * The slow sweep's read of one instance: only its working tree can have changed without a git
 * event (HEAD, index and refs are watched), so one `git status` answers it. When that status
 * shows another HEAD or branch than `prev` (an event was missed), the full read runs instead.
 * Returns `prev` itself when nothing changed, so the store can skip the update.
 */
export async function sweepStatus(
  config: ResolvedConfig,
  instance: ResolvedInstance,
  prev: InstanceGitStatus,
  ctx: () => Promise<StatusContext>,
): Promise<InstanceGitStatus> {
  if (!prev.exists || !prev.head) return statusOf(config, instance, await ctx());
  const res = await git(STATUS_ARGS, {
    cwd: instance.worktreePath,
    readOnly: true,
    allowFail: true,
    // The sweep reads every due worktree in the same turn: one `sh` starts their `git status`
    // (one fork of this large process per sweep, not one per worktree).
    batch: true,
  });
  if (res.exitCode !== 0) return statusOf(config, instance, await ctx());
  const now = parseStatus(res.stdout);
  if (now.head !== prev.head || (now.branch ?? '(detached)') !== prev.branch)
    return statusOf(config, instance, await ctx());
  const d = now.dirty;
  const same =
    d.staged === prev.dirty.staged &&
    d.unstaged === prev.dirty.unstaged &&
    d.untracked === prev.dirty.untracked;
  return same ? prev : { ...prev, dirty: d };
}
