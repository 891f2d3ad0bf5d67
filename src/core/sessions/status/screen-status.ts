import path from 'node:path';
import type { AgentSpec } from '../../../config/schema.js';
import { matchScreen, type ScreenAgent } from '../screen/patterns.js';
import type { AgentState } from '../types.js';
import { isActive } from './tracker.js';

/**
 * Where no hook fires (trust and login screens, a dialog dismissed with Esc, an interrupted
 * turn) the agent's screen decides. Only for the real CLIs (the command is `claude` / `codex`):
 * the pattern table describes their screens, not a simulation's.
 */
export function screenAgent(spec: AgentSpec | undefined): ScreenAgent | null {
  const base = spec ? path.basename(spec.command) : '';
  return base === 'claude' || base === 'codex' ? base : null;
}

/** The state with the screen's word on it: a live agent whose screen matches a pattern that has
 * a status takes that status (noted with the pattern's id); anything else stays as it was. */
export function withScreen(
  state: AgentState,
  agent: ScreenAgent,
  lines: string[] | null,
  now = new Date(),
): AgentState {
  if (!lines || !isActive(state.status)) return state;
  const p = matchScreen(agent, lines.join('\n'));
  if (!p?.status || p.status === state.status) return state;
  return { ...state, status: p.status, since: now.toISOString(), note: `screen: ${p.what}` };
}
