// Keeps README.md's benchmark table in step with the latest run (`npm run bench -- --readme`).
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Machine } from './machine.js';
import { markdownTable, type Figure, type Results } from './results.js';

const README = path.join(import.meta.dirname, '..', '..', 'README.md');
const START = '<!-- bench:start -->';
const END = '<!-- bench:end -->';

export function updateReadme(
  results: Results,
  m: Machine,
  figures: readonly Figure[],
  minutes: number,
): void {
  const date = figures[0]?.date.slice(0, 16).replace('T', ' ') ?? '';
  const block = [
    START,
    `Measured ${date} UTC on ${m.cpu}, nproc ${m.nproc}, ${m.memoryMb} MB, Node ${m.node}, git ${m.git},`,
    `tmux ${m.tmux}; load average ${m.loadAvg} at the start (shared machine); ${figures.length} figures in ${minutes.toFixed(1)} min.`,
    `Median of ${String(results.figures[0]?.runs.length ?? 0)} runs [min–max]; \`bench/results.json\` has every run.`,
    '',
    markdownTable(figures),
    END,
  ].join('\n');
  const text = readFileSync(README, 'utf8');
  const a = text.indexOf(START);
  const b = text.indexOf(END);
  const next =
    a >= 0 && b > a
      ? text.slice(0, a) + block + text.slice(b + END.length)
      : `${text.trimEnd()}\n\n## Benchmarks\n\n${block}\n`;
  writeFileSync(README, next);
}
