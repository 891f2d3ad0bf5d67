import type { AgentState, AgentStatus } from '../types.js';
import { isWorkingHook, statusForHook, type HookEvent } from './hook-events.js';

const ACTIVE: ReadonlySet<AgentStatus> = new Set(['starting', 'working', 'waiting', 'idle']);

export function isActive(status: AgentStatus): boolean {
  return ACTIVE.has(status);
}

export function initialState(): AgentState {
  return {
    status: 'stopped',
    since: new Date().toISOString(),
    exitCode: null,
    sessionId: null,
    costUsd: null,
    tokens: null,
  };
}

/**
 * An instance's status. The agent's own hooks decide first; until an agent has shown it reports
 * "working" through a hook (Claude's UserPromptSubmit/PostToolUse), output activity stands in:
 * working while output changes, idle after `idleAfterMs` of quiet.
 */
export class StatusTracker {
  private current: AgentState = initialState();
  private hooksDecide = false;
  private lastActivity = 0;
  private quietTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly onChange: (state: AgentState) => void,
    private readonly idleAfterMs: number,
  ) {}

  state(): AgentState {
    return this.current;
  }

  /** Enter `status` (a no-op when already there, unless facts change). */
  set(status: AgentStatus, extra: Partial<AgentState> = {}, at = new Date()): void {
    const cur = this.current;
    const same = status === cur.status;
    if (same && Object.entries(extra).every(([k, v]) => cur[k as keyof AgentState] === v)) return;
    const next: AgentState = {
      ...cur,
      ...extra,
      status,
      since: same ? cur.since : at.toISOString(),
    };
    // A note belongs to the status it was given with.
    if (!same && !('note' in extra)) delete next.note;
    this.current = next;
    if (status !== 'working') this.clearQuiet();
    this.onChange(next);
  }

  /** A fresh process or window: hooks must prove themselves again. */
  starting(note?: string): void {
    this.hooksDecide = false;
    this.set('starting', { exitCode: null, ...(note ? { note } : {}) });
  }

  hook(ev: HookEvent): void {
    if (ev.sessionId && ev.sessionId !== this.current.sessionId)
      this.set(this.current.status, { sessionId: ev.sessionId });
    if (!isActive(this.current.status)) return;
    if (isWorkingHook(ev)) this.hooksDecide = true;
    const status = statusForHook(ev);
    if (status) this.set(status, {}, new Date(ev.t));
    else if (ev.event === 'SessionStart' && this.current.status === 'starting')
      this.set('idle', {}, new Date(ev.t));
  }

  /** The agent's screen matched a pattern with a status (screen/patterns.ts): where no hook
   * fires (a trust dialog, Esc), the screen is the truth; output activity no longer decides. */
  screen(status: AgentStatus, note: string): void {
    if (!isActive(this.current.status)) return;
    this.hooksDecide = true;
    if (status !== this.current.status) this.set(status, { note });
  }

  /** Output changed (called per coalesced flush, not per line). */
  activity(): void {
    this.lastActivity = Date.now();
    const s = this.current.status;
    if (s === 'starting' || (!this.hooksDecide && s === 'idle')) this.set('working');
    if (this.current.status === 'working' && !this.hooksDecide && !this.quietTimer)
      this.armQuiet(this.idleAfterMs);
  }

  exited(code: number | null, signal: string | null, stopRequested: boolean, note?: string): void {
    this.clearQuiet();
    if (stopRequested) this.set('stopped', { exitCode: code });
    else if (code === 0) this.set('exited', { exitCode: 0 });
    else
      this.set('crashed', {
        exitCode: code,
        note: note ?? (signal ? `killed by ${signal}` : `exit code ${code ?? '?'}`),
      });
  }

  usage(costUsd: number | null, input: number, output: number, sessionId: string | null): void {
    this.set(this.current.status, {
      costUsd,
      tokens: input || output ? { input, output } : this.current.tokens,
      sessionId: sessionId ?? this.current.sessionId,
    });
  }

  /** Seed from persisted facts (adoption, resume). */
  seed(partial: Partial<AgentState>): void {
    this.current = { ...this.current, ...partial };
  }

  dispose(): void {
    this.clearQuiet();
  }

  private armQuiet(ms: number): void {
    this.quietTimer = setTimeout(() => {
      this.quietTimer = null;
      const left = this.lastActivity + this.idleAfterMs - Date.now();
      if (left > 0) return this.armQuiet(left);
      if (this.current.status === 'working' && !this.hooksDecide) this.set('idle');
    }, ms);
    this.quietTimer.unref();
  }

  private clearQuiet(): void {
    if (this.quietTimer) clearTimeout(this.quietTimer);
    this.quietTimer = null;
  }
}
