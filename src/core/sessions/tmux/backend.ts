import { existsSync, rmSync } from 'node:fs';
import { execa, type ResultPromise } from 'execa';
import { FleetError } from '../../errors.js';
import { PaneCapturer } from './capture.js';
import { CaptureSchedule } from './capture-schedule.js';
import { ControlClient } from './control.js';
import { writeLauncher, type LaunchSpec } from './launcher.js';
import { newWindowArgv } from './new-window.js';
import {
  FORMAT,
  parseWindows,
  reapDeadChildren,
  waitDeadStatus,
  type TmuxWindow,
} from './windows.js';

export interface PaneListener {
  /** The pane's screen changed: here are its lines (colours kept). */
  screen(lines: string[]): void;
  dead(status: number | null): void;
  /** The window is gone. */
  closed(): void;
}

/** At most this many captures per pane per second (`%output` can fire thousands of times). */
const CAPTURE_HZ = 15;

/** How often a followed session that is gone is looked for (see keepFollowing). */
const LOOK_AGAIN_MS = 1000;

/**
 * The fleet's tmux session: creates windows, lists them for adoption, and keeps one control-mode
 * client that turns `%output` into throttled `capture-pane` calls for the panes that changed.
 */
export class TmuxBackend {
  protected control: ControlClient | null = null;
  protected readonly panes = new Map<string, PaneListener>();
  private readonly windowPane = new Map<string, string>();
  private queue: Promise<unknown> = Promise.resolve();
  private readonly capturer = new PaneCapturer((args) => this.run(args));
  private readonly windowListeners = new Set<() => void>();
  private changeTimer: NodeJS.Timeout | null = null;
  private lookTimer: NodeJS.Timeout | null = null;
  protected disposed = false;
  /** How often to look for the session while it is gone and someone follows it. */
  protected lookEveryMs = LOOK_AGAIN_MS;
  /** Capture pacing per pane (a host backend lowers its rate). */
  protected readonly captures = new CaptureSchedule(
    CAPTURE_HZ,
    async (paneId) => {
      const lines = await this.captureNow(paneId);
      if (lines) this.panes.get(paneId)?.screen(lines);
    },
    (paneId) => this.panes.has(paneId),
  );

  constructor(
    readonly socket: string | null,
    readonly sessionName: string,
  ) {}

  get baseArgs(): string[] {
    return this.socket ? ['-L', this.socket] : [];
  }

  async run(
    args: string[],
    input?: string,
  ): Promise<{ ok: boolean; stdout: string; stderr: string }> {
    const res = await execa('tmux', [...this.baseArgs, ...args], {
      reject: false,
      input,
      env: { TMUX: '' },
    });
    if (res.failed && res.exitCode === undefined) {
      throw new FleetError(
        `could not run tmux: ${(res.shortMessage ?? '').split('\n')[0]} — install tmux 3.2 or newer`,
      );
    }
    return { ok: res.exitCode === 0, stdout: String(res.stdout), stderr: String(res.stderr) };
  }

  /** The fleet's windows (only those fleet-tui created: they carry @fleet_instance). */
  async listWindows(): Promise<TmuxWindow[]> {
    const res = await this.run(['list-windows', '-t', `=${this.sessionName}`, '-F', FORMAT]);
    return res.ok ? parseWindows(res.stdout) : [];
  }

  /** Serialise window creation: the first one creates the session, the others must wait for it.
   * The agent starts through a one-shot launcher script (launcher.ts): its argv, directory and
   * environment never pass through tmux's command parser. */
  createWindow(
    spec: LaunchSpec & { launchDir: string; cols: number; rows: number },
  ): Promise<TmuxWindow & { launchFile: string }> {
    const job = this.queue.then(async () => {
      const launcher = await this.placeLauncher(spec);
      const exists = (await this.run(['has-session', '-t', `=${this.sessionName}`])).ok;
      const res = await this.run(
        newWindowArgv(
          { session: this.sessionName, exists, format: FORMAT, ...spec },
          launcher.argv,
        ),
      );
      const [windowId, paneId, , , , pid] = res.stdout.trim().split('\t');
      if (!res.ok || !windowId || !paneId) {
        await this.removeLauncher(launcher.file);
        throw new FleetError(
          `tmux could not start ${spec.instance}'s window: ${res.stderr.trim() || 'unknown error'}`,
        );
      }
      await this.ensureControl();
      return {
        windowId,
        paneId,
        instance: spec.instance,
        dead: false,
        deadStatus: null,
        pid: pid ? Number(pid) : null,
        launchFile: launcher.file,
      };
    });
    this.queue = job.catch(() => undefined);
    return job;
  }

  /** Whether a pane is dead, and its exit status once tmux knows it; null when it is gone. */
  async paneState(paneId: string): Promise<{ dead: boolean; status: number | null } | null> {
    const res = await this.run([
      'display-message',
      '-p',
      '-t',
      paneId,
      '#{pane_dead} #{pane_dead_status}',
    ]);
    if (!res.ok) return null;
    const [dead, status] = res.stdout.trim().split(' ');
    // Dead without a status: tmux may have missed the SIGCHLD; the caller asks again.
    if (dead === '1' && !status) await reapDeadChildren((a) => this.run(a));
    return { dead: dead === '1', status: status ? Number(status) : null };
  }

