import type { ResolvedConfig, ResolvedInstance } from '../../config/types.js';
import { upFleet, type UpResult } from '../git/worktree.js';
import { hostGroups, localPart, perHost, type HostGroup } from './fleet.js';
import { readHost, type HostView } from './read.js';
import { hostGit } from './ssh.js';

/**
 * `up` for instances on hosts: the same rules as locally (an existing worktree on the right
 * branch is left alone, a wrong branch or a stray directory is reported, never touched), run by
 * git on the host in the host's clone. A host without `<remote>/<main>` fetches it from origin
 * itself, once.
 */
async function upGroup(config: ResolvedConfig, g: HostGroup): Promise<UpResult[]> {
  const { host } = g;
  const mainRef = `refs/remotes/${config.remote}/${config.mainBranch}`;
  let view: HostView = await readHost(config, host, g.insts);
  if (!view.main) {
    await hostGit(host, host.repo, ['fetch', '-q', '--', config.remote, config.mainBranch], {
      timeoutMs: 120_000,
    });
    view = await readHost(config, host, g.insts);
    if (!view.main) {
      const why = `${config.remote}/${config.mainBranch} not found in ${host.repo} on host "${host.name}" — check that it is a clone of the same origin and that "git fetch ${config.remote}" works there`;
      return g.insts.map((i) => ({ id: i.id, outcome: 'error' as const, detail: why }));
    }
  }
  await hostGit(host, host.repo, ['worktree', 'prune']);
  const results: UpResult[] = [];
  for (const inst of g.insts) results.push(await upOne(config, g, view, inst, mainRef));
  return results;
}

async function upOne(
  config: ResolvedConfig,
  g: HostGroup,
  view: HostView,
  inst: ResolvedInstance,
  mainRef: string,
): Promise<UpResult> {
  const where = `${inst.worktree} on host ${g.host.name}`;
  const wt = view.worktrees.get(inst.id)!;
  if (wt.exists) {
    if (wt.branch === inst.branch) return { id: inst.id, outcome: 'exists', detail: where };
    return {
      id: inst.id,
      outcome: 'wrong-branch',
      detail: `${where} is on ${wt.branch ?? `a detached HEAD (${wt.head?.slice(0, 7)})`}, not ${inst.branch} — left untouched`,
    };
  }
  const hasBranch = view.tips.has(`refs/heads/${inst.branch}`);
  const path = inst.hostPath!;
  // `git worktree add` refuses a non-empty directory that is not a worktree: reported as is.
  const args = hasBranch
    ? ['worktree', 'add', '-q', '--', path, inst.branch]
    : ['worktree', 'add', '-q', '--no-track', '-b', inst.branch, '--', path, mainRef];
  const res = await hostGit(g.host, g.host.repo, args);
  if (res.exitCode !== 0) {
    const said = res.stderr.trim().split('\n').pop() ?? '';
    return { id: inst.id, outcome: 'error', detail: `${where}: ${said}` };
  }
  const from = hasBranch
    ? `existing branch ${inst.branch}`
    : `new branch ${inst.branch} from ${config.remote}/${config.mainBranch}`;
  return { id: inst.id, outcome: 'created', detail: `${where} on ${from}` };
}

/** `fleet-tui up` for the whole fleet: local instances as before, each host in parallel. */
export async function upEverywhere(config: ResolvedConfig): Promise<UpResult[]> {
  const groups = hostGroups(config);
  if (groups.length === 0) return upFleet(config);
  const local = localPart(config);
  const [localResults, hosts] = await Promise.all([
    local.instances.length > 0 ? upFleet(local) : Promise.resolve([]),
    perHost(groups, (g) => upGroup(config, g)),
  ]);
  const byId = new Map(localResults.map((r) => [r.id, r]));
  for (const g of groups) {
    const r = hosts.get(g.host.name)!;
    if (r.ok) r.value.forEach((x) => byId.set(x.id, x));
    else
      g.insts.forEach((i) =>
        byId.set(i.id, {
          id: i.id,
          outcome: 'error',
          detail: `host "${g.host.name}" unreachable: ${r.error} — its worktrees were not checked`,
        }),
      );
  }
  return config.instances.map((i) => byId.get(i.id)!);
}
