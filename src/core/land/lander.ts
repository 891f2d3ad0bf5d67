import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { FleetError } from '../errors.js';
import { fleetDir } from '../git/repo.js';
import { git } from '../git/run.js';
import { isClean, readWorktree } from '../git/worktree-state.js';

/**
 * The lander: a detached worktree under the git common dir that belongs to fleet-tui. The chain
 * tip is checked out there for the gate and the push (so pre-push hooks see the real tree); no
 * agent worktree is ever used for landing.
 */
export function landerPath(commonDir: string): string {
  return path.join(fleetDir(commonDir), 'lander');
}

export async function ensureLander(
  commonDir: string,
  repoCwd: string,
  start: string,
): Promise<string> {
  const dir = landerPath(commonDir);
  const state = await readWorktree(dir);
  if (!state.exists) {
    if (existsSync(dir)) {
      throw new FleetError(`${dir} exists but is not a worktree — run "fleet-tui recover"`);
    }
    const add = () =>
      git(['worktree', 'add', '-q', '--detach', '--', dir, start], {
        cwd: repoCwd,
        allowFail: true,
      });
    // A lander removed without git knowing ("missing but already registered") is pruned, then
    // added again; the usual first add needs no prune before it.
    const first = await add();
    if (first.exitCode !== 0) {
      await git(['worktree', 'prune'], { cwd: repoCwd });
      await git(['worktree', 'add', '-q', '--detach', '--', dir, start], { cwd: repoCwd });
    }
    return dir;
  }
  if (state.operation || !isClean(state)) {
    throw new FleetError(`the lander worktree ${dir} is not clean — run "fleet-tui recover"`);
  }
  return dir;
}

export async function checkoutLander(dir: string, tip: string): Promise<void> {
  await git(['checkout', '-q', '--detach', tip, '--'], { cwd: dir });
}

/** Remove the lander (fleet-tui's scratch worktree, holding no one's work); the next land makes it. */
export async function dropLander(commonDir: string, repoCwd: string): Promise<void> {
  const dir = landerPath(commonDir);
  await git(['worktree', 'remove', '--force', '--force', '--', dir], {
    cwd: repoCwd,
    allowFail: true,
  });
  await rm(dir, { recursive: true, force: true });
  await git(['worktree', 'prune'], { cwd: repoCwd, allowFail: true });
}
