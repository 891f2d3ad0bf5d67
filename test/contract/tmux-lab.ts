// Real tmux for the contract tests: a private server (own socket under the sandbox's
// TMUX_TMPDIR) whose environment is the sandbox's, windows started with an argv (never a shell
// string), screens read with capture-pane, keys typed with send-keys.
import { execa } from 'execa';

let counter = 0;

export interface PaneInfo {
  dead: boolean;
  status: number | null;
  width: number;
  height: number;
}

export class TmuxLab {
  readonly socket: string;

  constructor(readonly env: Record<string, string>) {
    this.socket = `fc-${process.pid}-${counter++}`;
  }

  async tmux(args: string[]): Promise<{ ok: boolean; stdout: string; stderr: string }> {
    const res = await execa('tmux', ['-L', this.socket, ...args], { env: this.env, reject: false });
    return { ok: res.exitCode === 0, stdout: String(res.stdout), stderr: String(res.stderr) };
  }

  /** A detached session `name` running argv in `cwd`; the pane stays after the program exits. */
  async start(
    name: string,
    argv: string[],
    opts: { cwd: string; cols?: number; rows?: number; env?: Record<string, string> },
  ): Promise<void> {
    const env = Object.entries({ ...this.env, ...opts.env }).flatMap(([k, v]) => [
      '-e',
      `${k}=${v}`,
    ]);
    const res = await this.tmux([
      'new-session',
      '-d',
      '-s',
      name,
      '-x',
      String(opts.cols ?? 100),
      '-y',
      String(opts.rows ?? 30),
      '-c',
      opts.cwd,
      ...env,
      '--',
      ...argv,
      ';',
      'set-option',
      '-t',
      name,
      'remain-on-exit',
      'on',
    ]);
    if (!res.ok) throw new Error(`tmux new-session ${name}: ${res.stderr}`);
  }

  /** The visible screen as plain text (`escapes`: keep colours, as fleet-tui captures). */
  async capture(target: string, escapes = false): Promise<string> {
    const res = await this.tmux(['capture-pane', '-p', ...(escapes ? ['-e'] : []), '-t', target]);
    return res.stdout;
  }

  async pane(target: string): Promise<PaneInfo> {
    const res = await this.tmux([
      'display-message',
      '-p',
      '-t',
      target,
      '#{pane_dead} #{pane_dead_status} #{pane_width} #{pane_height}',
    ]);
    const [dead, status, w, h] = res.stdout.trim().split(' ');
    return {
      dead: dead === '1',
      status: status ? Number(status) : null,
      width: Number(w),
      height: Number(h),
    };
  }

  /** Wait until the screen satisfies `pred`; the error shows the last screen. */
  async waitForScreen(
    target: string,
    what: string,
    pred: (screen: string) => boolean,
    timeoutMs = 45_000,
  ): Promise<string> {
    const until = Date.now() + timeoutMs;
    let screen = '';
    while (Date.now() < until) {
      screen = await this.capture(target);
      if (pred(screen)) return screen;
      await new Promise((r) => setTimeout(r, 150));
    }
    throw new Error(`timed out waiting for ${what}; last screen of ${target}:\n${screen}`);
  }

  /** The screen once it stopped changing (two equal captures 400 ms apart, at most 5 s). */
  async settledScreen(target: string): Promise<string> {
    let last = await this.capture(target);
    const until = Date.now() + 5000;
    while (Date.now() < until) {
      await new Promise((r) => setTimeout(r, 400));
      const next = await this.capture(target);
      if (next === last) return next;
      last = next;
    }
    return last;
  }

  async type(target: string, text: string): Promise<void> {
    await this.tmux(['send-keys', '-t', target, '-l', text]);
  }

  async keys(target: string, ...keys: string[]): Promise<void> {
    await this.tmux(['send-keys', '-t', target, ...keys]);
  }

  /** Type a prompt, wait until the agent shows it, then press Enter (sent together, some TUIs
   * take the Enter as part of a paste and only insert a newline). */
  async submit(target: string, text: string): Promise<void> {
    await this.type(target, text);
    const tail = text.slice(-12);
    await this.waitForScreen(target, `the typed prompt "${tail}"`, (s) => s.includes(tail), 15_000);
    await this.keys(target, 'Enter');
  }

  /** Kill the server, then wait for the agents it ran (and their children) to be gone: Claude
   * still writes into its HOME while it exits, which would race the sandbox's removal. */
  async kill(): Promise<void> {
    const panes = await this.tmux(['list-panes', '-a', '-F', '#{pane_pid}']);
    const roots = panes.stdout
      .split('\n')
      .map(Number)
      .filter((n) => n > 1);
    const procs = roots.length ? await descendants(roots) : [];
    await this.tmux(['kill-server']);
    const alive = (pid: number) => {
      try {
        process.kill(pid, 0);
        return true;
      } catch {
        return false;
      }
    };
    const until = Date.now() + 10_000;
    while (procs.some(alive) && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
    for (const pid of procs.filter(alive)) process.kill(pid, 'SIGKILL');
  }
}

/** `roots` and every process below them. */
async function descendants(roots: number[]): Promise<number[]> {
  const res = await execa('ps', ['-eo', 'pid=,ppid='], { reject: false });
  const children = new Map<number, number[]>();
  for (const line of String(res.stdout).split('\n')) {
    const [pid, ppid] = line.trim().split(/\s+/).map(Number);
    if (pid && ppid) children.set(ppid, [...(children.get(ppid) ?? []), pid]);
  }
  const out: number[] = [];
  const walk = (pid: number) => {
    out.push(pid);
    for (const c of children.get(pid) ?? []) walk(c);
  };
  roots.forEach(walk);
  return out;
}
