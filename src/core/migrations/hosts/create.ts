import path from 'node:path';
import type { ResolvedConfig, ResolvedInstance } from '../../../config/types.js';
import { FleetError } from '../../errors.js';
import { shQuote as q } from '../../hosts/quote.js';
import { hostRun } from '../../hosts/ssh.js';

/**
 * Write the empty migration `file` (a normalized name) into a host instance's worktree: one SSH
 * round trip, `set -C` so an existing file is never overwritten. Runs under the caller's lock,
 * after the version was allocated against the whole fleet (hosts included). Returns the file as
 * `<host>:<path>`; throws HostError when the host is not there.
 */
export async function createOnHost(
  config: ResolvedConfig,
  inst: ResolvedInstance,
  dir: string,
  file: string,
): Promise<string> {
  const host = config.hosts[inst.host!]!;
  const wt = inst.hostPath!;
  const target = path.posix.join(wt, dir, file);
  const script = [
    `[ -e ${q(`${wt}/.git`)} ] || exit 3`,
    `mkdir -p -- ${q(path.posix.join(wt, dir))} || exit 4`,
    `set -C; : > ${q(target)} || exit 5`,
  ].join('\n');
  const res = await hostRun(host, script);
  if (res.exitCode === 3)
    throw new FleetError(
      `${inst.id}'s worktree ${wt} does not exist on host ${host.name} — run fleet-tui up first`,
    );
  if (res.exitCode !== 0) {
    const said = res.stderr.trim().split('\n').pop() ?? `exit ${res.exitCode}`;
    throw new FleetError(`could not create ${target} on host ${host.name}: ${said}`);
  }
  return `${host.name}:${target}`;
}
