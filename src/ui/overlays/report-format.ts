import type { FleetReport } from '../../core/insight/report.js';

type Row = FleetReport['fleet'];

const hm = (s: number) =>
  `${Math.floor(s / 3600)}:${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}`;

/** Time in each status as `cells` cells: working █, waiting ▓, idle ░, stopped ·. */
function timeBar(s: Row['secondsIn'], cells: number): string {
  const total = s.working + s.waiting + s.idle + s.stopped;
  if (total === 0) return '·'.repeat(cells);
  const n = (v: number) => Math.round((v / total) * cells);
  const w = n(s.working);
  const a = Math.min(cells - w, n(s.waiting));
  const i = Math.min(cells - w - a, n(s.idle));
  return `${'█'.repeat(w)}${'▓'.repeat(a)}${'░'.repeat(i)}`.padEnd(cells, '·');
}

/** A cost as a bar against the largest cost of the table. */
function costBar(usd: number, max: number, cells: number): string {
  const n = max > 0 ? Math.round((usd / max) * cells) : 0;
  return '■'.repeat(n).padEnd(cells, ' ');
}

export const usd = (n: number) => `$${n.toFixed(2)}`;

/** One table line: the same columns as `fleet-tui report`, plus a cost bar. */
export function reportLine(r: Row, maxCost: number): string {
  const perCommit = r.landed > 0 ? usd(r.costUsd / r.landed) : '-';
  return [
    r.id.padEnd(10),
    String(r.landed).padStart(6),
    String(r.conflicts).padStart(9),
    String(r.pushesSaved).padStart(6),
    hm(r.secondsIn.working).padStart(7),
    hm(r.secondsIn.waiting).padStart(7),
    hm(r.secondsIn.idle).padStart(7),
    timeBar(r.secondsIn, 12),
    usd(r.costUsd).padStart(8),
    perCommit.padStart(9),
    costBar(r.costUsd, maxCost, 10),
  ].join(' ');
}

export const REPORT_HEADER =
  'instance   landed conflicts pushes working waiting    idle time (█▓░·)     cost $/commit cost';
