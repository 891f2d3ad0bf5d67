// What the backend reads about its windows and panes from tmux.

export interface TmuxWindow {
  windowId: string;
  paneId: string;
  instance: string;
  dead: boolean;
  deadStatus: number | null;
  pid: number | null;
}

export const FORMAT =
  '#{window_id}\t#{pane_id}\t#{@fleet_instance}\t#{pane_dead}\t#{pane_dead_status}\t#{pane_pid}';

/** `list-windows -F FORMAT` output → the fleet's windows (only those fleet-tui created: they carry @fleet_instance). */
export function parseWindows(stdout: string): TmuxWindow[] {
  return stdout
    .split('\n')
    .map((l) => l.split('\t'))
    .filter((f) => f.length >= 6 && f[2])
    .map(([windowId, paneId, instance, dead, status, pid]) => ({
      windowId: windowId!,
      paneId: paneId!,
      instance: instance!,
      dead: dead === '1',
      deadStatus: status ? Number(status) : null,
      pid: pid ? Number(pid) : null,
    }));
}

/** How long to wait for tmux to learn a dead pane's exit status. */
const DEAD_STATUS_WAIT_MS = 15_000;

type Run = (args: string[]) => Promise<{ ok: boolean; stdout: string }>;

/**
 * tmux marks a pane dead when its terminal closes and learns the exit status when it reaps
 * the process, which on a loaded machine can take seconds: ask until a deadline, backing off.
 */
export async function waitDeadStatus(run: Run, paneId: string): Promise<number | null> {
  const deadline = Date.now() + DEAD_STATUS_WAIT_MS;
  for (let wait = 50; Date.now() < deadline; wait = Math.min(wait * 2, 500)) {
    const res = await run(['display-message', '-p', '-t', paneId, '#{pane_dead_status}']);
    const v = res.stdout.trim();
    if (!res.ok) return null;
    if (v) return Number(v);
    await new Promise((r) => setTimeout(r, wait));
  }
  return null;
}
