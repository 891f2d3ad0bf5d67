import type { ResolvedConfig } from '../../../config/types.js';
import { pidAlive } from '../../git/lock.js';
import { readFleetState } from '../../state/fleet-state.js';
import { commonDirOf } from '../git-dirs.js';
import type { TmuxWindow } from '../tmux/windows.js';
import { defaultTmuxSession } from '../tmux-name.js';
import type { AgentState } from '../types.js';
import { readRecentEvents, eventFilePath } from './event-file.js';
import type { HookEvent } from './hook-events.js';
import { screenAgent, withScreen } from './screen-status.js';
import { StatusTracker, initialState, isActive } from './tracker.js';

export { pidAlive };

/** Fold an event file into a state: the last `fleet:state`, then the hooks fired after it. */
export function foldEvents(events: HookEvent[]): {
  state: AgentState;
  pid: number | null;
  backend: string | null;
} {
  let state = initialState();
  let pid: number | null = null;
  let backend: string | null = null;
  const tracker = new StatusTracker((s) => (state = s), 60_000);
  for (const e of events) {
    if (e.event === 'fleet:state' && e.status) {
      state = {
        status: e.status,
        since: e.t,
        exitCode: e.exitCode ?? null,
        sessionId: e.sessionId ?? state.sessionId,
        costUsd: e.costUsd ?? null,
        tokens: e.tokens ?? null,
        ...(e.message ? { note: e.message } : {}),
      };
      tracker.seed(state);
      pid = e.pid ?? null;
      backend = e.backend ?? null;
    } else if (!e.event.startsWith('fleet:')) {
      tracker.hook(e);
    }
  }
  tracker.dispose();
  return { state, pid, backend };
}

/**
 * Every instance's agent state as another process sees it (for `fleet-tui status --json`): read
 * from the event files; an agent whose process or tmux window is gone counts as stopped.
 */
export async function readAgentStates(
  config: ResolvedConfig,
  opts: { tmuxSocket?: string; tmuxSession?: string } = {},
): Promise<Record<string, AgentState>> {
  const commonDir = commonDirOf(config.rootDir);
  const saved = (await readFleetState(commonDir)).sessions;
  const folded = await Promise.all(
    config.instances.map(async (inst) => {
      const { events } = await readRecentEvents(eventFilePath(commonDir, inst.id));
      return { inst, ...foldEvents(events) };
    }),
  );
  // tmux (and the backend's modules) only when an agent says it runs: a fleet at rest costs
  // `status` no tmux process.
  const active = folded.some((f) => isActive(f.state.status));
  const usesTmux = config.instances.some((i) => config.agents[i.agent]?.backend !== 'exec');
  const tmux =
    active && usesTmux
      ? new (await import('../tmux/backend.js')).TmuxBackend(
          opts.tmuxSocket ?? process.env.FLEET_TUI_TMUX_SOCKET ?? null,
          opts.tmuxSession ?? defaultTmuxSession(config),
        )
      : null;
  const windows: TmuxWindow[] = tmux ? await tmux.listWindows().catch(() => []) : [];
  const out: Record<string, AgentState> = {};
  // Agents on hosts: their hosts' tmux servers, asked once per host, only when one says it runs.
  const onHosts = folded.some((f) => f.inst.host && isActive(f.state.status))
    ? (await import('../../hosts/agent-windows.js')).hostWindows(
        config,
        opts.tmuxSession ?? defaultTmuxSession(config),
      )
    : null;
  for (const { inst, state, pid, backend } of folded) {
    let s = { ...state, sessionId: state.sessionId ?? saved[inst.id] ?? null };
    if (isActive(s.status) && inst.host && onHosts) {
      out[inst.id] = await onHosts.state(inst, s);
      continue;
    }
    if (isActive(s.status)) {
      const win = windows.find((w) => w.instance === inst.id);
      const gone = backend === 'tmux' ? !win : pid === null || !pidAlive(pid);
      if (gone) s = { ...s, status: 'stopped', note: 'agent no longer running' };
      else if (win?.dead)
        s = { ...s, status: win.deadStatus === 0 ? 'exited' : 'crashed', exitCode: win.deadStatus };
      // A live pane: its screen shows what no hook reports (read-only capture; a dead pane keeps
      // the agent's last screen, so only live ones are read).
      const agent = screenAgent(config.agents[inst.agent]);
      if (tmux && win && !win.dead && agent && backend === 'tmux')
        s = withScreen(s, agent, await tmux.captureNow(win.paneId).catch(() => null));
    }
    out[inst.id] = s;
  }
  tmux?.dispose();
  return out;
}
