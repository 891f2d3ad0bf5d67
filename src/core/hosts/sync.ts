import { randomBytes } from 'node:crypto';
import type { ResolvedConfig, ResolvedHost, ResolvedInstance } from '../../config/types.js';
import type { PlannedInstance } from '../land/plan.js';
import type { SyncResult } from '../land/sync.js';
import { syncScript, type SyncJob } from './sync-scripts.js';
import type { LandProgress } from '../land/types.js';
import { hostGroups, perHost } from './fleet.js';
import { readSyncReport, unanswered, type HostSyncResult, type SyncItem } from './sync-report.js';
import { gitWithHost, HostError, hostRun } from './ssh.js';

/**
 * After a land: the new main goes to each host's clone (`refs/remotes/<remote>/<main>`, as if
 * the host had fetched it, and `refs/fleet/main`), then the host's worktrees are synced ON the
 * host with the rules of a local sync: only on its branch, no operation in progress, no
 * uncommitted tracked change (git's own refusal), no merge commits to flatten, no ignored file in
 * the way, a backup ref first, and a rebase that stops is aborted — only the one fleet-tui
 * started, known by the nonce git writes into its todo. The rebase runs in a script that
 * ignores SIGHUP and SIGPIPE: a connection that dies mid-way cannot stop it half done.
 */
async function pushMain(config: ResolvedConfig, host: ResolvedHost, target: string) {
  const res = await gitWithHost(host, config.rootDir, (url) => [
    'push',
    '--porcelain',
    '--',
    url,
    `${target}:refs/fleet/main`,
    `${target}:refs/remotes/${config.remote}/${config.mainBranch}`,
  ]);
  // Our own ref must be there (it carries the objects); the host's remote-tracking ref may
  // legitimately be ahead (the host fetched origin itself), which git reports as rejected.
  const ok = res.stdout.split('\n').some((l) => /^[ *=+]\t[^\t]*:refs\/fleet\/main\t/.test(l));
  if (!ok) throw new Error(res.stderr.trim().split('\n').filter(Boolean).pop() ?? 'push failed');
}

/**
 * One host: the new main pushed to its clone, then ONE session whose script checks every
 * worktree and moves those that pass, the checks gating the rebase on the host itself.
 */
async function syncGroup(
  config: ResolvedConfig,
  host: ResolvedHost,
  planned: SyncItem[],
  target: string,
): Promise<Map<string, HostSyncResult>> {
  await pushMain(config, host, target);
  const jobs: SyncJob[] = planned.map((p) => ({
    id: p.inst.id,
    path: p.inst.hostPath!,
    branch: p.inst.branch,
    from: p.from,
    nonce: randomBytes(12).toString('hex'),
  }));
  const nonce = randomBytes(12).toString('hex');
  const out = new Map<string, HostSyncResult>();
  let res;
  try {
    res = await hostRun(host, syncScript(jobs, target, nonce, host.repo), { timeoutMs: 600_000 });
  } catch (e) {
    // Sent (or maybe sent) and cut: the script ignores SIGHUP and goes on by itself.
    if (!(e instanceof HostError)) throw e;
    for (const p of planned) out.set(p.inst.id, unanswered(p, host, e.detail));
    return out;
  }
  return readSyncReport(res.stdout.toString('utf8'), nonce, planned, host);
}

/** Sync `items` on their hosts (all hosts at once); an unreachable host makes its items needs-sync. */
async function syncItems(
  config: ResolvedConfig,
  items: SyncItem[],
  target: string,
): Promise<Map<string, HostSyncResult>> {
  const groups = hostGroups(
    config,
    items.map((p) => p.inst),
  );
  const results = await perHost(groups, (g) =>
    syncGroup(
      config,
      g.host,
      items.filter((p) => p.inst.host === g.host.name),
      target,
    ).catch((e: unknown) => {
      if ((e as Error).name === 'HostError') throw e;
      return new Map(
        g.insts.map((i) => [
          i.id,
          { sync: 'needs-sync' as const, reason: `host ${g.host.name}: ${(e as Error).message}` },
        ]),
      );
    }),
  );
  const out = new Map<string, HostSyncResult>();
  for (const p of items) {
    const r = results.get(p.inst.host!)!;
    out.set(
      p.inst.id,
      r.ok
        ? (r.value.get(p.inst.id) ?? { sync: 'unchanged', reason: '' })
        : {
            sync: 'needs-sync',
            reason: `host "${p.inst.host}" unreachable: ${r.error} — run "fleet-tui sync ${p.inst.id}" when it is back`,
          },
    );
  }
  return out;
}

/** Sync the landed (and nothing-to-land) instances on hosts; sets each one's `sync` and reason. */
export async function syncOnHosts(
  config: ResolvedConfig,
  planned: PlannedInstance[],
  target: string,
  progress: (p: LandProgress) => void,
): Promise<void> {
  const results = await syncItems(
    config,
    planned.map((p) => ({ inst: p.inst, from: p.branchTip })),
    target,
  );
  for (const p of planned) {
    const res = results.get(p.inst.id)!;
    p.result = { ...p.result, sync: res.sync };
    if (p.result.outcome === 'landed')
      progress({ id: p.inst.id, phase: 'landed', detail: res.reason });
    if (res.reason && p.result.outcome === 'landed' && res.sync !== 'synced')
      p.result = { ...p.result, reason: res.reason };
    // Nothing landed and the sync refused: the worktree only stays behind main, as a local one
    // does (land.ts settleSync), the refusal kept as news. A sync that never answered stays
    // needs-sync: the host may have moved the worktree, or be moving it now.
    if (res.sync === 'needs-sync' && p.result.outcome === 'nothing')
      p.result = res.unanswered
        ? { ...p.result, reason: res.reason }
        : {
            ...p.result,
            sync: 'unchanged',
            reason: `${p.result.reason}; not caught up with main: ${res.reason}`,
          };
  }
}

/** `fleet-tui sync` for instances on hosts: their branch's own commits onto `target`. */
export async function syncHostInstances(
  config: ResolvedConfig,
  insts: ResolvedInstance[],
  target: string,
): Promise<SyncResult[]> {
  const results = await syncItems(
    config,
    insts.map((inst) => ({ inst, from: null })),
    target,
  );
  return insts.map((i) => ({ id: i.id, ...results.get(i.id)! }));
}
