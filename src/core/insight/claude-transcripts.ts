import path from 'node:path';
import { isObject, num, str } from '../sessions/parsers/types.js';
import type { UsageEntry } from './usage-entry.js';

/**
 * Claude Code keeps each project's conversations in `<config dir>/projects/<encoded cwd>/`, the
 * absolute working directory with every character that is not a letter or digit turned into '-'.
 */
export function encodeProjectDir(absPath: string): string {
  return absPath.replace(/[^A-Za-z0-9]/g, '-');
}

/** `$CLAUDE_CONFIG_DIR` (ccusage also reads a comma-separated list), else `~/.claude`. */
export function claudeConfigDirs(env: NodeJS.ProcessEnv, home: string): string[] {
  const fromEnv = (env.CLAUDE_CONFIG_DIR ?? '')
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
  return fromEnv.length > 0 ? fromEnv.map((p) => path.resolve(p)) : [path.join(home, '.claude')];
}

/**
 * A transcript line that records a model call: ccusage's rule (a timestamp and
 * `message.usage.input_tokens`/`output_tokens` as numbers), whatever the line's `type`.
 * Claude Code ≤ 2.0 names the API request `requestId`; 2.1 writes `requestRef`.
 */
export function parseClaudeLine(line: string, fileSessionId: string): UsageEntry | null {
  if (!line.includes('"usage"')) return null;
  let v: unknown;
  try {
    v = JSON.parse(line);
  } catch {
    return null; // a line still being written: read again next time
  }
  if (!isObject(v) || !isObject(v.message) || !isObject(v.message.usage)) return null;
  const u = v.message.usage;
  const ts = str(v.timestamp);
  if (typeof u.input_tokens !== 'number' || typeof u.output_tokens !== 'number' || !ts) return null;
  const t = Date.parse(ts);
  if (!Number.isFinite(t)) return null;
  const messageId = str(v.message.id);
  const requestId = str(v.requestId) ?? str(v.requestRef);
  return {
    t,
    model: str(v.message.model) ?? '',
    input: num(u.input_tokens),
    output: num(u.output_tokens),
    cacheCreation: num(u.cache_creation_input_tokens),
    cacheRead: num(u.cache_read_input_tokens),
    cost: typeof v.costUSD === 'number' ? v.costUSD : null,
    speed: str(u.speed),
    key: messageId && requestId ? `${messageId}:${requestId}` : null,
    sessionId: str(v.sessionId) ?? fileSessionId,
    cwd: null,
    source: 'claude',
  };
}
