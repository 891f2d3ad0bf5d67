import type { ResolvedConfig } from '../../config/types.js';
import { withRepoLock } from '../git/lock.js';
import { git, gitOut } from '../git/run.js';
import { requireRemote } from '../git/remote.js';
import { mainRef } from '../git/status.js';
import { instanceById, requireRepo } from '../git/worktree.js';
import { FleetError } from '../errors.js';
import { findListed, listWorktrees } from '../git/worktree-list.js';
import { readJournal, updateNeedsSync } from '../state/land-records.js';
import { syncWorktrees, type SyncResult } from './sync.js';
import { syncHostInstances } from '../hosts/sync.js';

/** `fleet-tui sync`: rebase clean instances onto the latest main; conflicts are aborted. */
export async function syncInstances(
  config: ResolvedConfig,
  ids: readonly string[],
): Promise<SyncResult[]> {
  const insts = ids.map((id) => instanceById(config, id));
  const repo = await requireRepo(config);
  await requireRemote(config);
  return withRepoLock(repo.commonDir, 'land', async () => {
    if (await readJournal(repo.commonDir))
      throw new FleetError('a land did not finish — run "fleet-tui recover" first');
    await git(['fetch', '-q', '--no-tags', '--', config.remote, config.mainBranch], {
      cwd: config.rootDir,
    });
    const target = await gitOut(['rev-parse', '--verify', '--end-of-options', mainRef(config)], {
      cwd: config.rootDir,
      readOnly: true,
    });
    const results: SyncResult[] = [];
    const worktrees = await listWorktrees(config.rootDir);
    // Instances on SSH hosts are synced on their host, with the same rules.
    const onHosts = insts.filter((i) => i.host);
    const hostResults = onHosts.length > 0 ? syncHostInstances(config, onHosts, target) : [];
    results.push(
      ...(await syncWorktrees(
        repo.commonDir,
        insts
          .filter((i) => !i.host)
          .map((inst) => ({
            inst,
            target,
            from: null,
            listed: findListed(worktrees, inst.worktreePath),
          })),
      )),
    );
    results.push(...(await hostResults));
    results.sort((a, b) => ids.indexOf(a.id) - ids.indexOf(b.id));
    await updateNeedsSync(
      repo.commonDir,
      [],
      results
        .filter((r) => r.sync === 'synced' || r.reason === 'already up to date')
        .map((r) => r.id),
    );
    return results;
  });
}

export async function syncInstance(config: ResolvedConfig, id: string): Promise<SyncResult> {
  const [r] = await syncInstances(config, [id]);
  return r!;
}

export function syncAll(config: ResolvedConfig): Promise<SyncResult[]> {
  return syncInstances(
    config,
    config.instances.map((i) => i.id),
  );
}
