import path from 'node:path';
import { BaseSession } from '../base-session.js';
import type { HookEvent } from '../status/hook-events.js';
import { matchScreen } from '../screen/patterns.js';
import { screenAgent } from '../status/screen-status.js';
import { isActive } from '../status/tracker.js';
import type { SessionContext } from '../session-context.js';
import type { AgentState } from '../types.js';
import { attachCommand, type AttachCommand } from './attach.js';
import type { TmuxBackend } from './backend.js';
import type { TmuxWindow } from './windows.js';
import { LAUNCH_FAILED, launchFailure, lostLaunchFailure } from './launcher.js';

/**
 * Interactive agent in a tmux window of the fleet's session. The agent outlives fleet-tui; the
 * pane shows tmux's rendered screen, captured when control mode reports output for it.
 */
export class TmuxSession extends BaseSession {
  readonly backend = 'tmux' as const;
  protected window: TmuxWindow | null = null;
  /** The launcher script of the window we started, until it has run (launcher.ts). */
  private launchFile: string | null = null;
  /** What the launcher was to run (the note when a failed launch left no message). */
  private launched: { command: string; cwd: string } | null = null;
  /** The window's size: the pane's, once the UI said it (resize); 120×40 for the CLI. */
  private size = { cols: 120, rows: 40 };
  private sized = false;
  private sizeWaiters: Array<() => void> = [];
  /** A start or restart is under way: following the session must not adopt its new window. */
  private launching = false;

  constructor(
    ctx: SessionContext,
    protected readonly tmux: TmuxBackend,
  ) {
    super(ctx);
  }

  get paneId(): string | null {
    return this.window?.paneId ?? null;
  }

  /** Whether `windowId` is this session's window, or a start of its own is under way. */
  owns(windowId: string): boolean {
    return this.launching || this.window?.windowId === windowId;
  }

  async start(opts: { rolePrompt?: string; resume?: boolean } = {}): Promise<void> {
    if (this.window && !this.window.dead) return;
    this.launching = true;
    try {
      await this.launch(opts);
    } finally {
      this.launching = false;
    }
  }

  private async launch(opts: { rolePrompt?: string; resume?: boolean }): Promise<void> {
    // Never a duplicate: a live window of this instance (another fleet-tui started it) is adopted.
    const running = (await this.tmux.listWindows()).find((w) => w.instance === this.instanceId);
    if (running && !running.dead && !opts.rolePrompt && !opts.resume) {
      await this.adoptWindow(running);
      return;
    }
    if (running) this.window = running;
    if (this.window) await this.killWindow();
    const launch = await this.prepareLaunch(opts);
    // The agent draws its first screen for the size it starts with: wait (briefly) for the pane
    // to say its size when a UI shows this session.
    if (this.ctx.awaitSizeMs) await this.sizeKnown(this.ctx.awaitSizeMs);
    this.tracker.starting(this.launchNote);
    const w = await this.tmux.createWindow({
      instance: this.instanceId,
      ...launch,
      ...this.size,
      launchDir: path.join(this.ctx.commonDir, 'fleet-tui', 'launch'),
    });
    this.launchFile = w.launchFile;
    this.launched = { command: launch.command, cwd: launch.cwd };
    this.attachWindow(w);
  }

  /**
   * After start: wait until the agent really runs (the launcher removed itself and `exec`ed it)
   * or its pane died (no such directory or binary: `crashed` with the shell's message). For the
   * CLI, which must not say "running" about an agent that never ran.
   */
  async settle(timeoutMs = 10_000): Promise<AgentState> {
    const until = Date.now() + timeoutMs;
    while (this.window && Date.now() < until) {
      const w = this.window;
      const st = await this.tmux.paneState(w.paneId);
      if (!st) break;
      if (st.dead && st.status !== null) {
        await this.onDead(w.paneId, st.status);
        break;
      }
      if (!st.dead && this.launchFile && (await this.tmux.launcherGone(this.launchFile))) break;
      await new Promise((r) => setTimeout(r, 30));
    }
    return this.state();
  }

  /** The pane died: `crashed` with its status, and the shell's message when the launch failed. */
  private async onDead(paneId: string, status: number | null): Promise<void> {
    const w = this.window;
    if (!w || w.paneId !== paneId || (w.dead && (w.deadStatus !== null || status === null))) return;
    this.window = { ...w, dead: true, deadStatus: status };
    const file = this.launchFile;
    this.launchFile = null;
    const failed = status !== null && LAUNCH_FAILED.has(status);
    // The launcher removes itself just before it execs the agent: still there, the launch failed.
    const neverRan = failed && file !== null && !(await this.tmux.launcherGone(file));
    if (file) await this.tmux.removeLauncher(file);
    let note: string | undefined;
    if (failed) {
      note =
        launchFailure((await this.tmux.captureNow(paneId, 20)) ?? []) ??
        // tmux drops a pane's last output when it reaps the process before reading the pty
        // (seen under load): the shell's message is lost, what failed is still known.
        (neverRan && this.launched ? lostLaunchFailure(status, this.launched) : undefined);
    }
    // A later call with the status (dead first reported without one) has superseded this one.
    if (this.window?.paneId !== paneId || this.window.deadStatus !== status) return;
    this.tracker.exited(status, null, false, note);
  }

  /** Take over a window that is already running (fleet-tui restarted). */
  async adoptWindow(w: TmuxWindow): Promise<boolean> {
    if (this.window?.windowId === w.windowId) return true;
    const events = await this.watchEvents(true);
    await this.tmux.ensureControl();
    this.attachWindow(w);
    // Adopting learns what is known; it writes nothing (issue 14 item 4: `tail`, `send` and a
    // command naming another agent must not append statuses or reset "since").
    this.quiet = true;
    try {
      if (w.dead) {
        this.tracker.exited(w.deadStatus, null, false);
        return true;
      }
      this.tracker.set('starting');
      // The last status the hooks reported still holds: replay them.
      this.replay(events);
    } finally {
      this.quiet = false;
    }
    return true;
  }

