/**
 * One model call as a transcript recorded it, reduced to what usage needs. Kept compact because
 * the transcript cache holds a month of them.
 */
export interface UsageEntry {
  /** Milliseconds since the epoch. */
  t: number;
  model: string;
  /** Input tokens not read from a cache (for Codex: input minus cached input). */
  input: number;
  output: number;
  cacheCreation: number;
  cacheRead: number;
  /** A cost the transcript states itself (old Claude Code wrote `costUSD`); used as ccusage does. */
  cost: number | null;
  /** `fast` when Claude ran in fast mode (priced higher). */
  speed: string | null;
  /** Deduplication key (Claude: message id + request id); null when the line has none. */
  key: string | null;
  sessionId: string;
  /** Codex: the session's working directory when the call was made. */
  cwd: string | null;
  source: 'claude' | 'codex';
}
