import { randomBytes } from 'node:crypto';
import type { ResolvedConfig, ResolvedHost, ResolvedInstance } from '../../config/types.js';
import type { PlannedInstance } from '../land/plan.js';
import type { SyncResult } from '../land/sync.js';
import { checkScript, rebaseScript } from './sync-scripts.js';
import type { LandProgress, SyncOutcome } from '../land/types.js';
import { hostGroups, perHost } from './fleet.js';
import { conservativeHits } from './ignored.js';
import { sections, type Section } from './read.js';
import { gitWithHost, hostRun } from './ssh.js';

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

const text = (s: Section | undefined) => (s && s.rc === 0 ? s.text.trim() : '');

interface SyncItem {
  inst: ResolvedInstance;
  /** The landed tip (its commits are on main now), or null for a plain sync. */
  from: string | null;
}

async function syncGroup(
  config: ResolvedConfig,
  host: ResolvedHost,
  planned: SyncItem[],
  target: string,
): Promise<Map<string, HostSyncResult>> {
  const out = new Map<string, HostSyncResult>();
  await pushMain(config, host, target);
  const items = planned.map((p) => ({ path: p.inst.hostPath!, from: p.from }));
  const nonce = randomBytes(12).toString('hex');
  const checked = sections(
    (await hostRun(host, checkScript(items, target, nonce))).stdout.toString('utf8'),
    nonce,
  );
  const jobs: Parameters<typeof rebaseScript>[0] = [];
  planned.forEach((p, i) => {
    const get = (n: string) => checked.get(`${i}:${n}`);
    const r = (sync: SyncOutcome, reason: string) => out.set(p.inst.id, { sync, reason });
    const head = text(get('head'));
    const where = `${p.inst.worktree} on host ${host.name}`;
    if (!head) return r('unchanged', `no worktree at ${where}`);
    if (head === target) return r('unchanged', 'already up to date');
    const op = (get('ops')?.text ?? '').split('\n').indexOf('1');
    if (op >= 0) return r('needs-sync', `an operation is in progress in ${where}`);
    if (text(get('branch')) !== p.inst.branch)
      return r('needs-sync', `${where} is not on ${p.inst.branch}`);
    if (p.from === null && get('anc')?.rc === 0) return r('unchanged', 'already up to date');
    if (p.from !== null && get('anc')?.rc !== 0)
      return r('needs-sync', `${p.inst.branch} was rewritten during the land`);
    const merges = Number(text(get('merges'))) || 0;
    if (merges > 0)
      return r(
        'needs-sync',
        `${p.inst.branch} has ${merges} merge commit${merges > 1 ? 's' : ''} a rebase would flatten — land it, or rebase it yourself with "git rebase --rebase-merges" on the host`,
      );
    const ignored = (get('ignored')?.text ?? '')
      .split('\0')
      .filter((f) => f.startsWith('! '))
      .map((f) => f.slice(2));
    const touched = `${get('diff')?.text ?? ''}\0${get('log')?.text ?? ''}`
      .split('\0')
      .map((t) => t.replace(/^\n+/, ''))
      .filter(Boolean);
    const hits = conservativeHits(ignored, touched);
    if (hits.length > 0)
      return r(
        'needs-sync',
        `the sync would overwrite or delete ignored files in ${where}: ${hits.slice(0, 5).join(', ')} — move them out of the way, then land again`,
      );
    jobs.push({
      i,
      id: p.inst.id,
      path: items[i]!.path,
      head,
      from: items[i]!.from,
      target,
      nonce: randomBytes(12).toString('hex'),
    });
  });
  if (jobs.length === 0) return out;
  const n2 = randomBytes(12).toString('hex');
  const done = sections(
    (await hostRun(host, rebaseScript(jobs, n2), { timeoutMs: 600_000 })).stdout.toString('utf8'),
    n2,
  );
  for (const j of jobs) {
    const id = j.id;
    const rebase = done.get(`${j.i}:rebase`);
    const conflict = done.get(`${j.i}:conflict`);
    if (done.get(`${j.i}:backup`)?.rc !== 0)
      out.set(id, {
        sync: 'needs-sync',
        reason: 'could not write the backup ref on the host; nothing was moved',
      });
    else if (rebase?.rc === 0) out.set(id, { sync: 'synced', reason: '' });
    else if (conflict?.rc === 1) {
      const files = conflict.text.split('\0').filter(Boolean);
      out.set(id, {
        sync: 'needs-sync',
        reason: `conflict in ${files.join(', ') || '(unknown files)'}; rebase aborted, branch left as it was`,
      });
    } else {
      const why =
        (rebase?.text ?? '').trim().split('\n').filter(Boolean)[0] ?? 'git rebase refused';
      out.set(id, {
        sync: 'needs-sync',
        reason: `${why} — commit or stash in ${j.path} on host ${host.name}, then run "fleet-tui sync ${id}"`,
      });
    }
  }
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
    p.result = {
      ...p.result,
      sync: res.sync === 'needs-sync' && p.result.outcome === 'nothing' ? 'unchanged' : res.sync,
    };
    if (p.result.outcome === 'landed')
      progress({ id: p.inst.id, phase: 'landed', detail: res.reason });
    if (res.reason && p.result.outcome === 'landed' && res.sync !== 'synced')
      p.result = { ...p.result, reason: res.reason };
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
