import type { ResolvedConfig } from '../../config/types.js';
import { FleetError, UsageError } from '../errors.js';
import { readFleetState, updateFleetState } from '../state/fleet-state.js';
import type { BaseSession } from './base-session.js';
import { ExecSession } from './exec/exec-session.js';
import { commonDirOf } from './git-dirs.js';
import type { SessionContext } from './session-context.js';
import { eventFilePath, rotateEventFile } from './status/event-file.js';
import { HostTmuxSession } from '../hosts/host-session.js';
import { HostTmuxBackend } from '../hosts/tmux-remote.js';
import { TmuxBackend } from './tmux/backend.js';
import { TmuxSession } from './tmux/tmux-session.js';
import { defaultTmuxSession } from './tmux-name.js';
import type { Session } from './types.js';

export interface SessionManagerOptions {
  /** tmux socket name (`tmux -L`); default: $FLEET_TUI_TMUX_SOCKET, else tmux's default server. */
  tmuxSocket?: string;
  /** tmux session holding the fleet's windows; default: config.sessions.tmuxSession or `fleet-<repo dir>`. */
  tmuxSession?: string;
  /** Base delay before restarting a crashed exec agent (doubles per crash, max 60 s); 0 = never. */
  crashBackoffMs?: number;
  /** Output notifications per session at most once per this many ms (default 40). */
  notifyMs?: number;
  /** `tail`, `send`: watch and act, but never write an agent's state. */
  readOnly?: boolean;
  /** The TUI: a tmux agent starts only once its pane said its size (resize), waiting at most
   * this long (a pane the grid does not show never says it). Default 0: start at once. */
  awaitSizeMs?: number;
  /** The TUI: an agent whose start failed because its SSH host was down is started when the
   * host answers again (a one-shot CLI exits instead; default false). */
  retryHostStarts?: boolean;
}

/** Every instance's agent session, one backend per agent kind (`agents.<kind>.backend`). */
export class SessionManager {
  readonly commonDir: string;
  readonly tmux: TmuxBackend;
  /** One tmux server per SSH host (`tmux -L fleet-<host>` there), driven over SSH. */
  readonly hostTmux = new Map<string, HostTmuxBackend>();
  private readonly byId = new Map<string, BaseSession>();
  /** Each tmux session's backend: the local server, or its host's. */
  private readonly backendOf = new Map<string, TmuxBackend>();

  constructor(
    readonly config: ResolvedConfig,
    opts: SessionManagerOptions = {},
  ) {
    this.commonDir = commonDirOf(config.rootDir);
    this.tmux = new TmuxBackend(
      opts.tmuxSocket ?? process.env.FLEET_TUI_TMUX_SOCKET ?? null,
      opts.tmuxSession ?? defaultTmuxSession(config),
    );
    for (const instance of config.instances) {
      const spec = config.agents[instance.agent];
      const ctx: SessionContext = {
        config,
        instance,
        commonDir: this.commonDir,
        eventFile: eventFilePath(this.commonDir, instance.id),
        scrollback: config.sessions.scrollback,
        scrollbackBytes: config.sessions.scrollbackBytes,
        idleAfterMs: config.sessions.idleAfterMs,
        savedSessionId: null,
        loadSessionId: async () =>
          (await readFleetState(this.commonDir)).sessions[instance.id] ?? null,
        saveSessionId: async (sid) => {
          await updateFleetState(this.commonDir, (s) => ({
            ...s,
            sessions: { ...s.sessions, [instance.id]: sid },
          }));
        },
        crashBackoffMs: opts.crashBackoffMs ?? 1000,
        notifyMs: opts.notifyMs ?? 40,
        readOnly: opts.readOnly === true,
        awaitSizeMs: opts.awaitSizeMs ?? 0,
        retryHostStarts: opts.retryHostStarts === true,
      };
      const host = instance.host ? config.hosts[instance.host] : undefined;
      // exec on a host: HostTmuxSession refuses it with one line (launch.ts).
      if (spec?.backend === 'exec' && !host) this.byId.set(instance.id, new ExecSession(ctx));
      else if (host) {
        let b = this.hostTmux.get(host.name);
        if (!b)
          this.hostTmux.set(host.name, (b = new HostTmuxBackend(host, this.tmux.sessionName)));
        this.backendOf.set(instance.id, b);
        this.byId.set(instance.id, new HostTmuxSession(ctx, b));
      } else {
        this.backendOf.set(instance.id, this.tmux);
        this.byId.set(instance.id, new TmuxSession(ctx, this.tmux));
      }
    }
  }

