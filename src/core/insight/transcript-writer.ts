import { randomUUID } from 'node:crypto';
import { appendFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { claudeConfigDirs, encodeProjectDir } from './claude-transcripts.js';
import { codexSessionsDir } from './codex-sessions.js';

/**
 * Writes transcripts in the agents' own formats — Claude Code 2.1.332's project `.jsonl` lines
 * and Codex 0.171.0's rollout files — for the simulated agents of the demo, so `usage` and the
 * TUI show figures there. The readers (claude-transcripts.ts, codex-sessions.ts) and ccusage
 * read what this writes exactly as they read the real thing (test/unit/insight).
 *
 * Where: `$CLAUDE_CONFIG_DIR` / `$CODEX_HOME` of the environment given — the demo sets both to
 * directories inside its sandbox, so a person's own `~/.claude` is never written.
 */
export interface ModelCall {
  input: number;
  output: number;
  cacheCreation?: number;
  cacheRead?: number;
}

export interface TranscriptWriterOptions {
  kind: 'claude' | 'codex';
  /** The agent's working directory (the instance's worktree, absolute). */
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Claude: model id as the API names it; Codex: as its config does. */
  model?: string;
  /** The session's id (the simulated agent's, so hooks and transcript agree); default random. */
  sessionId?: string;
  now?: () => Date;
}

const DEFAULT_MODEL = { claude: 'claude-sonnet-4-5-20250929', codex: 'gpt-5.1-codex' };

/** Refuses a missing variable: falling back to `~/.claude` would write into the person's own. */
function requireEnv(env: NodeJS.ProcessEnv, name: string): void {
  if (!env[name]?.trim())
    throw new Error(`${name} is not set: simulated transcripts go only to a sandbox's directory`);
}

/** Codex names a rollout `rollout-<local time, - for :>-<thread id>.jsonl` under its day. */
function rolloutPath(sessionsDir: string, d: Date, id: string): string {
  const p = (n: number) => String(n).padStart(2, '0');
  const day = [String(d.getFullYear()), p(d.getMonth() + 1), p(d.getDate())];
  const time = `${day.join('-')}T${p(d.getHours())}-${p(d.getMinutes())}-${p(d.getSeconds())}`;
  return path.join(sessionsDir, ...day, `rollout-${time}-${id}.jsonl`);
}

export class TranscriptWriter {
  readonly sessionId: string;
  readonly file: string;
  private readonly model: string;
  private readonly now: () => Date;
  private started = false;
  private totals = { input: 0, cached: 0, output: 0 };

  constructor(private readonly opts: TranscriptWriterOptions) {
    this.sessionId = opts.sessionId ?? randomUUID();
    this.model = opts.model ?? DEFAULT_MODEL[opts.kind];
    this.now = opts.now ?? (() => new Date());
    if (opts.kind === 'claude') {
      requireEnv(opts.env, 'CLAUDE_CONFIG_DIR');
      const dir = claudeConfigDirs(opts.env, '/nonexistent')[0]!;
      this.file = path.join(dir, 'projects', encodeProjectDir(opts.cwd), `${this.sessionId}.jsonl`);
    } else {
      requireEnv(opts.env, 'CODEX_HOME');
      this.file = rolloutPath(
        codexSessionsDir(opts.env, '/nonexistent'),
        this.now(),
        this.sessionId,
      );
    }
  }

  /** One model call: the lines the agent writes for it (and a session header the first time). */
  call(c: ModelCall): void {
    const at = this.now().toISOString();
    const lines = this.opts.kind === 'claude' ? [this.claudeLine(c, at)] : this.codexLines(c, at);
    mkdirSync(path.dirname(this.file), { recursive: true });
    appendFileSync(this.file, lines.map((l) => `${JSON.stringify(l)}\n`).join(''));
    this.started = true;
  }

  private claudeLine(c: ModelCall, timestamp: string): object {
    return {
      parentUuid: null,
      isSidechain: false,
      message: {
        id: `msg_sim${randomUUID().replace(/-/g, '').slice(0, 20)}`,
        type: 'message',
        role: 'assistant',
        model: this.model,
        content: [{ type: 'text', text: 'simulated turn' }],
        stop_reason: 'end_turn',
        stop_sequence: null,
        usage: {
          input_tokens: c.input,
          cache_creation_input_tokens: c.cacheCreation ?? 0,
          cache_read_input_tokens: c.cacheRead ?? 0,
          output_tokens: c.output,
          service_tier: 'standard',
          speed: 'standard',
        },
      },
      requestRef: randomUUID(),
      requestedModel: this.model,
      type: 'assistant',
      uuid: randomUUID(),
      timestamp,
      userType: 'external',
      entrypoint: 'cli',
      cwd: this.opts.cwd,
      sessionId: this.sessionId,
      version: '2.1.332',
    };
  }

  private codexLines(c: ModelCall, timestamp: string): object[] {
    const out: object[] = [];
    if (!this.started) {
      out.push({
        timestamp,
        type: 'session_meta',
        payload: {
          session_id: this.sessionId,
          id: this.sessionId,
          timestamp,
          cwd: this.opts.cwd,
          originator: 'codex_cli_rs',
          cli_version: '0.171.0',
          source: 'cli',
        },
      });
      out.push({
        timestamp,
        type: 'turn_context',
        payload: { cwd: this.opts.cwd, model: this.model },
      });
    }
    // Codex counts cached input inside input_tokens (OpenAI's convention).
    const cached = c.cacheRead ?? 0;
    const last = {
      input_tokens: c.input + cached,
      cached_input_tokens: cached,
      output_tokens: c.output,
      reasoning_output_tokens: 0,
      total_tokens: c.input + cached + c.output,
    };
    this.totals = {
      input: this.totals.input + last.input_tokens,
      cached: this.totals.cached + cached,
      output: this.totals.output + c.output,
    };
    const total = {
      input_tokens: this.totals.input,
      cached_input_tokens: this.totals.cached,
      output_tokens: this.totals.output,
      reasoning_output_tokens: 0,
      total_tokens: this.totals.input + this.totals.output,
    };
    out.push({
      timestamp,
      type: 'event_msg',
      payload: {
        type: 'token_count',
        info: { total_token_usage: total, last_token_usage: last, model_context_window: 258400 },
        rate_limits: null,
      },
    });
    return out;
  }
}
