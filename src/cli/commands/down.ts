import type { Command } from 'commander';
import { downInstance } from '../../core/git/index.js';
import { loadFleetConfig } from '../context.js';
import { err, out } from '../output.js';

export function registerDown(program: Command): void {
  program
    .command('down')
    .description('remove an instance worktree if it is clean and its commits are on main')
    .argument('<id>', 'instance id')
    .option('--force', 'remove it anyway, after printing what is lost and keeping backup refs')
    .action(async (id: string, opts: { force?: boolean }, cmd: Command) => {
      const cfg = await loadFleetConfig(cmd);
      const r = await downInstance(cfg, id, { force: opts.force });
      const lost = [
        ...r.uncommitted.map((f) => `  uncommitted: ${f}`),
        ...r.unlanded.map((c) => `  not on main: ${c}`),
      ];
      if (!r.removed) {
        err(`fleet-tui: ${id}: not removed — it has work that is not on main:`);
        lost.forEach((l) => err(l));
        err('commit and land it first, or pass --force (a backup ref keeps the commits)');
        process.exitCode = 1;
        return;
      }
      if (lost.length > 0) {
        out(`${id}: removed with --force; this was not on main:`);
        lost.forEach((l) => out(l));
      }
      r.backups.forEach((b) => out(`backup: ${b}`));
      out(`${id}: worktree removed (branch kept)`);
    });
}
