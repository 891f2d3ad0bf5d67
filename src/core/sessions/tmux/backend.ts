import { execa } from 'execa';
import { FleetError } from '../../errors.js';
import { ControlClient } from './control.js';

export interface TmuxWindow {
  windowId: string;
  paneId: string;
  instance: string;
  dead: boolean;
  deadStatus: number | null;
  pid: number | null;
}

export interface PaneListener {
  /** The pane's screen changed: here are its lines (colours kept). */
  screen(lines: string[]): void;
  dead(status: number | null): void;
  /** The window is gone. */
  closed(): void;
}

/** At most this many captures per pane per second (`%output` can fire thousands of times). */
const CAPTURE_HZ = 15;
const FORMAT =
  '#{window_id}\t#{pane_id}\t#{@fleet_instance}\t#{pane_dead}\t#{pane_dead_status}\t#{pane_pid}';

/**
 * The fleet's tmux session: creates windows, lists them for adoption, and keeps one control-mode
 * client that turns `%output` into throttled `capture-pane` calls for the panes that changed.
 */
export class TmuxBackend {
  private control: ControlClient | null = null;
  private readonly panes = new Map<string, PaneListener>();
  private readonly windowPane = new Map<string, string>();
  private readonly lastCapture = new Map<string, number>();
  private readonly scheduled = new Map<string, NodeJS.Timeout>();
  private readonly capturing = new Set<string>();
  private queue: Promise<unknown> = Promise.resolve();

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
    if (!res.ok) return [];
    return res.stdout
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

  /** Serialise window creation: the first one creates the session, the others must wait for it. */
  createWindow(spec: {
    instance: string;
    cwd: string;
    env: Record<string, string>;
    command: string;
    args: string[];
    cols: number;
    rows: number;
  }): Promise<TmuxWindow> {
    const job = this.queue.then(async () => {
      const env = Object.entries(spec.env).flatMap(([k, v]) => ['-e', `${k}=${v}`]);
      const exists = (await this.run(['has-session', '-t', `=${this.sessionName}`])).ok;
      const create = exists
        ? ['new-window', '-d', '-t', `=${this.sessionName}:`, '-n', spec.instance]
        : [
            'new-session',
            '-d',
            '-s',
            this.sessionName,
            '-n',
            spec.instance,
            '-x',
            String(spec.cols),
            '-y',
            String(spec.rows),
          ];
      // One tmux invocation: remain-on-exit is set before the agent can exit, so its status is kept.
      const target = `=${this.sessionName}:=${spec.instance}`;
      const res = await this.run([
        ...create,
        '-c',
        spec.cwd,
        ...env,
        '-P',
        '-F',
        FORMAT,
        '--',
        spec.command,
        ...spec.args,
        ';',
        'set-option',
        '-w',
        '-t',
        target,
        'remain-on-exit',
        'on',
        ';',
        'set-option',
        '-w',
        '-t',
        target,
        '@fleet_instance',
        spec.instance,
        ';',
        'set-option',
        '-w',
        '-t',
        target,
        'allow-rename',
        'off',
        ';',
        'resize-window',
        '-t',
        target,
        '-x',
        String(spec.cols),
        '-y',
        String(spec.rows),
      ]);
      const [windowId, paneId, , , , pid] = res.stdout.trim().split('\t');
      if (!res.ok || !windowId || !paneId) {
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
      };
    });
    this.queue = job.catch(() => undefined);
    return job;
  }

  /** Start the control client if it is not running (the session must exist). */
  async ensureControl(): Promise<void> {
    if (this.control?.alive) return;
    const control = new ControlClient(this.baseArgs, this.sessionName, {
      output: (pane) => this.schedule(pane),
      paneDead: (pane, dead, status) => {
        if (!dead) return;
        if (status !== null) this.panes.get(pane)?.dead(status);
        else void this.deadStatus(pane).then((st) => this.panes.get(pane)?.dead(st));
      },
      windowClosed: (windowId) => {
        const pane = this.windowPane.get(windowId);
        if (pane) this.panes.get(pane)?.closed();
      },
      closed: () => {
        if (this.control === control) this.control = null;
      },
    });
    this.control = control;
    await control.start();
    await control.command(`refresh-client -B 'fleet-dead:%*:#{pane_dead} #{pane_dead_status}'`);
  }

  /** tmux marks a pane dead when its terminal closes and learns the exit status a moment later. */
  private async deadStatus(paneId: string): Promise<number | null> {
    for (let i = 0; i < 10; i++) {
      const res = await this.run(['display-message', '-p', '-t', paneId, '#{pane_dead_status}']);
      const v = res.stdout.trim();
      if (!res.ok) return null;
      if (v) return Number(v);
      await new Promise((r) => setTimeout(r, 50));
    }
    return null;
  }

  watch(windowId: string, paneId: string, listener: PaneListener): void {
    this.windowPane.set(windowId, paneId);
    this.panes.set(paneId, listener);
    this.schedule(paneId);
  }

  unwatch(paneId: string): void {
    this.panes.delete(paneId);
    for (const [w, p] of this.windowPane) if (p === paneId) this.windowPane.delete(w);
    const t = this.scheduled.get(paneId);
    if (t) clearTimeout(t);
    this.scheduled.delete(paneId);
  }

  /** Capture now, or as soon as the per-pane rate allows; bursts collapse into one capture. */
  schedule(paneId: string): void {
    if (!this.panes.has(paneId) || this.scheduled.has(paneId)) return;
    const wait = Math.max(0, (this.lastCapture.get(paneId) ?? 0) + 1000 / CAPTURE_HZ - Date.now());
    this.scheduled.set(
      paneId,
      setTimeout(() => {
        this.scheduled.delete(paneId);
        void this.capture(paneId);
      }, wait),
    );
  }

  private async capture(paneId: string): Promise<void> {
    if (this.capturing.has(paneId)) return this.schedule(paneId);
    this.capturing.add(paneId);
    this.lastCapture.set(paneId, Date.now());
    try {
      const res = this.control?.alive
        ? await this.control.command(`capture-pane -p -e -t ${paneId}`)
        : await this.run(['capture-pane', '-p', '-e', '-t', paneId]).then((r) => ({
            ok: r.ok,
            lines: r.stdout.split('\n'),
          }));
      if (!res.ok) return;
      const lines = res.lines;
      while (lines.length > 0 && lines[lines.length - 1]!.trim() === '') lines.pop();
      this.panes.get(paneId)?.screen(lines);
    } finally {
      this.capturing.delete(paneId);
    }
  }

  dispose(): void {
    for (const t of this.scheduled.values()) clearTimeout(t);
    this.scheduled.clear();
    this.panes.clear();
    this.control?.close();
    this.control = null;
  }
}
