import { watch, writeFileSync, existsSync, mkdirSync, statSync, type FSWatcher } from 'node:fs';
import path from 'node:path';
import { FleetError } from '../errors.js';
import { buildLaunch, type Launch } from './launch.js';
import { cancelNotify, notifySoon } from './output/notify-batch.js';
import { RingBuffer } from './output/ring-buffer.js';
import { installClaudeHooks } from './status/claude-hooks.js';
import { installCodexProject } from './status/codex-project.js';
import { appendEvent, readEventsFrom, readRecentEvents } from './status/event-file.js';
import { pickResumeId, resumableSession } from './status/conversation.js';
import type { HookEvent } from './status/hook-events.js';
import { StatusTracker } from './status/tracker.js';
import type { SessionContext } from './session-context.js';
import type { AgentState, Session, SessionEvent } from './types.js';

/**
 * What both backends share: the scrollback ring, the version counter, coalesced `output`
 * notifications, the status tracker fed by the instance's event file, and persisting status
 * changes to that file so other processes (`fleet-tui status`) can read them.
 */
export abstract class BaseSession implements Session {
  abstract readonly backend: 'tmux' | 'exec';
  readonly instanceId: string;
  version = 0;
  protected readonly ring: RingBuffer;
  protected readonly tracker: StatusTracker;
  private readonly listeners: Record<SessionEvent, Set<() => void>> = {
    output: new Set(),
    state: new Set(),
  };
  private notifyPending = false;
  private readonly notify = () => {
    this.notifyPending = false;
    this.tracker.activity();
    this.emit('output');
  };
  private watcher: FSWatcher | null = null;
  private eventOffset = 0;
  private reading = false;
  private readAgain = false;
  private persistTimer: NodeJS.Timeout | null = null;
  private persistedStatus: string | null = null;
  protected pid: number | null = null;
  /** Session ids known to have a conversation on disk: only these are saved for resume. */
  private readonly resumable = new Set<string>();
  /** Adopting a window replays what is known: nothing of that is written back. */
  protected quiet = false;
  /** Why the last launch resumed or started fresh (shown as the `starting` note). */
  protected launchNote: string | undefined;

  /** Why the last launch resumed or started fresh: the status note moves on with the status,
   * `agents restart` prints this. */
  get launchReason(): string | undefined {
    return this.launchNote;
  }

  constructor(protected readonly ctx: SessionContext) {
    this.instanceId = ctx.instance.id;
    this.ring = new RingBuffer(ctx.scrollback, ctx.scrollbackBytes);
    this.tracker = new StatusTracker((s) => this.stateChanged(s), ctx.idleAfterMs);
    if (ctx.savedSessionId) this.tracker.seed({ sessionId: ctx.savedSessionId });
  }

  abstract start(): Promise<void>;
  abstract stop(): Promise<void>;
  abstract restart(opts?: { rolePrompt?: string }): Promise<void>;
  abstract send(text: string): Promise<void>;
  abstract resize(cols: number, rows: number): void;
  abstract attachCommand(): ReturnType<Session['attachCommand']>;

  tail(n: number): string[] {
    return this.ring.tail(n);
  }

  state(): AgentState {
    return this.tracker.state();
  }

  on(event: SessionEvent, fn: () => void): () => void {
    this.listeners[event].add(fn);
    return () => this.listeners[event].delete(fn);
  }

  /** Stop watching and notifying; the agent itself is left alone. */
  dispose(): void {
    this.watcher?.close();
    this.watcher = null;
    if (this.notifyPending) cancelNotify(this.ctx.notifyMs, this.notify);
    this.notifyPending = false;
    this.flushPersist();
    this.tracker.dispose();
  }

  /** Output changed: bump the version now, notify listeners at most once per `notifyMs`. */
  protected outputChanged(): void {
    this.version++;
    if (this.notifyPending) return;
    this.notifyPending = true;
    notifySoon(this.ctx.notifyMs, this.notify);
  }

  private emit(event: SessionEvent): void {
    for (const fn of this.listeners[event]) fn();
  }

  /** An id the agent can resume (its conversation exists): save it for the next restart. */
  protected markResumable(id: string): void {
    this.resumable.add(id);
    this.saveSessionId(id);
  }

  private saveSessionId(id: string | null): void {
    if (!id || id === this.ctx.savedSessionId || !this.resumable.has(id)) return;
    if (this.quiet || this.ctx.readOnly) return;
    this.ctx.savedSessionId = id;
    // The fleet state is the second source: restart reads the id from the event file first,
    // where the hook already wrote it, so a failed save loses nothing resumable.
    void this.ctx.saveSessionId(id).catch(() => undefined);
  }

  /** Whether this process may write the agent's state (not `tail`/`send`, not while adopting). */
  protected get writes(): boolean {
    return !this.quiet && !this.ctx.readOnly;
  }

