import type { Command } from 'commander';
import { UsageReader, buildReport, dayRange, type ReportRow } from '../../core/insight/index.js';
import { hm, perCommit, reportCells, timeBar, usd } from '../../text/report-table.js';
import { readAgentStates } from '../../core/sessions/index.js';
import { loadFleetConfig } from '../context.js';
import { out, printJson } from '../output.js';

function line(r: ReportRow): string {
  return [
    ...reportCells(r),
    hm(r.secondsIn.stopped).padStart(7),
    timeBar(r.secondsIn, 12),
    usd(r.costUsd).padStart(9),
    perCommit(r).padStart(9),
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
