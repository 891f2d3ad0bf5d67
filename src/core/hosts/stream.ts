import { spawn, type ChildProcess } from 'node:child_process';
import type { ResolvedHost } from '../../config/types.js';
import { countSession } from './counters.js';
import { ensureMaster, sshOptions } from './ssh.js';

/**
 * A long-running command on `host` whose output is read as it comes (a watcher), over the
 * host's shared connection: one more session on it, no new TCP connection. Resolves once the
 * session is started; throws HostError when the connection cannot be made. The caller owns the
 * child: it reads stdout line by line and kills the child to end the session (the remote side
 * then ends at its next write).
 */
export async function hostSpawn(host: ResolvedHost, script: string): Promise<ChildProcess> {
  await ensureMaster(host);
  countSession(host.name);
  return spawn(
    'ssh',
    [...sshOptions(host), '-o', 'ControlMaster=no', '-T', '--', host.ssh, script],
    { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LC_ALL: 'C' } },
  );
}
