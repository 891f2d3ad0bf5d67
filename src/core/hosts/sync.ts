import { randomBytes } from 'node:crypto';
import type { ResolvedConfig, ResolvedHost, ResolvedInstance } from '../../config/types.js';
import type { PlannedInstance } from '../land/plan.js';
import type { SyncResult } from '../land/sync.js';
import { syncScript, type SyncJob } from './sync-scripts.js';
import type { LandProgress, SyncOutcome } from '../land/types.js';
import { hostGroups, perHost } from './fleet.js';
import { sections, type Section } from './read.js';
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
interface HostSyncResult {
  sync: SyncOutcome;
  reason: string;
  /**
   * The script was sent but its answer never came (the connection was cut, the deadline hit):
   * it may be running on the host still, so nothing can be said about the worktree — it is
   * never `unchanged`, whatever the land did.
   */
  unanswered?: boolean;
}

/** The sync script left for the host, its answer cut off: say so, and what to do. */
function unanswered(p: SyncItem, host: ResolvedHost, detail: string): HostSyncResult {
  return {
    sync: 'needs-sync',
    unanswered: true,
    reason: `the sync session on host ${host.name} was cut before it answered (${detail}): the sync may still be running there — run "fleet-tui sync ${p.inst.id}" to see where it stands (and "fleet-tui recover" if the host went down)`,
  };
}

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

interface SyncItem {
  inst: ResolvedInstance;
  /** The landed tip (its commits are on main now), or null for a plain sync. */
  from: string | null;
}

/** What the script's checks decided, in words (the same reasons as a local sync). */
function refusal(p: SyncItem, host: ResolvedHost, verdict: string, detail: string): HostSyncResult {
  const where = `${p.inst.worktree} on host ${host.name}`;
  const r = (sync: SyncOutcome, reason: string) => ({ sync, reason });
  switch (verdict) {
    case 'none':
      return r('unchanged', `no worktree at ${where}`);
    case 'current':
      return r('unchanged', 'already up to date');
    case 'busy':
      return r(
        'needs-sync',
        `another fleet-tui sync has been running on host ${host.name} for two minutes — run "fleet-tui sync ${p.inst.id}" when it has finished`,
      );
    case 'operation':
      return r('needs-sync', `an operation is in progress in ${where}`);
    case 'unfinished':
      return r(
        'needs-sync',
        `a sync fleet-tui started in ${where} was cut short (the host went down) — run "fleet-tui recover"`,
      );
    case 'branch':
      return r('needs-sync', `${where} is not on ${p.inst.branch}`);
    case 'rewritten':
      return r('needs-sync', `${p.inst.branch} was rewritten during the land`);
    case 'merges': {
      const n = Number(detail.trim()) || 1;
      return r(
        'needs-sync',
        `${p.inst.branch} has ${n} merge commit${n > 1 ? 's' : ''} a rebase would flatten — land it, or rebase it yourself with "git rebase --rebase-merges" on the host`,
      );
    }
    case 'ignored': {
      const hits = detail.split('\n').filter(Boolean).sort();
      return r(
        'needs-sync',
        `the sync would overwrite or delete ignored files in ${where}: ${hits.slice(0, 5).join(', ')} — move them out of the way, then land again`,
      );
    }
    default:
      // The script said nothing of this worktree: it may have moved it, or be moving it.
      return unanswered(p, host, 'no verdict in its report');
  }
}

/** What the rebase part of the script did to one worktree that passed its checks. */
function moved(
  p: SyncItem,
  host: ResolvedHost,
  done: Map<string, Section>,
  i: number,
): HostSyncResult {
  const rebase = done.get(`${i}:rebase`);
  const conflict = done.get(`${i}:conflict`);
  if (done.get(`${i}:backup`)?.rc !== 0)
    return {
      sync: 'needs-sync',
      reason: 'could not write the backup ref on the host; nothing was moved',
    };
  if (rebase?.rc === 0) return { sync: 'synced', reason: '' };
  if (conflict?.rc === 1) {
    const files = conflict.text.split('\0').filter(Boolean);
    return {
      sync: 'needs-sync',
      reason: `conflict in ${files.join(', ') || '(unknown files)'}; rebase aborted, branch left as it was`,
    };
  }
  const why = (rebase?.text ?? '').trim().split('\n').filter(Boolean)[0] ?? 'git rebase refused';
  return {
    sync: 'needs-sync',
    reason: `${why} — commit or stash in ${p.inst.hostPath!} on host ${host.name}, then run "fleet-tui sync ${p.inst.id}"`,
  };
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
  const done = sections(res.stdout.toString('utf8'), nonce);
  planned.forEach((p, i) => {
    // The report is sent in one piece at the end; a cut mid-way truncates it. A worktree's
    // sections are whole only when something after them (the next one's, or the end) came.
    if (!done.has(`${i + 1}:verdict`) && !done.has('-:end')) {
      out.set(p.inst.id, unanswered(p, host, 'its report was cut off'));
      return;
    }
    const said = done.get(`${i}:verdict`)?.text ?? '';
    const nl = said.indexOf('\n');
    const verdict = nl < 0 ? said : said.slice(0, nl);
    out.set(
      p.inst.id,
      verdict === 'go' ? moved(p, host, done, i) : refusal(p, host, verdict, said.slice(nl + 1)),
    );
  });
  return out;
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
