import type { ResolvedConfig } from '../../../config/types.js';
import { hostGroups, perHost } from '../../hosts/fleet.js';
import type { Layout } from '../sources.js';
import type { CheckReport, UnreachableHost } from '../types.js';
import { readHostMigrations, type HostInstanceRead } from './read.js';

export interface HostsRead {
  /** By instance id, for the instances of every host that answered. */
  reads: Map<string, HostInstanceRead>;
  /** Hosts that did not answer (ssh's words), config order. */
  errors: UnreachableHost[];
}

/** Every host's instances at once, one round trip per host; a dead host costs only its own. */
export async function readHostsRaw(config: ResolvedConfig, layout: Layout): Promise<HostsRead> {
  const groups = hostGroups(config);
  const reads = new Map<string, HostInstanceRead>();
  const errors: UnreachableHost[] = [];
  if (groups.length === 0) return { reads, errors };
  const res = await perHost(groups, (g) => readHostMigrations(config, g.host, g.insts, layout));
  for (const g of groups) {
    const r = res.get(g.host.name)!;
    if (r.ok) for (const [id, v] of r.value) reads.set(id, v);
    else
      errors.push({
        host: g.host.name,
        hostError: r.error,
        instances: g.insts.map((i) => i.id),
      });
  }
  return { reads, errors };
}

/**
 * A report that could not see every worktree has not passed: `ok` is false and the hosts are
 * listed. A fleet whose hosts all answered (or that has none) gets the report unchanged.
 */
export function withHostErrors(report: CheckReport, errors: UnreachableHost[]): CheckReport {
  if (errors.length === 0) return report;
  return { ...report, ok: false, unreachableHosts: errors };
}
