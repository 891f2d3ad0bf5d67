import type { ResolvedConfig, ResolvedInstance } from '../../config/types.js';
import { collectStatus } from '../git/index.js';
import { statusContext } from '../git/status.js';
import type { InstanceGitStatus } from '../git/status-types.js';
import { hostGroups, localPart, perHost } from './fleet.js';
import { readHost, type HostWorktree } from './read.js';

/**
 * A `status --json` row with the host fields: `host` (null for a local instance); for an
 * instance on a host, `reachable`, and `hostError` (ssh's words) when it is not.
 */
export type FleetStatusRow = InstanceGitStatus & {
  host: string | null;
  reachable?: boolean;
  hostError?: string;
};

function hostRow(
  inst: ResolvedInstance,
  wt: HostWorktree | null,
  ctx: Awaited<ReturnType<typeof statusContext>>,
  error: string | null,
): FleetStatusRow {
  const exists = wt?.exists ?? false;
  return {
    id: inst.id,
    role: inst.role,
    agent: inst.agent,
    worktree: inst.worktree,
    branch: wt?.exists ? (wt.branch ?? '(detached)') : inst.branch,
    exists,
    head: wt?.head ?? null,
    ahead: exists ? wt!.ahead : 0,
    behind: exists ? wt!.behind : 0,
    dirty: wt?.dirty ?? { staged: 0, unstaged: 0, untracked: 0 },
    operation: wt?.operation ?? null,
    needsSync: exists && ctx.needsSync.has(inst.id) && wt!.behind > 0,
    lastCommit: exists ? wt!.lastCommit : null,
    landedToday: ctx.landed.get(inst.id) ?? 0,
    host: inst.host!,
    reachable: error === null,
    ...(error === null ? {} : { hostError: error }),
  };
}

/**
 * Every instance's row in config order: local ones exactly as `collectStatus` reads them, host
 * ones from one round trip per host, all hosts at once (a dead host only marks its own rows).
 * `statusTexts` receives the local worktrees' `git status` output (see readFleetRows).
 */
export async function collectFleetStatus(
  config: ResolvedConfig,
  statusTexts?: Map<string, string>,
): Promise<FleetStatusRow[]> {
  const groups = hostGroups(config);
  const [local, ctx, views] = await Promise.all([
    collectStatus(localPart(config), statusTexts),
    groups.length > 0 ? statusContext(config) : null,
    perHost(groups, (g) => readHost(config, g.host, g.insts)),
  ]);
  const byId = new Map<string, FleetStatusRow>(local.map((r) => [r.id, { ...r, host: null }]));
  for (const g of groups) {
    const v = views.get(g.host.name)!;
    for (const inst of g.insts) {
      byId.set(
        inst.id,
        v.ok
          ? hostRow(inst, v.value.worktrees.get(inst.id) ?? null, ctx!, null)
          : hostRow(inst, null, ctx!, v.error),
      );
    }
  }
  return config.instances.map((i) => byId.get(i.id)!);
}

/**
 * One host instance's row for the TUI's status sweep (one round trip; a host that cannot be
 * reached gives a row with `reachable: false`, never a throw).
 */
export async function readHostStatus(
  config: ResolvedConfig,
  inst: ResolvedInstance,
  ctx: Awaited<ReturnType<typeof statusContext>>,
): Promise<FleetStatusRow> {
  const host = config.hosts[inst.host!]!;
  const [r] = [
    ...(
      await perHost([{ host, insts: [inst] }], (g) => readHost(config, g.host, g.insts))
    ).values(),
  ];
  return r!.ok
    ? hostRow(inst, r!.value.worktrees.get(inst.id) ?? null, ctx, null)
    : hostRow(inst, null, ctx, r!.error);
}
