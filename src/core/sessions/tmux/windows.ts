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
 * Make tmux reap its dead children now. tmux marks a pane dead when its terminal closes and
 * learns the exit status only when its SIGCHLD handler reaps the process. tmux 3.3a sometimes
 * misses that SIGCHLD (seen here under load: the agent stays a zombie of the tmux server, the
 * pane dead with no status, for as long as no other child of the server exits — forever for a
 * lone agent that crashed). A background `run-shell` job that exits at once is such a child:
 * its SIGCHLD makes tmux reap every zombie, ours too. `-b`: never wait on the job (if that
 * SIGCHLD were missed as well, a foreground run-shell would hang).
 */
export async function reapDeadChildren(run: Run): Promise<void> {
  await run(['run-shell', '-b', 'true']);
}

/**
 * Ask until tmux knows a dead pane's exit status, nudging it to reap (reapDeadChildren) each
 * time it does not, backing off; null at the deadline or when the pane is gone.
 */
export async function waitDeadStatus(run: Run, paneId: string): Promise<number | null> {
  const deadline = Date.now() + DEAD_STATUS_WAIT_MS;
  for (let wait = 50; Date.now() < deadline; wait = Math.min(wait * 2, 500)) {
    const res = await run(['display-message', '-p', '-t', paneId, '#{pane_dead_status}']);
    const v = res.stdout.trim();
    if (!res.ok) return null;
    if (v) return Number(v);
    await reapDeadChildren(run);
    await new Promise((r) => setTimeout(r, wait));
  }
  return null;
}
