import type { Command } from 'commander';
import { UsageReader, buildReport, dayRange, type ReportRow } from '../../core/insight/index.js';
import { readAgentStates } from '../../core/sessions/index.js';
import { loadFleetConfig } from '../context.js';
import { out, printJson } from '../output.js';

const hm = (s: number) =>
  `${Math.floor(s / 3600)}:${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}`;

/** A bar of 12 cells: working █, waiting ▓, idle ░ (stopped is the empty rest). */
function bar(s: ReportRow['secondsIn']): string {
  const total = s.working + s.waiting + s.idle + s.stopped;
  if (total === 0) return ' '.repeat(12);
  const cells = (n: number) => Math.round((n / total) * 12);
  const w = cells(s.working);
  const a = Math.min(12 - w, cells(s.waiting));
  const i = Math.min(12 - w - a, cells(s.idle));
  return `${'█'.repeat(w)}${'▓'.repeat(a)}${'░'.repeat(i)}`.padEnd(12, '·');
}

function line(r: ReportRow): string {
  const perCommit = r.landed > 0 ? `$${(r.costUsd / r.landed).toFixed(2)}` : '-';
  return [
    r.id.padEnd(10),
    String(r.landed).padStart(6),
    String(r.conflicts).padStart(9),
    String(r.pushesSaved).padStart(6),
    hm(r.secondsIn.working).padStart(7),
    hm(r.secondsIn.waiting).padStart(7),
    hm(r.secondsIn.idle).padStart(7),
    hm(r.secondsIn.stopped).padStart(7),
    bar(r.secondsIn),
    `$${r.costUsd.toFixed(2)}`.padStart(9),
    perCommit.padStart(9),
  ].join(' ');
}

export function registerReport(program: Command): void {
  program
    .command('report')
    .description('what got done: commits landed, conflicts, pushes saved, time per status, cost')
    .option('--json', 'print JSON')
    .option('--since <day>', 'first day, YYYY-MM-DD (default: today)')
    .option('--prices <file>', 'a LiteLLM price table instead of the shipped snapshot')
    .action(async (opts: { json?: boolean; since?: string; prices?: string }, cmd: Command) => {
      const range = dayRange({ since: opts.since }, new Date(), (until) => until);
      const cfg = await loadFleetConfig(cmd);
      const [usage, current] = await Promise.all([
        new UsageReader(cfg, { pricesFile: opts.prices }).read(),
        readAgentStates(cfg),
      ]);
      const report = await buildReport(cfg, { range, usage, current });
      if (opts.json) {
        printJson(report);
        return;
      }
      out(`report ${report.since} … ${report.until} (time h:mm; bar █ working ▓ waiting ░ idle)`);
      out(
        'instance   landed conflicts pushes working waiting    idle stopped              cost  $/commit',
      );
      report.instances.forEach((r) => out(line(r)));
      out(line(report.fleet));
    });
}
