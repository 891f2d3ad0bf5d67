import type { Command } from 'commander';
import { loadFleetConfig } from '../context.js';
import { err, out } from '../output.js';

export function registerRecover(program: Command): void {
  program
    .command('recover')
    .description(
      'after a crash mid-land: abort what fleet-tui left half done, using its backup refs',
    )
    .action(async (_opts: unknown, cmd: Command) => {
      const cfg = await loadFleetConfig(cmd);
      const { recover } = await import('../../core/land/index.js');
      const r = await recover(cfg);
      r.actions.forEach((a) => out(a));
      r.problems.forEach((p) => err(`fleet-tui: ${p}`));
      if (r.actions.length === 0 && r.problems.length === 0) out('nothing to recover');
      if (r.problems.length > 0) process.exitCode = 1;
    });
}
