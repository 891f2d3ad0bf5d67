import { execa, type ResultPromise } from 'execa';
import { ControlParser } from './control-parser.js';

export interface ControlEvents {
  /** tmux printed output for this pane (`%output`); the pane's screen changed. */
  output(paneId: string): void;
  /** A pane's dead flag/status changed (format subscription). */
  paneDead(paneId: string, dead: boolean, status: number | null): void;
  /** A window was closed (killed from elsewhere, e.g. `fleet-tui agents stop` in another shell). */
  windowClosed(windowId: string): void;
  /** A window was added or a session created/destroyed (by anyone): list the windows again. */
  windowsChanged(): void;
  /** The control client ended (session gone, server killed). */
  closed(): void;
}

interface Pending {
  resolve: (r: { ok: boolean; lines: string[] }) => void;
}

/**
 * A tmux control-mode client (`tmux -C attach`) for the fleet's session: it hears `%output`
 * per pane, so panes are captured only when they changed, and it runs commands (capture-pane)
 * without spawning a tmux process each time. Replies come back in order as
 * `%begin … %end|%error` blocks; control-parser.ts reads them trusting only tmux.
 */
export class ControlClient {
  private child: ResultPromise | null = null;
  private buf = '';
  private readonly queue: Pending[] = [];
  private readonly parser = new ControlParser();
  private ready: Promise<void>;
  private markReady: () => void = () => undefined;
  alive = false;

  constructor(
    private readonly baseArgs: string[],
    private readonly session: string,
    private readonly events: ControlEvents,
    /** How to run tmux: locally by default; core/hosts/tmux-remote.ts runs it over SSH. */
    private readonly spawnTmux: (args: string[]) => ResultPromise = (args) =>
      execa('tmux', args, { stdin: 'pipe', buffer: false, reject: false, env: { TMUX: '' } }),
  ) {
    this.ready = new Promise((r) => (this.markReady = r));
  }

  start(): Promise<void> {
    const child = this.spawnTmux([
      ...this.baseArgs,
      '-C',
      'attach-session',
      '-t',
      `=${this.session}`,
    ]);
    this.child = child;
    this.alive = true;
    child.stdout?.setEncoding('utf8');
    child.stdout?.on('data', (s: string) => this.data(s));
    child.stdin?.on('error', () => undefined);
    void child.then(() => this.end());
    return Promise.race([this.ready, new Promise<void>((r) => setTimeout(r, 3000).unref())]);
  }

  /** Run a tmux command through the control client; resolves with its output lines. */
  async command(cmd: string): Promise<{ ok: boolean; lines: string[] }> {
    await this.ready;
    if (!this.alive || !this.child?.stdin) return { ok: false, lines: [] };
    return new Promise((resolve) => {
      this.queue.push({ resolve });
      this.child!.stdin!.write(`${cmd}\n`);
    });
  }

  close(): void {
    if (!this.child) return;
    this.child.stdin?.end();
    this.child.kill();
    this.child = null;
  }

  private end(): void {
    this.alive = false;
    this.markReady();
    for (const p of this.queue) p.resolve({ ok: false, lines: [] });
    this.queue.length = 0;
    this.events.closed();
  }

  private data(s: string): void {
    this.buf += s;
    let from = 0;
    for (;;) {
      const nl = this.buf.indexOf('\n', from);
      if (nl < 0) break;
      this.line(this.buf.slice(from, nl));
      from = nl + 1;
    }
    this.buf = from === 0 ? this.buf : this.buf.slice(from);
  }

  private line(line: string): void {
    const msg = this.parser.line(line);
    if (!msg) return;
    switch (msg.kind) {
      case 'reply':
        // Replies to our commands come back in the order they were sent.
        if (msg.ours) this.queue.shift()?.resolve({ ok: msg.ok, lines: msg.lines });
        break;
      case 'output':
        this.events.output(msg.paneId);
        break;
      case 'pane-dead':
        this.events.paneDead(msg.paneId, msg.dead, msg.status);
        break;
      case 'window-close':
        this.events.windowClosed(msg.windowId);
        break;
      case 'windows-changed':
        this.events.windowsChanged();
        break;
      case 'session-changed':
        this.markReady();
        break;
      case 'exit':
        this.alive = false;
        break;
    }
  }
}
