import path from 'node:path';
import { FleetError } from '../errors.js';
import { buildLaunch, refuseExecOnHost, type Launch } from '../sessions/launch.js';
import type { SessionContext } from '../sessions/session-context.js';
import { pickResumeId } from '../sessions/status/conversation.js';
import type { HookEvent } from '../sessions/status/hook-events.js';
import { isActive } from '../sessions/status/tracker.js';
import type { AttachCommand } from '../sessions/tmux/attach.js';
import { TmuxSession } from '../sessions/tmux/tmux-session.js';
import { readRecentHostEvents } from './agent-events.js';
import { installHostClaudeHooks } from './host-claude-hooks.js';
import { installHostCodexProject } from './host-codex-project.js';
import { shArgv } from './quote.js';
import { HostError, hostRun, sshArgv } from './ssh.js';
import type { HostTmuxBackend } from './tmux-remote.js';
import { transcriptsOnHost } from './transcripts.js';

/**
 * An agent in a tmux window on an SSH host: a TmuxSession whose tmux is the host's
 * (tmux-remote.ts), whose worktree, hook settings and event file are on the host, whose hook
 * events arrive over SSH (agent-events.ts), and whose window is attached with `ssh -t`. The
 * events fleet-tui itself writes (`fleet:state`) stay in the local event file, as for a local
 * agent, so `status --json` reads them the same way.
 */
export class HostTmuxSession extends TmuxSession {
  private unwatchEvents: (() => void) | null = null;
  private cancelPendingStart: (() => void) | null = null;
  private disposedSession = false;
  private rotateEvents = false;
  private readonly offReach: () => void;

  constructor(
    ctx: SessionContext,
    private readonly remote: HostTmuxBackend,
  ) {
    super(ctx, remote);
    this.offReach = remote.onReachability((why) => this.reachability(why));
  }

  /** The host's name (config `hosts` key). */
  get host(): string {
    return this.remote.host.name;
  }

  private get hostName(): string {
    return this.remote.host.name;
  }

  /** The instance's event file on the host (where its hooks write). */
  get hostEventFile(): string {
    return path.posix.join(this.remote.hostDir, 'agents', `${this.instanceId}.events.jsonl`);
  }

  private unreachableError(e: HostError): FleetError {
    this.remote.markUnreachable(e.detail);
    return new FleetError(
      `instance ${this.instanceId}: host "${this.hostName}" unreachable: ${e.detail} — ${this.ctx.retryHostStarts ? 'it starts when the host is back' : 'start it again when the host is back'}`,
    );
  }

  /**
   * A start that failed because the host was down: in the TUI (retryHostStarts) the pane says so
   * and the agent is started when the host answers again; a stop, another start or dispose
   * cancels that. The caller still hears the failure.
   */
  override async start(opts: { rolePrompt?: string; resume?: boolean } = {}): Promise<void> {
    this.cancelPendingStart?.();
    this.cancelPendingStart = null;
    try {
      await super.start(opts);
    } catch (e) {
      const why = this.remote.unreachable;
      if (why === null || !this.ctx.retryHostStarts || this.disposedSession) throw e;
      this.tracker.set('stopped', {
        note: `host unreachable: ${why} — the agent starts when the host is back`,
      });
      const cancel = this.remote.whenBack(() => {
        if (this.cancelPendingStart !== cancel) return;
        this.cancelPendingStart = null;
        // No caller hears this start: a failure goes on the pane (unless the host went away
        // again, when the catch above has already said so and scheduled the next try).
        void this.start(opts).catch((err: unknown) => {
          if (this.cancelPendingStart === null && !this.disposedSession)
            this.tracker.set('stopped', {
              note: `start after the host came back failed: ${(err as Error).message}`,
            });
        });
      });
      this.cancelPendingStart = cancel;
      throw e;
    }
  }

  protected override async prepareLaunch(opts: {
    rolePrompt?: string;
    resume?: boolean;
  }): Promise<Launch> {
    const host = this.remote.host;
    const cwd = this.ctx.instance.hostPath!;
    refuseExecOnHost(this.ctx.config, this.ctx.instance);
    try {
      const there = await hostRun(host, `test -d ${shArgv([cwd])}`, { uncounted: true });
      if (there.exitCode !== 0) {
        const msg = `instance ${this.instanceId}: worktree ${cwd} is missing on host "${this.hostName}" — run "fleet-tui up" to create it`;
        this.tracker.exited(null, null, false, msg);
        throw new FleetError(msg);
      }
      this.rotateEvents = true;
      let events = await this.watchEvents(true);
      if (opts.resume) events = await transcriptsOnHost(host, events);
      const pick = opts.resume ? pickResumeId(events, await this.ctx.loadSessionId()) : null;
      this.launchNote = pick?.why;
      const launch = buildLaunch(this.ctx.config, this.ctx.instance, {
        eventFile: this.hostEventFile,
        rolePrompt: opts.rolePrompt,
        resumeId: pick?.id ?? null,
      });
      if (launch.realCodex) {
        const codex = await installHostCodexProject(host, cwd, launch.instructions ?? null);
        // Options go before a trailing `-- PROMPT` (codex resume with a new role).
        const dashes = launch.args.indexOf('--');
        if (dashes < 0) launch.args.push(...codex.args);
        else launch.args.splice(dashes, 0, ...codex.args);
        if (codex.notes.length)
          this.launchNote = [this.launchNote, ...codex.notes].filter(Boolean).join('; ');
      }
      if (launch.family === 'claude') {
        const skipped = await installHostClaudeHooks(
          host,
          cwd,
          this.hostEventFile,
          this.instanceId,
        );
        if (skipped) this.launchNote = [this.launchNote, skipped].filter(Boolean).join('; ');
      }
      return launch;
    } catch (e) {
      if (e instanceof HostError) throw this.unreachableError(e);
      throw e;
    }
  }

