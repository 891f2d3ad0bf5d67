// What one streaming run is: N streams of `rate` lines a second for `durationS` seconds,
// watched in a terminal of cols × rows.
import path from 'node:path';

export const PRINTER = path.join(import.meta.dirname, '..', 'printer.js');

export interface StreamSpec {
  instances: number;
  rate: number;
  durationS: number;
  cols: number;
  rows: number;
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, Math.max(0, ms)));

/** Terminal size for N panes: 160×48 holds 12 (the TUI issue's target); larger fleets get more room. */
export function terminalFor(instances: number): { cols: number; rows: number } {
  if (instances <= 12) return { cols: 160, rows: 48 };
  if (instances <= 24) return { cols: 240, rows: 64 };
  return { cols: 320, rows: 96 };
}
