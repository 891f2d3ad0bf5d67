import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { execa } from 'execa';
import type { ResolvedHost } from '../../config/types.js';
import { FleetError } from '../errors.js';
import { TmuxBackend } from '../sessions/tmux/backend.js';
import type { ControlClient } from '../sessions/tmux/control.js';
import { launchScript, type LaunchSpec } from '../sessions/tmux/launcher.js';
import { PaneCapturer } from '../sessions/tmux/capture.js';
import { HostEventWatcher } from './agent-events.js';
import { CaptureChannel } from './capture-channel.js';
import { shArgv } from './quote.js';
import { forgetHost, hostConnect, HostError, hostRun, sshArgv } from './ssh.js';

/** Deadline of one tmux command on a host (a capture, a send). */
const TMUX_TIMEOUT_MS = 15_000;

/**
 * The fleet's tmux server on an SSH host: its own socket (`-L fleet-<host>`, so two hosts on one
 * machine never share a server), driven exactly like the local one (backend.ts) with three
 * differences. tmux runs over the host's shared SSH connection, every word quoted for the remote
 * shell; the control-mode client is `ssh … tmux -C attach` (control mode needs no terminal); pane
 * captures come from `tmux capture-pane -p` over SSH (its stdout carries only the pane's text),
 * since the control client's capture file would be on the host.
 *
 * A host that goes away costs its own panes only: every command has a deadline, a failed one
 * says the host is unreachable (`onReachability`), and the control client is started again,
 * backing off, until the host answers; then every watched pane is checked and captured afresh.
 */
export class HostTmuxBackend extends TmuxBackend {
  /** ssh's words while the host does not answer; null while it does. */
  unreachable: string | null = null;
  readonly events: HostEventWatcher;
  private readonly reachListeners = new Set<(why: string | null) => void>();
  /** Called once when the host answers again (starts that failed while it was down). */
  private readonly backListeners = new Set<() => void>();
  private probeTimer: NodeJS.Timeout | null = null;
  private probeMs = 1000;
  private reconnectTimer: NodeJS.Timeout | null = null;
  private backoffMs = 1000;
  /** When a command last failed to reach the host. */
  private failedAt = 0;
  private readonly channel: CaptureChannel;
  private readonly channelCapturer: PaneCapturer;

  constructor(
    readonly host: ResolvedHost,
    sessionName: string,
  ) {
    super(`fleet-${host.name}`, sessionName);
    // Looking for a vanished session costs an SSH session each time: not every 300 ms.
    this.lookEveryMs = 2000;
    // Each capture is an SSH session (a process here, a tmux client there): fewer per second.
    this.captures.hz = 5;
    this.events = new HostEventWatcher(host);
    this.channel = new CaptureChannel(host, `fleet-${host.name}`);
    this.channelCapturer = new PaneCapturer((args) => this.channel.run(args));
  }

  /** fleet-tui's directory in the host clone's git dir (launchers, agents' event files). */
  get hostDir(): string {
    return path.posix.join(this.host.repo, '.git', 'fleet-tui');
  }

  override async run(
    args: string[],
    input?: string,
  ): Promise<{ ok: boolean; stdout: string; stderr: string }> {
    // -u: the host's locale (often none in an SSH session) would have tmux print tabs and
    // every non-ASCII character of a captured screen as `_`.
    const res = await this.onHost(shArgv(['tmux', '-u', ...this.baseArgs, ...args]), input);
    if (!res) return { ok: false, stdout: '', stderr: `host ${this.host.name} unreachable` };
    if (res.exitCode === 127) {
      throw new FleetError(
        `tmux not found on host "${this.host.name}" — install tmux 3.2 or newer there`,
      );
    }
    return { ok: res.exitCode === 0, stdout: res.stdout.toString('utf8'), stderr: res.stderr };
  }

  /** Run `script` on the host; null (and the host marked unreachable) when ssh failed. */
  private async onHost(script: string, input?: string) {
    const started = Date.now();
    try {
      const res = await hostRun(this.host, `unset TMUX; ${script}`, {
        input,
        uncounted: true,
        timeoutMs: TMUX_TIMEOUT_MS,
      });
      // A command that got through before the host went away says nothing about now.
      if (started >= this.failedAt) this.setReachable(null);
      return res;
    } catch (e) {
      if (!(e instanceof HostError)) throw e;
      this.markUnreachable(e.detail);
      return null;
    }
  }

  /** Be told when the host stops or starts answering (ssh's words, or null). */
  onReachability(fn: (why: string | null) => void): () => void {
    this.reachListeners.add(fn);
    return () => {
      this.reachListeners.delete(fn);
    };
  }

  /** Said on every failure (a status that changed meanwhile loses its note), once on return. */
  private setReachable(why: string | null): void {
    if (why === null && this.backListeners.size) this.hostIsBack();
    if (why === null && this.unreachable === null) return;
    this.unreachable = why;
    for (const fn of this.reachListeners) fn(why);
  }

  /** A command here found the host down (ssh's words). */
  markUnreachable(why: string): void {
    forgetHost(this.host);
    this.failedAt = Date.now();
    this.setReachable(why);
  }

