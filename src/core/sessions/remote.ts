import { appendEvent, eventFilePath, readRecentEvents } from './status/event-file.js';
import { foldEvents, pidAlive } from './status/read-states.js';
import { isActive } from './status/tracker.js';
import type { AgentState } from './types.js';

/**
 * Control of exec agents owned by another process (the TUI, or a foreground `agents start`):
 * their pipes belong to that process, so the CLI appends a `fleet:request` to the instance's
 * event file and the owner acts on it.
 */
export async function execOwner(
  commonDir: string,
  id: string,
): Promise<{ state: AgentState; pid: number } | null> {
  const { events } = await readRecentEvents(eventFilePath(commonDir, id));
  const { state, pid, backend } = foldEvents(events);
  if (backend !== 'exec' || pid === null || !isActive(state.status) || !pidAlive(pid)) return null;
  return { state, pid };
}

export function requestAction(
  commonDir: string,
  id: string,
  action: 'stop' | 'restart' | 'send',
  text?: string,
): void {
  appendEvent(eventFilePath(commonDir, id), {
    t: new Date().toISOString(),
    event: 'fleet:request',
    action,
    ...(text !== undefined ? { text } : {}),
  });
}

/** Wait (bounded) until the agent's persisted status satisfies `done`. */
export async function waitForState(
  commonDir: string,
  id: string,
  done: (s: AgentState) => boolean,
  timeoutMs = 8000,
): Promise<AgentState | null> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    const { state } = foldEvents((await readRecentEvents(eventFilePath(commonDir, id))).events);
    if (done(state)) return state;
    await new Promise((r) => setTimeout(r, 100));
  }
  return null;
}
