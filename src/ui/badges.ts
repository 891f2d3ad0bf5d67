import type { AgentStatus } from '../core/sessions/types.js';

/** How each agent status looks: one colour and one glyph, the same everywhere. */
export const STATUS_STYLE: Record<AgentStatus, { color: string; glyph: string }> = {
  starting: { color: 'cyan', glyph: '◌' },
  working: { color: 'green', glyph: '●' },
  waiting: { color: 'yellow', glyph: '◐' },
  idle: { color: 'gray', glyph: '○' },
  exited: { color: 'blue', glyph: '■' },
  crashed: { color: 'red', glyph: '✖' },
  stopped: { color: 'gray', glyph: '·' },
};

export function formatCost(usd: number | null): string {
  return usd === null ? '' : `$${usd < 10 ? usd.toFixed(2) : usd.toFixed(0)}`;
}

export function clock(iso: string): string {
  return iso.slice(11, 19);
}
