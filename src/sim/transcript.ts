import { TranscriptWriter } from '../core/insight/transcript-writer.js';
import type { SimOptions } from './options.js';

/**
 * The simulated agent writes its model calls where the real agent would — Claude Code's project
 * transcript under `$CLAUDE_CONFIG_DIR`, a Codex rollout under `$CODEX_HOME` — so `usage`, the
 * report and the TUI's costs show figures in the demo. Only when the demo asked for it
 * (`FLEET_SIM_TRANSCRIPTS=1`, set in its sandbox config with both directories inside the
 * sandbox): a simulated agent never writes into a person's own `~/.claude` or `~/.codex`.
 */
export function simTranscript(
  o: Pick<SimOptions, 'kind' | 'cwd'>,
  sessionId: string,
  env: NodeJS.ProcessEnv = process.env,
): TranscriptWriter | null {
  if (env.FLEET_SIM_TRANSCRIPTS !== '1' || o.kind === 'plain') return null;
  const dir = o.kind === 'claude' ? env.CLAUDE_CONFIG_DIR : env.CODEX_HOME;
  if (!dir?.trim()) return null;
  return new TranscriptWriter({ kind: o.kind, cwd: o.cwd, env, sessionId });
}

/** One turn's model call, sized like a small real turn (cache reads dominate, as they do). */
export function turnCall(turn: number, tokensIn: number, tokensOut: number) {
  return {
    input: tokensIn,
    output: tokensOut,
    cacheCreation: turn === 1 ? 6000 : 400,
    cacheRead: 12_000 + turn * 600,
  };
}
