/**
 * Contract between agent sessions (issue "Agent sessions") and their readers (the FleetStore,
 * the TUI, `fleet-tui status`). `stopped` = no agent process/window for this instance.
 */
export type AgentStatus =
  'starting' | 'working' | 'waiting' | 'idle' | 'exited' | 'crashed' | 'stopped';

export interface AgentState {
  status: AgentStatus;
  /** ISO time the instance entered this status. */
  since: string;
  exitCode: number | null;
  sessionId: string | null;
  costUsd: number | null;
  tokens: { input: number; output: number } | null;
  /** Extra words for the badge, e.g. "crash loop: retry in 8s". */
  note?: string;
}

export type SessionEvent = 'output' | 'state';

export interface Session {
  readonly instanceId: string;
  readonly backend: 'tmux' | 'exec';
  start(): Promise<void>;
  /** SIGTERM, then SIGKILL after a grace period (tmux: kill the window). */
  stop(): Promise<void>;
  /** Resumes the agent's own session when its id is known; `prompt` overrides the role prompt. */
  restart(opts?: { rolePrompt?: string }): Promise<void>;
  /** Send a line or a multi-line prompt, then Enter. */
  send(text: string): Promise<void>;
  /** tmux only: press these keys (tmux key names, from fleet-tui's own tables, never agent text). */
  pressKeys?(keys: readonly string[]): Promise<void>;
  /** tmux only: the screen as it is now (read from tmux, not the ring); null when it is gone. */
  screenNow?(): Promise<string[] | null>;
  /** The size the UI gives this instance's pane (tmux resizes the window to it). */
  resize(cols: number, rows: number): void;
  /** The last `n` lines of output, colours kept, cursor movement removed. Cheap: reads a ring buffer. */
  tail(n: number): string[];
  /** Bumped on every output change: lets a renderer skip unchanged panes without copying lines. */
  readonly version: number;
  state(): AgentState;
  /** Subscribe; returns the unsubscribe function. */
  on(event: SessionEvent, fn: () => void): () => void;
  /** tmux only: the argv that shows this agent's window — attach, or from inside tmux a client
   * switch or a popup (`kind`; see tmux/attach.ts). Null for exec. */
  attachCommand(): { command: string; args: string[]; kind?: 'attach' | 'switch' | 'popup' } | null;
}
