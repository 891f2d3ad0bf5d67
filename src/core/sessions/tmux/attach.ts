import { realpathSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { shellQuote } from '../launch.js';

/** How `a` / attach reaches an agent's window. */
export interface AttachCommand {
  command: string;
  args: string[];
  /** attach: the terminal becomes a tmux client until it detaches; switch: the tmux client
   * fleet-tui runs in now shows the agent (fleet-tui keeps running in its own window); popup: the
   * agent is shown in a popup over fleet-tui until it detaches. */
  kind: 'attach' | 'switch' | 'popup';
}

/** The socket a tmux server named with `-L name` (or the default one) listens on. */
function tmuxSocketPath(socket: string | null, env: NodeJS.ProcessEnv = process.env): string {
  const dir = path.join(env.TMUX_TMPDIR || '/tmp', `tmux-${os.userInfo().uid}`);
  return path.join(dir, socket ?? 'default');
}

function samePath(a: string, b: string): boolean {
  const real = (p: string) => {
    try {
      return realpathSync(p);
    } catch {
      return path.resolve(p);
    }
  };
  return real(a) === real(b);
}

/**
 * The command that shows window `windowId` of the fleet's session. Outside tmux: `tmux attach`
 * (the terminal is handed over until detach). Inside tmux (`$TMUX` = "socket,pid,session") a
 * nested attach is refused ("sessions should be nested with care"), so:
 * - the same tmux server: `switch-client` — the person's client shows the agent; fleet-tui goes
 *   on running in its own window (back with the person's usual last-session key);
 * - another server (the fleet has its own socket): `display-popup` on the person's server runs
 *   the attach, with `$TMUX` unset, in a popup over fleet-tui that closes on detach.
 */
export function attachCommand(o: {
  socket: string | null;
  sessionName: string;
  windowId: string;
  env?: NodeJS.ProcessEnv;
}): AttachCommand {
  const env = o.env ?? process.env;
  const base = o.socket ? ['-L', o.socket] : [];
  const show = ['select-window', '-t', o.windowId, ';'];
  const inside = env.TMUX ? env.TMUX.replace(/,[^,]*,[^,]*$/, '') : '';
  if (!inside) {
    return {
      command: 'tmux',
      args: [...base, ...show, 'attach-session', '-t', `=${o.sessionName}`],
      kind: 'attach',
    };
  }
  if (samePath(inside, tmuxSocketPath(o.socket, env))) {
    // No -L: the server is the one $TMUX names, which also tells tmux which client is "current".
    return {
      command: 'tmux',
      args: [...show, 'switch-client', '-t', `=${o.sessionName}`],
      kind: 'switch',
    };
  }
  const inner = [
    'env',
    '-u',
    'TMUX',
    'tmux',
    ...base,
    ...show,
    'attach-session',
    '-t',
    `=${o.sessionName}`,
  ];
  return {
    command: 'tmux',
    args: ['display-popup', '-E', '-w', '90%', '-h', '90%', inner.map(shellQuote).join(' ')],
    kind: 'popup',
  };
}