  private stateChanged(s: AgentState): void {
    this.saveSessionId(s.sessionId);
    if (!this.writes) {
      this.persistedStatus = s.status;
      this.emit('state');
      return;
    }
    // Status changes are written at once; cost/token updates at most once a second.
    if (s.status !== this.persistedStatus) this.flushPersist(true);
    else if (!this.persistTimer) {
      this.persistTimer = setTimeout(() => this.flushPersist(), 1000);
      this.persistTimer.unref();
    }
    this.emit('state');
  }

  private flushPersist(force = false): void {
    if (this.persistTimer) clearTimeout(this.persistTimer);
    const wasPending = this.persistTimer !== null;
    this.persistTimer = null;
    if (!force && !wasPending) return;
    if (!this.writes) return;
    const s = this.tracker.state();
    this.persistedStatus = s.status;
    try {
      appendEvent(this.ctx.eventFile, {
        t: new Date().toISOString(),
        event: 'fleet:state',
        status: s.status,
        exitCode: s.exitCode,
        sessionId: s.sessionId,
        costUsd: s.costUsd,
        tokens: s.tokens,
        pid: this.pid,
        backend: this.backend,
        ...(s.note ? { message: s.note } : {}),
      });
    } catch {
      // The git dir vanished (repository removed under us): status stays in memory only.
    }
  }

  /** Everything both backends do before launching: watch the event file, template the command
   * (resuming when asked and a session id is known), install Claude's hooks. */
  protected async prepareLaunch(opts: { rolePrompt?: string; resume?: boolean }): Promise<Launch> {
    // Never start an agent somewhere else: without its worktree, tmux would start it in the
    // server's directory (another repository, in real life).
    const cwd = this.ctx.instance.worktreePath;
    if (!isDirectory(cwd)) {
      const msg = `instance ${this.instanceId}: worktree ${cwd} is missing — run "fleet-tui up" to create it`;
      this.tracker.exited(null, null, false, msg);
      throw new FleetError(msg);
    }
    const events = await this.watchEvents(true);
    // Resume only a conversation that exists on disk; otherwise a fresh start with the role
    // prompt (resuming an id without one makes claude/codex exit 1). The reason is the note.
    const pick = opts.resume ? pickResumeId(events, await this.ctx.loadSessionId()) : null;
    this.launchNote = pick?.why;
    const launch = buildLaunch(this.ctx.config, this.ctx.instance, {
      eventFile: this.ctx.eventFile,
      rolePrompt: opts.rolePrompt,
      resumeId: pick?.id ?? null,
    });
    if (launch.family === 'claude') {
      const skipped = await installClaudeHooks(launch.cwd, this.ctx.eventFile, this.instanceId);
      if (skipped) this.launchNote = [this.launchNote, skipped].filter(Boolean).join('; ');
    }
    if (launch.realCodex) {
      const codex = await installCodexProject(
        launch.cwd,
        launch.instructions ?? null,
        this.ctx.config.rootDir,
      );
      // Options go before a trailing `-- PROMPT` (codex resume with a new role).
      const dashes = launch.args.indexOf('--');
      if (dashes < 0) launch.args.push(...codex.args);
      else launch.args.splice(dashes, 0, ...codex.args);
      if (codex.notes.length)
        this.launchNote = [this.launchNote, ...codex.notes].filter(Boolean).join('; ');
    }
    return launch;
  }

  /** Follow the event file from its current end: hooks fired from now on change the status. */
  protected async watchEvents(fromStart = false): Promise<HookEvent[]> {
    const file = this.ctx.eventFile;
    mkdirSync(path.dirname(file), { recursive: true });
    if (!existsSync(file)) writeFileSync(file, '');
    const recent = await readRecentEvents(file);
    this.eventOffset = recent.end;
    if (!this.watcher) {
      this.watcher = watch(file, () => void this.readEvents());
      this.watcher.on('error', () => undefined);
    }
    return fromStart ? recent.events : [];
  }

  /** A request from another process (`fleet-tui agents stop|restart|send`) for the agent we own. */
  private request(ev: HookEvent): void {
    const act =
      ev.action === 'stop'
        ? this.stop()
        : ev.action === 'restart'
          ? this.restart()
          : ev.action === 'send'
            ? this.send(ev.text ?? '')
            : null;
    void act?.catch(() => undefined);
  }

  /** One agent hook: an observed agent (no instance marker) or an aux thread never becomes the
   * managed session; an id is saved for resume once its conversation is on disk. */
  protected hook(ev: HookEvent): void {
    if (ev.observed) return;
    const id = resumableSession(ev);
    if (id) this.resumable.add(id);
    this.tracker.hook(ev.aux ? { ...ev, sessionId: null } : ev);
    this.saveSessionId(id);
  }

  private async readEvents(): Promise<void> {
    if (this.reading) {
      this.readAgain = true;
      return;
    }
    this.reading = true;
    try {
      do {
        this.readAgain = false;
        const { events, end } = await readEventsFrom(this.ctx.eventFile, this.eventOffset);
        this.eventOffset = end;
        for (const ev of events) {
          if (ev.event === 'fleet:request') this.request(ev);
          else if (!ev.event.startsWith('fleet:')) this.hook(ev);
        }
      } while (this.readAgain);
    } finally {
      this.reading = false;
    }
  }
}

function isDirectory(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}
