import { CLAUDE_TYPES, renderClaude } from './claude.js';
import { CODEX_TYPES, renderCodex } from './codex.js';
import { isObject, type Emit, type UsageTotals } from './types.js';

/**
 * Recognises Claude stream-json and Codex `exec --json` lines among ordinary output and renders
 * them as readable lines; everything else passes through. A line that only looks like JSON
 * (truncated, or an unknown shape) is shown as it is rather than dropped.
 */
export class AgentEventParser {
  readonly totals: UsageTotals = {
    costUsd: null,
    inputTokens: 0,
    outputTokens: 0,
    sessionId: null,
  };
  /** Set when a line carried a cost, token or session fact (lets the session publish state). */
  changed = false;
  private readonly cwd: { value: string | null };
  private seenAgentEvents = false;

  constructor(cwd: string | null = null) {
    this.cwd = { value: cwd };
  }

  feed(line: string, emit: Emit): void {
    if (line.charCodeAt(0) !== 123 /* { */) {
      emit(line);
      return;
    }
    let ev: unknown;
    try {
      ev = JSON.parse(line);
    } catch {
      emit(line);
      return;
    }
    if (!isObject(ev) || typeof ev.type !== 'string') {
      emit(line);
      return;
    }
    const t = this.totals;
    const { costUsd, inputTokens, outputTokens, sessionId } = t;
    if (CLAUDE_TYPES.has(ev.type)) renderClaude(ev, t, this.cwd, emit);
    else if (CODEX_TYPES.has(ev.type)) renderCodex(ev, t, this.cwd.value, emit);
    // Once the stream is known to be agent events, a new event type is ignored, not fatal;
    // before that, a JSON line is just output.
    else if (!this.seenAgentEvents) return emit(line);
    this.seenAgentEvents = true;
    if (
      costUsd !== t.costUsd ||
      inputTokens !== t.inputTokens ||
      outputTokens !== t.outputTokens ||
      sessionId !== t.sessionId
    ) {
      this.changed = true;
    }
  }
}