  /** Start the control client if it is not running (the session must exist). */
  async ensureControl(): Promise<void> {
    if (this.control?.alive) return;
    const control = new ControlClient(
      this.baseArgs,
      this.sessionName,
      {
        output: (pane) => this.schedule(pane),
        paneDead: (pane, dead, status) => {
          if (!dead) return;
          if (status !== null) this.panes.get(pane)?.dead(status);
          else
            void waitDeadStatus((a) => this.run(a), pane).then((st) =>
              this.panes.get(pane)?.dead(st),
            );
        },
        windowClosed: (windowId) => {
          const pane = this.windowPane.get(windowId);
          if (pane) this.panes.get(pane)?.closed();
        },
        windowsChanged: () => this.windowsChanged(),
        closed: () => {
          if (this.control !== control) return;
          this.control = null;
          void this.lostControl();
        },
      },
      this.controlSpawner(),
    );
    this.control = control;
    await control.start();
    await control.command(`refresh-client -B 'fleet-dead:%*:#{pane_dead} #{pane_dead_status}'`);
  }

  /**
   * The control client ended. When the session is gone with it (its last window was killed
   * elsewhere), tmux sent no `%window-close`: every window we watched is closed. Then wait for
   * the session to return if someone follows it.
   */
  protected async lostControl(): Promise<void> {
    if (this.disposed) return;
    if (!(await this.run(['has-session', '-t', `=${this.sessionName}`])).ok) {
      for (const listener of [...this.panes.values()]) listener.closed();
    }
    await this.keepFollowing();
  }

  /**
   * Call `fn` whenever the fleet's windows may have changed — created, killed or restarted by
   * another process (`fleet-tui agents stop X; agents start X` in another shell). tmux tells the
   * control client (`%window-add`, `%sessions-changed`, …), so this costs nothing while nothing
   * happens. Returns the unsubscribe.
   */
  onWindowsChanged(fn: () => void): () => void {
    this.windowListeners.add(fn);
    void this.keepFollowing();
    return () => {
      this.windowListeners.delete(fn);
    };
  }

  /** Notifications come in bursts (a restart is a close, an add, a rename): one call per burst. */
  protected windowsChanged(): void {
    if (this.changeTimer || this.windowListeners.size === 0) return;
    this.changeTimer = setTimeout(() => {
      this.changeTimer = null;
      for (const fn of this.windowListeners) fn();
    }, 30);
  }

  /**
   * Keep a control client on the session while someone follows its windows. Without the session
   * (every window was killed; the tmux server may have exited with it) there is nobody to tell
   * us when it comes back, so look again every second — only in that state (idle is idle: no
   * timer faster than once a second while nothing happens).
   */
  private async keepFollowing(): Promise<void> {
    if (this.disposed || this.windowListeners.size === 0 || this.control?.alive || this.lookTimer)
      return;
    if ((await this.run(['has-session', '-t', `=${this.sessionName}`])).ok) {
      if (this.disposed || this.control?.alive) return;
      await this.ensureControl();
      // The session (re)appeared: its windows are new to whoever follows.
      if (this.control?.alive) return this.windowsChanged();
    }
    if (this.disposed || this.lookTimer) return;
    this.lookTimer = setTimeout(() => {
      this.lookTimer = null;
      void this.keepFollowing();
    }, this.lookEveryMs);
  }

  watch(windowId: string, paneId: string, listener: PaneListener): void {
    this.windowPane.set(windowId, paneId);
    this.panes.set(paneId, listener);
    this.schedule(paneId);
  }

  unwatch(paneId: string): void {
    this.panes.delete(paneId);
    for (const [w, p] of this.windowPane) if (p === paneId) this.windowPane.delete(w);
    this.captures.cancel(paneId);
  }

  /** Capture now, or as soon as the per-pane rate allows; bursts collapse into one capture. */
  schedule(paneId: string): void {
    this.captures.schedule(paneId);
  }

  /** The pane's screen as lines (colours kept, nothing else); null when the pane is gone. */
  captureNow(paneId: string, history = 0): Promise<string[] | null> {
    return this.capturer.capture(this.captureControl(), paneId, history);
  }

  // Where a backend on an SSH host differs (core/hosts/tmux-remote.ts overrides these): where
  // the launcher script is written, how tmux is spawned, whether captures go through a file.
  protected placeLauncher(spec: LaunchSpec & { launchDir: string }) {
    return Promise.resolve(writeLauncher(spec.launchDir, spec));
  }

  async removeLauncher(file: string): Promise<void> {
    rmSync(file, { force: true });
    return Promise.resolve();
  }

  /** The launcher removed itself: the agent was exec'd. */
  launcherGone(file: string): Promise<boolean> {
    return Promise.resolve(!existsSync(file));
  }

  protected controlSpawner(): ((args: string[]) => ResultPromise) | undefined {
    return undefined;
  }

  protected captureControl(): ControlClient | null {
    return this.control?.alive ? this.control : null;
  }

  dispose(): void {
    this.disposed = true;
    this.windowListeners.clear();
    if (this.changeTimer) clearTimeout(this.changeTimer);
    if (this.lookTimer) clearTimeout(this.lookTimer);
    this.changeTimer = this.lookTimer = null;
    this.captures.dispose();
    this.panes.clear();
    this.control?.close();
    this.control = null;
    this.capturer.dispose();
  }
}
