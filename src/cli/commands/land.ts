import type { Command } from 'commander';
import { UsageError } from '../../core/errors.js';
import { defaultGate } from '../../app/land-gate.js';
import { requireRemote } from '../../core/git/remote.js';
import { land, type LandReport } from '../../core/land/index.js';
import { loadFleetConfig } from '../context.js';
import { err, out, printJson } from '../output.js';

function human(r: LandReport, dryRun: boolean): void {
  for (const i of r.instances) {
    const what = i.outcome === 'landed' ? `${i.commits} commit${i.commits === 1 ? '' : 's'}` : '';
    const sync = i.sync !== 'unchanged' ? `[${i.sync}]` : '';
    out(
      `${i.id.padEnd(8)} ${i.outcome.padEnd(9)} ${[what, sync, i.reason].filter(Boolean).join(' ')}`.trimEnd(),
    );
  }
  const landed = r.instances.filter((i) => i.outcome === 'landed');
  const commits = landed.reduce((n, i) => n + i.commits, 0);
  const verb = dryRun ? 'would land' : 'landed';
  out(
    `${verb} ${commits} commit${commits === 1 ? '' : 's'} from ${landed.length} instance${landed.length === 1 ? '' : 's'}; main ${r.main.before.slice(0, 7)} → ${r.main.after.slice(0, 7)} (${r.fetches} fetch, ${r.pushes} push)`,
  );
}

export function registerLand(program: Command): void {
  program
    .command('land')
    .description("land instances' committed work on main: one fetch, one replayed chain, one push")
    .argument('[ids...]', 'instance ids (config order is kept)')
    .option('--all', 'every instance')
    .option('--dry-run', 'report what would happen; change no ref and no file')
    .option('--json', 'print JSON')
    .action(
      async (
        ids: string[],
        opts: { all?: boolean; dryRun?: boolean; json?: boolean },
        cmd: Command,
      ) => {
        const cfg = await loadFleetConfig(cmd);
        if (ids.length === 0 && !opts.all)
          throw new UsageError('name instances to land (land ID…) or pass --all');
        if (!opts.dryRun) await requireRemote(cfg);
        const report = await land(cfg, {
          ids,
          all: opts.all,
          dryRun: opts.dryRun,
          gate: defaultGate(),
          onNotice: (t) => err(`fleet-tui: ${t}`),
        });
        if (opts.json) printJson(report);
        else human(report, !!opts.dryRun);
        if (!report.ok) process.exitCode = 1;
      },
    );
}
