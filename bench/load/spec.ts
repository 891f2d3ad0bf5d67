// What the streaming figures measure: windows of N streams at `rate` lines a second for
// `durationS` seconds, watched in a terminal of cols × rows. One fleet-tui (or tmux) process
// serves all the windows of a run, lowest rate first.
import { renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export const PRINTER = path.join(import.meta.dirname, '..', 'printer.js');

export interface Window {
  rate: number;
  durationS: number;
}

export interface Terminal {
  cols: number;
  rows: number;
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, Math.max(0, ms)));

/** Terminal size for N panes: 160×48 holds 12 (the TUI issue's target); larger fleets get more room. */
export function terminalFor(instances: number): Terminal {
  if (instances <= 12) return { cols: 160, rows: 48 };
  if (instances <= 24) return { cols: 240, rows: 64 };
  return { cols: 320, rows: 96 };
}

/** Start every printer's next stream 300 ms from now; returns [start, end] in wall-clock ms. */
export function go(file: string, w: Window): [number, number] {
  const start = Date.now() + 300;
  writeFileSync(`${file}.tmp`, JSON.stringify({ start, rate: w.rate, durationS: w.durationS }));
  renameSync(`${file}.tmp`, file);
  return [start, start + w.durationS * 1000];
}