  /**
   * Call `fn` once the host answers again: its connection is tried, backing off from 1 s up to
   * 10 s (with no pane open, no control client is there to notice). Returns the cancel.
   */
  whenBack(fn: () => void): () => void {
    this.backListeners.add(fn);
    this.scheduleProbe();
    return () => {
      this.backListeners.delete(fn);
    };
  }

  private scheduleProbe(): void {
    if (this.disposed || this.probeTimer || this.backListeners.size === 0) return;
    const wait = this.probeMs;
    this.probeMs = Math.min(this.probeMs * 2, 10_000);
    this.probeTimer = setTimeout(() => {
      this.probeTimer = null;
      void hostConnect(this.host).then(
        () => this.setReachable(null),
        () => this.scheduleProbe(),
      );
    }, wait);
    this.probeTimer.unref();
  }

  private hostIsBack(): void {
    this.probeMs = 1000;
    if (this.probeTimer) clearTimeout(this.probeTimer);
    this.probeTimer = null;
    const fns = [...this.backListeners];
    this.backListeners.clear();
    for (const fn of fns) fn();
  }

  /** The launcher goes to the host (its directory private there) in one round trip. */
  protected override async placeLauncher(spec: LaunchSpec & { launchDir: string }) {
    const dir = path.posix.join(this.hostDir, 'launch');
    const file = path.posix.join(dir, `${spec.instance}-${randomBytes(6).toString('hex')}.sh`);
    const text = launchScript(spec);
    const res = await this.onHost(
      `umask 077 && mkdir -p ${shArgv([dir])} && cat > ${shArgv([file])}`,
      text,
    );
    if (!res || res.exitCode !== 0) {
      throw new FleetError(
        `instance ${spec.instance}: cannot write its launcher on host "${this.host.name}": ${res ? res.stderr.trim() : this.unreachable}`,
      );
    }
    return { argv: ['/bin/sh', file], file };
  }

  override async removeLauncher(file: string): Promise<void> {
    await this.onHost(`rm -f -- ${shArgv([file])}`);
  }

  override async launcherGone(file: string): Promise<boolean> {
    const res = await this.onHost(`test ! -e ${shArgv([file])}`);
    return res?.exitCode === 0;
  }

  protected override controlSpawner() {
    return (args: string[]) =>
      execa('ssh', sshArgv(this.host, `unset TMUX; exec ${shArgv(['tmux', '-u', ...args])}`), {
        stdin: 'pipe',
        buffer: false,
        reject: false,
        env: { LC_ALL: 'C' },
      });
  }

  protected override captureControl(): ControlClient | null {
    return null;
  }

  /** Captures go through one long SSH session per host (capture-channel.ts), cleaned by the
   * same PaneCapturer as locally (only SGR survives, lines capped). */
  override captureNow(paneId: string, history = 0): Promise<string[] | null> {
    return this.channelCapturer.capture(null, paneId, history);
  }

  override async ensureControl(): Promise<void> {
    if (this.control?.alive) return;
    try {
      await hostConnect(this.host);
    } catch (e) {
      if (!(e instanceof HostError)) throw e;
      this.setReachable(e.detail);
      return this.scheduleReconnect();
    }
    await super.ensureControl();
  }

  /** The control client ended: the session is gone (windows closed), or the host is. */
  protected override async lostControl(): Promise<void> {
    if (this.disposed) return;
    // The shared connection may have died with it: check it before trusting it again.
    forgetHost(this.host);
    const has = await this.run(['has-session', '-t', `=${this.sessionName}`]);
    if (this.disposed) return;
    if (this.unreachable !== null) return this.scheduleReconnect();
    // Only the SSH session was cut (the host and its tmux are fine): reconnect at once.
    if (has.ok) return this.reconnected();
    return super.lostControl();
  }

  private scheduleReconnect(): void {
    if (this.disposed || this.reconnectTimer || this.panes.size === 0) return;
    const wait = this.backoffMs;
    this.backoffMs = Math.min(this.backoffMs * 2, 10_000);
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      void this.lostControl();
    }, wait);
    this.reconnectTimer.unref();
  }

  /** Back: a new control client, and every watched pane checked (it may have died or gone
   * while we could not hear) and captured again. */
  private async reconnected(): Promise<void> {
    this.backoffMs = 1000;
    await this.ensureControl();
    if (!this.control?.alive) return this.scheduleReconnect();
    for (const [paneId, listener] of [...this.panes]) {
      const st = await this.paneState(paneId);
      if (this.unreachable !== null) return this.scheduleReconnect();
      if (!st) listener.closed();
      else if (st.dead) listener.dead(st.status);
      else this.schedule(paneId);
    }
    this.windowsChanged();
  }

  override dispose(): void {
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.reconnectTimer = null;
    if (this.probeTimer) clearTimeout(this.probeTimer);
    this.probeTimer = null;
    this.backListeners.clear();
    this.reachListeners.clear();
    this.events.dispose();
    this.channel.end();
    this.channelCapturer.dispose();
    super.dispose();
  }
}