  /** Read the host event file's recent events, then follow it over the host's watcher. */
  protected override async watchEvents(fromStart = false): Promise<HookEvent[]> {
    const file = this.hostEventFile;
    let recent;
    try {
      // Before a start (the agent is not running, nothing appends), rotated when big.
      const rotate = this.rotateEvents;
      this.rotateEvents = false;
      recent = await readRecentHostEvents(this.remote.host, file, this.instanceId, rotate);
    } catch (e) {
      if (e instanceof HostError) throw this.unreachableError(e);
      throw e;
    }
    this.unwatchEvents?.();
    this.unwatchEvents = this.remote.events.subscribe(this.instanceId, file, recent.end, (evs) => {
      for (const ev of evs) if (!ev.event.startsWith('fleet:')) this.hook(ev);
    });
    return fromStart ? recent.events : [];
  }

  /** A live hook's conversation file is on the host, where fleet-tui cannot look for it on
   * every hook: its id is taken at its word here, and checked on the host before a resume. */
  protected override hook(ev: HookEvent): void {
    const { transcriptPath: _onHost, ...rest } = ev;
    super.hook(rest);
  }

  /** While the host does not answer, the status stays (the agent may well run on) with a note. */
  private reachability(why: string | null): void {
    const st = this.tracker.state();
    if (why !== null && this.window && isActive(st.status))
      this.tracker.set(st.status, { note: `host unreachable: ${why}` });
    else if (why === null && st.note?.startsWith('host unreachable'))
      this.tracker.set(st.status, { note: undefined });
  }

  /** As locally (load-buffer from stdin, bracketed paste, Enter), in one round trip: one tmux
   * invocation with `;` between the commands (every word ours: buffer name, pane id). */
  override async send(text: string): Promise<void> {
    const w = this.window;
    if (!w || w.dead || !isActive(this.tracker.state().status)) {
      throw new Error(`instance ${this.instanceId}: agent is not running — start it first`);
    }
    const buffer = `fleet-${this.instanceId}`;
    const res = await this.remote.run(
      [
        ...['load-buffer', '-b', buffer, '-', ';'],
        ...['paste-buffer', '-p', '-d', '-b', buffer, '-t', w.paneId, ';'],
        ...['send-keys', '-t', w.paneId, 'Enter'],
      ],
      text.replace(/\n+$/, ''),
    );
    if (!res.ok) throw new Error(`instance ${this.instanceId}: send failed: ${res.stderr.trim()}`);
  }

  /** Never report `stopped` for an agent we could not reach: it would run on unseen. */
  override async stop(): Promise<void> {
    this.cancelPendingStart?.();
    this.cancelPendingStart = null;
    if (this.window && !(await this.remote.run(['-V'])).ok) {
      throw new FleetError(
        `instance ${this.instanceId}: host "${this.hostName}" unreachable (${this.remote.unreachable ?? 'no answer'}) — its agent keeps running there; stop it when the host is back`,
      );
    }
    await super.stop();
  }

  /** `ssh -t host tmux -L fleet-<host> attach`; inside a local tmux, in a popup. */
  override attachCommand(): AttachCommand | null {
    const w = this.window;
    if (!w) return null;
    const tmux = shArgv([
      'tmux',
      ...this.remote.baseArgs,
      'select-window',
      '-t',
      w.windowId,
      ';',
      'attach-session',
      '-t',
      `=${this.remote.sessionName}`,
    ]);
    const args = sshArgv(this.remote.host, `unset TMUX; exec ${tmux}`, true);
    if (!process.env.TMUX) return { command: 'ssh', args, kind: 'attach' };
    const popup = shArgv(['ssh', ...args]);
    return {
      command: 'tmux',
      args: ['display-popup', '-E', '-w', '90%', '-h', '90%', popup],
      kind: 'popup',
    };
  }

  override dispose(): void {
    this.disposedSession = true;
    this.cancelPendingStart?.();
    this.cancelPendingStart = null;
    this.unwatchEvents?.();
    this.unwatchEvents = null;
    this.offReach();
    super.dispose();
  }
}
