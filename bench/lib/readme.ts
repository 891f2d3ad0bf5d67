// Keeps README.md's benchmark table in step with a run: `npm run bench -- --readme` after a
// run, or `npm run bench -- --readme-from bench/results.json` to rewrite it from a saved one.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Machine } from './machine.js';
import { markdownTable, type Figure } from './results.js';

const README = path.join(import.meta.dirname, '..', '..', 'README.md');
const START = '<!-- bench:start -->';
const END = '<!-- bench:end -->';

interface SavedRun {
  machine: Machine;
  figures: Figure[];
  date: string;
  commit?: string;
  minutes?: number;
  loadAvgAtEnd?: number;
  runs: number;
}

function updateReadme(run: SavedRun): void {
  const m = run.machine;
  const block = [
    START,
    `Measured ${run.date.slice(0, 16).replace('T', ' ')} UTC at commit ${run.commit ?? '?'} on ${m.cpu}, nproc ${m.nproc},`,
    `${m.memoryMb} MB, Node ${m.node}, git ${m.git}, tmux ${m.tmux}. Load average ${m.loadAvg} at the start and`,
    `${run.loadAvgAtEnd ?? '?'} at the end (a shared machine); ${run.figures.length} figures in ${run.minutes ?? '?'} min.`,
    `Median of ${run.runs} runs [min–max]; \`bench/results.json\` has every run and its command.`,
    '',
    markdownTable(run.figures),
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

export function readmeFromFile(file: string): void {
  updateReadme(JSON.parse(readFileSync(file, 'utf8')) as SavedRun);
}