  private replay(events: HookEvent[]): void {
    let lastStart = -1;
    events.forEach((e, i) => {
      if (e.event === 'fleet:state' && e.status === 'starting') lastStart = i;
    });
    for (const e of events.slice(lastStart + 1)) {
      if (e.event === 'fleet:state') {
        if (e.sessionId || e.costUsd != null)
          this.tracker.seed({
            sessionId: e.sessionId ?? null,
            costUsd: e.costUsd ?? null,
            tokens: e.tokens ?? null,
          });
      } else if (!e.event.startsWith('fleet:')) this.hook(e);
    }
  }

  private sizeKnown(ms: number): Promise<void> {
    if (this.sized) return Promise.resolve();
    return new Promise((resolve) => {
      const t = setTimeout(done, ms);
      function done() {
        clearTimeout(t);
        resolve();
      }
      this.sizeWaiters.push(done);
    });
  }

  private attachWindow(w: TmuxWindow): void {
    if (this.window) this.tmux.unwatch(this.window.paneId);
    this.window = w;
    this.pid = w.pid;
    // A window adopted, or created while the pane changed size, takes the pane's size now.
    if (this.sized) this.resizeWindow();
    this.tmux.watch(w.windowId, w.paneId, {
      screen: (lines) => {
        this.ring.replaceAll(lines);
        this.outputChanged();
        this.readScreen(lines);
      },
      dead: (status) => void this.onDead(w.paneId, status),
      closed: () => {
        if (this.window?.paneId !== w.paneId) return;
        this.tmux.unwatch(w.paneId);
        this.window = null;
        this.pid = null;
        this.tracker.exited(null, null, true);
      },
    });
  }

  private readScreen(lines: string[]): void {
    const agent = screenAgent(this.ctx.config.agents[this.ctx.instance.agent]);
    const p = agent ? matchScreen(agent, lines.join('\n')) : null;
    if (p?.status) this.tracker.screen(p.status, `screen: ${p.what}`);
  }

  private async killWindow(): Promise<void> {
    const w = this.window;
    if (!w) return;
    this.tmux.unwatch(w.paneId);
    this.window = null;
    this.pid = null;
    await this.tmux.run(['kill-window', '-t', w.windowId]);
  }

  async stop(): Promise<void> {
    await this.killWindow();
    this.tracker.exited(null, null, true);
  }

  async restart(opts: { rolePrompt?: string } = {}): Promise<void> {
    this.launching = true;
    try {
      await this.killWindow();
      await this.launch({ ...opts, resume: true });
    } finally {
      this.launching = false;
    }
  }

  async send(text: string): Promise<void> {
    const w = this.window;
    if (!w || w.dead || !isActive(this.tracker.state().status)) {
      throw new Error(`instance ${this.instanceId}: agent is not running — start it first`);
    }
    // load-buffer + bracketed paste: a multi-line prompt arrives whole, then Enter submits it.
    const buffer = `fleet-${this.instanceId}`;
    const load = await this.tmux.run(['load-buffer', '-b', buffer, '-'], text.replace(/\n+$/, ''));
    if (!load.ok) throw new Error(`tmux load-buffer for ${this.instanceId}: ${load.stderr.trim()}`);
    await this.tmux.run(['paste-buffer', '-p', '-d', '-b', buffer, '-t', w.paneId]);
    await this.tmux.run(['send-keys', '-t', w.paneId, 'Enter']);
  }

  async pressKeys(keys: readonly string[]): Promise<void> {
    const w = this.window;
    if (!w || w.dead) throw new Error(`instance ${this.instanceId}: agent is not running`);
    const res = await this.tmux.run(['send-keys', '-t', w.paneId, ...keys]);
    if (!res.ok) throw new Error(`tmux send-keys for ${this.instanceId}: ${res.stderr.trim()}`);
  }

  async screenNow(): Promise<string[] | null> {
    const w = this.window;
    if (!w || w.dead) return null;
    return this.tmux.captureNow(w.paneId);
  }

  /** The pane is `cols`×`rows` (grid, zoom, terminal resize): the window follows. */
  resize(cols: number, rows: number): void {
    const c = Math.max(10, Math.floor(cols));
    const r = Math.max(3, Math.floor(rows));
    const first = !this.sized;
    this.sized = true;
    for (const done of this.sizeWaiters.splice(0)) done();
    if (!first && c === this.size.cols && r === this.size.rows) return;
    this.size = { cols: c, rows: r };
    this.resizeWindow();
  }

  private resizeWindow(): void {
    const w = this.window;
    if (!w) return;
    const { cols, rows } = this.size;
    // resize-window also sets the window's window-size to manual: an attached client (the person
    // in `tmux attach`) no longer resizes it behind the pane's back.
    void this.tmux.run(['resize-window', '-t', w.windowId, '-x', String(cols), '-y', String(rows)]);
  }

  /** How to show this agent's window: attach, or from inside tmux switch or popup (attach.ts). */
  attachCommand(): AttachCommand | null {
    const w = this.window;
    if (!w) return null;
    return attachCommand({
      socket: this.tmux.socket,
      sessionName: this.tmux.sessionName,
      windowId: w.windowId,
    });
  }

  override dispose(): void {
    if (this.window) this.tmux.unwatch(this.window.paneId);
    super.dispose();
  }
}