  /** The session of instance `id`; a usage error naming the known ids otherwise. */
  session(id: string): Session {
    const s = this.byId.get(id);
    if (!s) {
      throw new UsageError(`unknown instance "${id}" — known: ${[...this.byId.keys()].join(', ')}`);
    }
    return s;
  }

  sessions(): Session[] {
    return [...this.byId.values()];
  }

  /** Adopt running tmux windows, then start every agent that is not running. */
  async startAll(): Promise<void> {
    await this.adopt();
    const idle = [...this.byId.values()].filter((s) => !isRunning(s));
    for (const s of idle) await rotateEventFile(eventFilePath(this.commonDir, s.instanceId));
    // One agent that cannot start (missing worktree) does not keep the others from starting.
    const results = await Promise.allSettled(idle.map((s) => s.start()));
    const failed = results.flatMap((r) =>
      r.status === 'rejected'
        ? [r.reason instanceof Error ? r.reason.message : String(r.reason)]
        : [],
    );
    if (failed.length) throw new FleetError(failed.join('; '));
  }

  async stopAll(): Promise<void> {
    await Promise.all([...this.byId.values()].map((s) => s.stop()));
  }

  /** Take over the tmux windows of this fleet that are already running (only those of `ids`
   * when given: a command naming one agent leaves the others alone); returns their ids. */
  async adopt(ids?: string[]): Promise<string[]> {
    const tmuxSessions = [...this.byId.values()].filter(
      (s): s is TmuxSession =>
        s instanceof TmuxSession && (ids === undefined || ids.includes(s.instanceId)),
    );
    if (tmuxSessions.length === 0) return [];
    const adopted: string[] = [];
    // Each tmux server once, all at the same time (a slow host holds up only its own).
    await Promise.all(
      [...new Set(tmuxSessions.map((s) => this.backendOf.get(s.instanceId)!))].map(async (b) => {
        const windows = await b.listWindows();
        for (const s of tmuxSessions.filter((x) => this.backendOf.get(x.instanceId) === b)) {
          const w = windows.find((x) => x.instance === s.instanceId);
          if (w && (await s.adoptWindow(w).catch(() => false))) adopted.push(s.instanceId);
        }
      }),
    );
    return adopted;
  }

  /**
   * Follow the tmux session, not our memory of it: a window another process created for one of
   * our instances (`fleet-tui agents start X` in another shell, a restart) is adopted as soon as
   * tmux reports it; one killed elsewhere already reports `stopped` (TmuxSession). Returns the
   * unsubscribe.
   */
  follow(onError: (e: unknown) => void): () => void {
    // A fleet without tmux agents has no session to follow: following it would only look for
    // one, every second, forever (the idle CPU of an all-exec fleet). Each tmux server with
    // agents of ours is followed: the local one, each host's.
    const used = new Set(this.backendOf.values());
    const offs = [this.tmux, ...this.hostTmux.values()]
      .filter((b) => used.has(b))
      .map((b) => {
        let running: Promise<void> = Promise.resolve();
        return b.onWindowsChanged(() => {
          // One adoption at a time; a failed one is reported and the next change tries again.
          running = running.then(() => this.adoptNew(b)).catch(onError);
        });
      });
    return () => offs.forEach((off) => off());
  }

  private async adoptNew(b: TmuxBackend): Promise<void> {
    const windows = await b.listWindows();
    for (const s of this.byId.values()) {
      if (!(s instanceof TmuxSession) || this.backendOf.get(s.instanceId) !== b) continue;
      const w = windows.find((x) => x.instance === s.instanceId);
      if (w && !s.owns(w.windowId)) await s.adoptWindow(w);
    }
  }

  /** Let go: tmux agents keep running (adopted next time); exec agents end with their pipes. */
  dispose(): void {
    for (const s of this.byId.values()) s.dispose();
    this.tmux.dispose();
    for (const b of this.hostTmux.values()) b.dispose();
  }
}

function isRunning(s: Session): boolean {
  const st = s.state().status;
  return st === 'starting' || st === 'working' || st === 'waiting' || st === 'idle';
}
