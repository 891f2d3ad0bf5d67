import type { ResolvedConfig, ResolvedHost, ResolvedInstance } from '../../config/types.js';
import { HostError } from './ssh.js';

/** Is this instance's worktree on an SSH host? */
const onHost = (inst: ResolvedInstance): boolean => inst.host !== undefined;

/** The config as local code should see it: only the instances on this machine. */
export function localPart(config: ResolvedConfig): ResolvedConfig {
  if (!config.instances.some(onHost)) return config;
  return { ...config, instances: config.instances.filter((i) => !onHost(i)) };
}

export interface HostGroup {
  host: ResolvedHost;
  insts: ResolvedInstance[];
}

/** The selected instances on hosts, grouped by host (config order kept within each). */
export function hostGroups(
  config: ResolvedConfig,
  insts: readonly ResolvedInstance[] = config.instances,
): HostGroup[] {
  const groups = new Map<string, HostGroup>();
  for (const inst of insts) {
    if (!inst.host) continue;
    const host = config.hosts[inst.host]!;
    const g = groups.get(host.name) ?? { host, insts: [] };
    g.insts.push(inst);
    groups.set(host.name, g);
  }
  return [...groups.values()];
}

export type HostOutcome<T> = { ok: true; value: T } | { ok: false; error: string };

/**
 * Run `fn` for every host group at once; a host that fails (unreachable, timed out) yields its
 * error and never holds up or fails the others. Errors that are not about the host propagate.
 */
export async function perHost<T>(
  groups: readonly HostGroup[],
  fn: (g: HostGroup) => Promise<T>,
): Promise<Map<string, HostOutcome<T>>> {
  const results = await Promise.all(
    groups.map(async (g): Promise<[string, HostOutcome<T>]> => {
      try {
        return [g.host.name, { ok: true, value: await fn(g) }];
      } catch (e) {
        if (e instanceof HostError) return [g.host.name, { ok: false, error: e.detail }];
        throw e;
      }
    }),
  );
  return new Map(results);
}
