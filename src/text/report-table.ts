// The report table's text, shared by `fleet-tui report` and the TUI's report panel so the two
// show the same columns the same way.
/** The fields of a report row the table shows (core's FleetReport rows have them). */
interface Row {
  id: string;
  landed: number;
  conflicts: number;
  pushesSaved: number;
  costUsd: number;
  secondsIn: { working: number; waiting: number; idle: number; stopped: number };
}

export const hm = (s: number) =>
  `${Math.floor(s / 3600)}:${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}`;

export const usd = (n: number) => `$${n.toFixed(2)}`;

/** Time in each status as `cells` cells: working █, waiting ▓, idle ░, stopped ·. */
export function timeBar(s: Row['secondsIn'], cells: number): string {
  const total = s.working + s.waiting + s.idle + s.stopped;
  if (total === 0) return '·'.repeat(cells);
  const n = (v: number) => Math.round((v / total) * cells);
  const w = n(s.working);
  const a = Math.min(cells - w, n(s.waiting));
  const i = Math.min(cells - w - a, n(s.idle));
  return `${'█'.repeat(w)}${'▓'.repeat(a)}${'░'.repeat(i)}`.padEnd(cells, '·');
}

/** The leading columns both tables share: instance, landed, conflicts, pushes, working, waiting, idle. */
export function reportCells(r: Row): string[] {
  return [
    r.id.padEnd(10),
    String(r.landed).padStart(6),
    String(r.conflicts).padStart(9),
    String(r.pushesSaved).padStart(6),
    hm(r.secondsIn.working).padStart(7),
    hm(r.secondsIn.waiting).padStart(7),
    hm(r.secondsIn.idle).padStart(7),
  ];
}

export const perCommit = (r: Row) => (r.landed > 0 ? usd(r.costUsd / r.landed) : '-');
