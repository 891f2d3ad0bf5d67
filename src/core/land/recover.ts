import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { ResolvedConfig } from '../../config/types.js';
import { pidAlive, withRepoLock } from '../git/lock.js';
import { git } from '../git/run.js';
import { requireRepo } from '../git/worktree.js';
import { readRebaseState, type RebaseState } from '../git/rebase-state.js';
import { isClean, readWorktree } from '../git/worktree-state.js';
import { dropLander, landerPath } from './lander.js';
import { recoverOnHosts } from '../hosts/recover.js';
import { clearJournal, readJournal, recoveryNeeded } from '../state/land-records.js';
import { nonceLine, readSyncMarkers, removeSyncMarker, type SyncMarker } from './sync-marker.js';

const GIT_WAIT_MS = 30_000;

/**
 * After a crash or kill mid-land: abort the rebases fleet-tui itself started in agent worktrees
 * (their branch tips are also kept under refs/fleet/backup/), reset the lander (fleet-tui's own
 * worktree, holding no one's work), drop a dead process's lock and journal. Pushed commits are
 * already on main; unpushed chain commits were never referenced by a branch, so nothing is lost.
 */
export interface RecoverReport {
  actions: string[];
  /** Something is still wrong (a land is running, an abort failed). */
  problems: string[];
}

/** Does a dead land need `recover`? (status warns, land refuses.) */
export async function needsRecovery(config: ResolvedConfig): Promise<string | null> {
  const repo = await requireRepo(config);
  const j = await recoveryNeeded(repo.commonDir);
  if (j)
    return `a land started ${j.startedAt} by pid ${j.pid} did not finish — run "fleet-tui recover"`;
  const markers = (await readSyncMarkers(repo.commonDir)).filter((m) => !pidAlive(m.pid));
  if (markers.length > 0)
    return `a sync of ${markers.map((m) => m.id).join(', ')} did not finish — run "fleet-tui recover"`;
  return null;
}

/**
 * The git rebase a killed land left running (orphaned, it goes on): wait for it to end. The pid
 * is git's own, or that of the `sh` that started the syncs' rebases together (run-batch.ts),
 * which ends only after its git processes.
 */
async function waitForGit(pid: number | undefined, waitMs: number): Promise<boolean> {
  const running = async () => {
    if (!pid || !pidAlive(pid)) return false;
    // Where the kernel says what runs under that pid, a reused pid is not mistaken for git (or
    // its sh), nor an exited one nobody has reaped yet (a zombie) for a running one.
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => null);
    if (stat === null) return true;
    const m = /^\d+ \((.*)\) (\S)/s.exec(stat);
    return !m || ((m[1]!.startsWith('git') || m[1] === 'sh') && m[2] !== 'Z');
  };
  const deadline = Date.now() + waitMs;
  while (await running()) {
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 50));
  }
  return true;
}

/** Is the rebase in progress exactly the one the marker says fleet-tui started? */
function isOurs(m: SyncMarker, st: RebaseState): boolean {
  return (
    !!m.nonce &&
    st.todo.includes(nonceLine(m.nonce)) &&
    st.onto === m.to &&
    st.origHead === m.from &&
    st.headName === `refs/heads/${m.branch}`
  );
}

/** Abort the rebase the marker proves is fleet-tui's; otherwise leave the worktree alone. */
async function settleMarker(
  m: SyncMarker,
  gitWaitMs: number,
): Promise<{ action: string; problem?: undefined } | { action?: undefined; problem: string }> {
  if (!(await waitForGit(m.gitPid, gitWaitMs))) {
    return {
      problem: `${m.id}: git (pid ${m.gitPid}) is still rebasing in ${m.worktree} — run "fleet-tui recover" again when it has finished`,
    };
  }
  const st = await readRebaseState(m.worktree);
  if (!st) {
    return {
      action: `${m.id}: the rebase fleet-tui started in ${m.worktree} is not in progress (it finished or never began); cleared its marker`,
    };
  }
  if (!isOurs(m, st)) {
    return {
      action: `${m.id}: the rebase in progress in ${m.worktree} is not the one fleet-tui started — left it alone; cleared fleet-tui's stale marker`,
    };
  }
  const res = await git(['rebase', '--abort'], { cwd: m.worktree, allowFail: true });
  if (res.exitCode !== 0) {
    return {
      problem: `${m.id}: could not abort the rebase fleet-tui started in ${m.worktree}: ${res.stderr.trim().split('\n').pop() ?? ''}`,
    };
  }
  return {
    action: `${m.id}: aborted the rebase fleet-tui started; ${m.branch} is back where it was`,
  };
}

export interface RecoverOptions {
  /** How long to wait for a killed land's `git rebase` that is still running (default 30 s). */
  gitWaitMs?: number;
}

export async function recover(
  config: ResolvedConfig,
  opts: RecoverOptions = {},
): Promise<RecoverReport> {
  const repo = await requireRepo(config);
  const commonDir = repo.commonDir;
  const actions: string[] = [];
  const problems: string[] = [];
  // Holding the land lock (taking over a dead holder's) proves no land or sync is running, so
  // every journal and marker found now was left by a process that is gone.
  await withRepoLock(
    commonDir,
    'land',
    async () => {
      for (const m of await readSyncMarkers(commonDir)) {
        const done = await settleMarker(m, opts.gitWaitMs ?? GIT_WAIT_MS);
        if (done.problem !== undefined) problems.push(done.problem);
        else {
          actions.push(done.action);
          await removeSyncMarker(commonDir, m.id);
        }
      }
      const lander = landerPath(commonDir);
      if (existsSync(lander)) {
        const st = await readWorktree(lander);
        const lock = await git(
          ['rev-parse', '--path-format=absolute', '--git-path', 'index.lock'],
          {
            cwd: lander,
            readOnly: true,
            allowFail: true,
          },
        );
        const locked = lock.exitCode === 0 && existsSync(lock.stdout.trim());
        if (!st.exists || st.operation || !isClean(st) || locked) {
          // The lander is fleet-tui's own scratch worktree: drop it; the next land recreates it.
          await dropLander(commonDir, config.rootDir);
          actions.push(`removed the lander worktree left in a half state (${lander})`);
        }
      }
      if (await readJournal(commonDir)) {
        await clearJournal(commonDir);
        actions.push('cleared the journal of the unfinished land');
      }
      // Host worktrees: what a host that went down mid-sync left there, settled on the host.
      const onHosts = await recoverOnHosts(config);
      actions.push(...onHosts.actions);
      problems.push(...onHosts.problems);
    },
    { onStale: (info) => actions.push(`removed the land lock of pid ${info.pid}, which is gone`) },
  );
  return { actions, problems };
}
