// One entry per figure in bench/results.json, and the table `npm run bench` prints.
import { writeFileSync } from 'node:fs';
import type { Machine } from './machine.js';
import { summarize, type Summary } from './stats.js';

export interface FigureInput {
  /** Stable key, e.g. `land.a.12.wall`. */
  id: string;
  /** Section of issue 7 (1 landing … 7 scale). */
  section: number;
  title: string;
  unit: string;
  /** One value per run; the entry reports their median, min and max. */
  runs: number[];
  /** What was run to get it (a command line or the scenario). */
  command: string;
  target?: string;
  /** Whether the target was met; null when the figure has no target or could not be taken. */
  met?: boolean | null;
  /** Judge the target on the median (the figure's value) instead of passing `met`. */
  check?: (median: number) => boolean;
  note?: string;
}

export type Figure = FigureInput &
  Summary & { nproc: number; memoryMb: number; date: string; machine: string };

export class Results {
  readonly figures: Figure[] = [];
  /** `--profile`: where fleet-tui's CPU went, by module (see lib/profile.ts). */
  profiles: Record<string, unknown> | undefined;
  constructor(
    private readonly machine: Machine,
    private readonly file: string,
    private readonly meta: Record<string, unknown>,
  ) {}

  add({ check, ...input }: FigureInput): Figure {
    const summary = summarize(input.runs);
    const judged = check && Number.isFinite(summary.median) ? check(summary.median) : null;
    const fig: Figure = {
      ...input,
      ...summary,
      met: input.met ?? judged,
      nproc: this.machine.nproc,
      memoryMb: this.machine.memoryMb,
      date: new Date().toISOString(),
      machine: `${this.machine.cpu}, ${this.machine.nproc} cpu, ${this.machine.memoryMb} MB`,
    };
    this.figures.push(fig);
    this.save();
    return fig;
  }

  get(id: string): Figure | undefined {
    return this.figures.find((f) => f.id === id);
  }

  /** Wall time of the whole run and the load average at its end, for the record. */
  finish(minutes: number, loadAvg: number): void {
    this.meta.minutes = Number(minutes.toFixed(1));
    this.meta.loadAvgAtEnd = Number(loadAvg.toFixed(1));
    this.save();
  }

  /** Written after every figure, so a run stopped half-way keeps what it measured. */
  save(): void {
    const body = {
      ...this.meta,
      machine: this.machine,
      figures: this.figures,
      profiles: this.profiles,
    };
    writeFileSync(this.file, `${JSON.stringify(body, null, 2)}\n`);
  }
}

function formatValue(f: Pick<Figure, 'median' | 'min' | 'max' | 'unit'>): string {
  if (!Number.isFinite(f.median)) return 'n/a';
  const same = f.min === f.max;
  const range = same ? '' : ` [${f.min}–${f.max}]`;
  return `${f.median} ${f.unit}${range}`;
}

function verdict(f: Figure): string {
  if (f.met === true) return 'met';
  if (f.met === false) return 'MISSED';
  return '';
}

/** Plain table for the terminal, one figure a row. */
export function textTable(figures: readonly Figure[]): string {
  const rows: string[][] = [
    ['#', 'figure', 'median [min–max]', 'target', ''],
    ...figures.map((f) => [String(f.section), f.title, formatValue(f), f.target ?? '', verdict(f)]),
  ];
  const widths = [0, 1, 2, 3, 4].map((c) => Math.max(...rows.map((r) => r[c]!.length)));
  return rows
    .map((r) =>
      r
        .map((cell, c) => cell.padEnd(widths[c]!))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

/** The same table as Markdown, for the README's "Benchmarks" section. */
export function markdownTable(figures: readonly Figure[]): string {
  const head = '| # | figure | median [min–max] | target | |\n| --- | --- | --- | --- | --- |';
  const body = figures.map(
    (f) => `| ${f.section} | ${f.title} | ${formatValue(f)} | ${f.target ?? ''} | ${verdict(f)} |`,
  );
  return [head, ...body].join('\n');
}
