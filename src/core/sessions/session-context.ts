import type { ResolvedConfig, ResolvedInstance } from '../../config/types.js';

/** What every backend needs to know about its instance; built once by the SessionManager. */
export interface SessionContext {
  config: ResolvedConfig;
  instance: ResolvedInstance;
  commonDir: string;
  eventFile: string;
  scrollback: number;
  /** Byte bound of the scrollback (UTF-8). */
  scrollbackBytes: number;
  idleAfterMs: number;
  /** Session id recorded for this instance in the fleet state (resume). */
  savedSessionId: string | null;
  /** The persisted session id (fleet state), refreshed from disk. */
  loadSessionId(): Promise<string | null>;
  /** Persist a newly learnt agent session id. */
  saveSessionId(id: string): Promise<void>;
  /** Restart crashed agents with exponential backoff (base delay in ms; 0 = never restart). */
  crashBackoffMs: number;
  /** `tail`, `send`: never write the agent's state (event file, fleet state). */
  readOnly?: boolean;
  /** A UI shows the panes: a tmux start waits up to this long for its pane's size (0: never). */
  awaitSizeMs?: number;
  /** An SSH host's agent whose start failed while the host was down starts when it is back. */
  retryHostStarts?: boolean;
  /** Output notifications are coalesced to at most one per this many ms. */
  notifyMs: number;
}
