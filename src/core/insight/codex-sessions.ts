import path from 'node:path';
import { isObject, num, str, type JsonObject } from '../sessions/parsers/types.js';
import type { UsageEntry } from './usage-entry.js';

/** `$CODEX_HOME/sessions` (default `~/.codex/sessions`): `YYYY/MM/DD/rollout-*.jsonl`. */
export function codexSessionsDir(env: NodeJS.ProcessEnv, home: string): string {
  const h = env.CODEX_HOME?.trim();
  return path.join(h ? path.resolve(h) : path.join(home, '.codex'), 'sessions');
}

/** What a rollout file has told so far; kept with the file's offset so reading resumes mid-file. */
export interface CodexFileState {
  sessionId: string;
  cwd: string | null;
  model: string | null;
  /** Running totals of the last `token_count`, for logs that only record totals. */
  totals: RawUsage | null;
}

interface RawUsage {
  input: number;
  cached: number;
  output: number;
  reasoning: number;
}

export function newCodexState(file: string): CodexFileState {
  return { sessionId: path.basename(file, '.jsonl'), cwd: null, model: null, totals: null };
}

function raw(v: unknown): RawUsage | null {
  if (!isObject(v)) return null;
  return {
    input: num(v.input_tokens),
    cached: num(v.cached_input_tokens ?? v.cache_read_input_tokens),
    output: num(v.output_tokens),
    reasoning: num(v.reasoning_output_tokens),
  };
}

function modelOf(p: JsonObject): string | null {
  const info = isObject(p.info) ? p.info : {};
  const meta = isObject(info.metadata) ? info.metadata : {};
  const pmeta = isObject(p.metadata) ? p.metadata : {};
  for (const m of [info.model, info.model_name, meta.model, p.model, pmeta.model]) {
    const s = str(m)?.trim();
    if (s) return s;
  }
  return null;
}

/** ccusage's fallback for old logs that never name their model. */
const LEGACY_MODEL = 'gpt-5';

/**
 * One rollout line, read the way @ccusage/codex reads it: `session_meta` and `turn_context` give
 * the session id, working directory and model; each `event_msg` of type `token_count` is one
 * model call (its `last_token_usage`, or the difference of `total_token_usage` in older logs).
 */
export function parseCodexLine(state: CodexFileState, line: string): UsageEntry | null {
  if (!line.startsWith('{')) return null;
  let v: unknown;
  try {
    v = JSON.parse(line);
  } catch {
    return null;
  }
  if (!isObject(v) || typeof v.type !== 'string') return null;
  const p = isObject(v.payload) ? v.payload : null;
  if (v.type === 'session_meta' && p) {
    state.sessionId = str(p.id) ?? str(p.session_id) ?? state.sessionId;
    state.cwd = str(p.cwd) ?? state.cwd;
    return null;
  }
  if (v.type === 'turn_context' && p) {
    state.cwd = str(p.cwd) ?? state.cwd;
    state.model = modelOf(p) ?? state.model;
    return null;
  }
  if (v.type !== 'event_msg' || !p || p.type !== 'token_count') return null;
  const ts = str(v.timestamp);
  if (!ts) return null;
  const info = isObject(p.info) ? p.info : null;
  const last = raw(info?.last_token_usage);
  const total = raw(info?.total_token_usage);
  let u = last;
  if (!u && total) {
    const prev = state.totals;
    u = {
      input: Math.max(total.input - (prev?.input ?? 0), 0),
      cached: Math.max(total.cached - (prev?.cached ?? 0), 0),
      output: Math.max(total.output - (prev?.output ?? 0), 0),
      reasoning: Math.max(total.reasoning - (prev?.reasoning ?? 0), 0),
    };
  }
  if (total) state.totals = total;
  if (!u || (u.input === 0 && u.cached === 0 && u.output === 0 && u.reasoning === 0)) return null;
  const model = modelOf(p) ?? state.model ?? LEGACY_MODEL;
  state.model = model;
  const t = Date.parse(ts);
  if (!Number.isFinite(t)) return null;
  const cached = Math.min(u.cached, u.input);
  return {
    t,
    model,
    // OpenAI counts cached input inside input_tokens, and reasoning inside output_tokens.
    input: u.input - cached,
    output: u.output,
    cacheCreation: 0,
    cacheRead: cached,
    cost: null,
    speed: null,
    key: null,
    sessionId: state.sessionId,
    cwd: state.cwd,
    source: 'codex',
  };
}
