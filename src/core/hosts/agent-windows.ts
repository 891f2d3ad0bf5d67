import type { ResolvedConfig, ResolvedInstance } from '../../config/types.js';
import type { TmuxWindow } from '../sessions/tmux/windows.js';
import type { AgentState } from '../sessions/types.js';
import { HostTmuxBackend } from './tmux-remote.js';

/**
 * The windows of the hosts' tmux servers, for another process's view of host agents
 * (`status --json`, read-states.ts): one SSH session per host, asked the first time an instance
 * of that host needs it. A host that does not answer leaves its agents' recorded status as it
 * is, with a note (`agentState` keeps its values; the row's `reachable` says the rest).
 */
export function hostWindows(config: ResolvedConfig, sessionName: string) {
  const asked = new Map<string, Promise<{ windows: TmuxWindow[] } | { error: string }>>();
  const windowsOf = (hostName: string) => {
    let p = asked.get(hostName);
    if (!p) {
      const b = new HostTmuxBackend(config.hosts[hostName]!, sessionName);
      p = b
        .listWindows()
        .then((windows) => (b.unreachable !== null ? { error: b.unreachable } : { windows }))
        .catch((e: unknown) => ({ error: e instanceof Error ? e.message : String(e) }))
        .finally(() => b.dispose());
      asked.set(hostName, p);
    }
    return p;
  };
  return {
    async state(inst: ResolvedInstance, s: AgentState): Promise<AgentState> {
      const seen = await windowsOf(inst.host!);
      if ('error' in seen)
        return {
          ...s,
          note: seen.error.startsWith('tmux not found')
            ? seen.error
            : `host unreachable: ${seen.error}`,
        };
      const win = seen.windows.find((w) => w.instance === inst.id);
      if (!win) return { ...s, status: 'stopped', note: 'agent no longer running' };
      if (win.dead)
        return {
          ...s,
          status: win.deadStatus === 0 ? 'exited' : 'crashed',
          exitCode: win.deadStatus,
        };
      return s;
    },
  };
}
