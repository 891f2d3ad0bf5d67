import type { ResolvedConfig, ResolvedInstance } from '../../config/types.js';
import { git } from '../git/run.js';
import type { ListedWorktree } from '../git/worktree-list.js';
import { hostGroups, perHost, type HostGroup } from './fleet.js';
import { readHost } from './read.js';
import { gitWithHost } from './ssh.js';

/**
 * What the land knows of an instance on a host before planning: its worktree as the host's git
 * sees it, and its branch tip fetched from the host's clone into
 * `refs/fleet/hosts/<host>/<branch>` (fleet-tui's own mirror refs: the replay, the content check
 * and the push then work on local objects exactly as for a local instance). Two SSH sessions
 * per host: one read, one fetch. A host that cannot be reached leaves its instances blocked.
 */
export interface HostFacts {
  state: ListedWorktree | null;
  tip: string | null;
  /** Set when the host could not be reached: the instance is `blocked` with this reason. */
  blocked?: string;
}

const mirrorRef = (host: string, branch: string) => `refs/fleet/hosts/${host}/${branch}`;

async function fetchGroup(config: ResolvedConfig, g: HostGroup): Promise<Map<string, HostFacts>> {
  const view = await readHost(config, g.host, g.insts);
  const present = g.insts.filter((i) => view.tips.has(`refs/heads/${i.branch}`));
  if (present.length > 0) {
    const res = await gitWithHost(g.host, config.rootDir, (url) => [
      'fetch',
      '-q',
      '--no-tags',
      '--no-write-fetch-head',
      '--',
      url,
      ...present.map((i) => `+refs/heads/${i.branch}:${mirrorRef(g.host.name, i.branch)}`),
    ]);
    if (res.exitCode !== 0) {
      const said = res.stderr.trim().split('\n').filter(Boolean).pop() ?? 'git fetch failed';
      throw Object.assign(new Error(said), { fetchFailed: true });
    }
  }
  const tips = await git(
    ['for-each-ref', '--format=%(refname) %(objectname)', '--', `refs/fleet/hosts/${g.host.name}/`],
    { cwd: config.rootDir, readOnly: true },
  );
  const local = new Map(
    tips.stdout
      .split('\n')
      .filter(Boolean)
      .map((l) => l.split(' ') as [string, string]),
  );
  const facts = new Map<string, HostFacts>();
  for (const inst of g.insts) {
    const wt = view.worktrees.get(inst.id)!;
    const fetched = present.includes(inst);
    facts.set(inst.id, {
      state: wt.exists
        ? { path: inst.hostPath!, head: wt.head, branch: wt.branch, operation: wt.operation }
        : null,
      tip: fetched ? (local.get(mirrorRef(g.host.name, inst.branch)) ?? null) : null,
    });
  }
  return facts;
}

/** Facts for every selected instance on a host (all hosts at once); empty for a local fleet. */
export async function fetchFromHosts(
  config: ResolvedConfig,
  insts: readonly ResolvedInstance[],
): Promise<Map<string, HostFacts>> {
  const groups = hostGroups(config, insts);
  const out = new Map<string, HostFacts>();
  if (groups.length === 0) return out;
  const results = await perHost(groups, async (g) => {
    try {
      return await fetchGroup(config, g);
    } catch (e) {
      if (!(e as { fetchFailed?: boolean }).fetchFailed) throw e;
      const why = `fetching from host "${g.host.name}" failed: ${(e as Error).message}`;
      return new Map(g.insts.map((i) => [i.id, { state: null, tip: null, blocked: why }]));
    }
  });
  for (const g of groups) {
    const r = results.get(g.host.name)!;
    if (r.ok) for (const [id, f] of r.value) out.set(id, f);
    else
      for (const i of g.insts)
        out.set(i.id, {
          state: null,
          tip: null,
          blocked: `host "${g.host.name}" unreachable: ${r.error} — nothing of it was landed; land again when it is back`,
        });
  }
  return out;
}

/** `land --dry-run` contacts no host: its host instances say so instead of guessing. */
export function hostsNotContacted(insts: readonly ResolvedInstance[]): Map<string, HostFacts> {
  return new Map(
    insts
      .filter((i) => i.host)
      .map((i) => [
        i.id,
        {
          state: null,
          tip: null,
          blocked: `on host "${i.host}": --dry-run contacts no host — see "fleet-tui status", or land for real`,
        },
      ]),
  );
}
