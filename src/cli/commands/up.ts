import type { Command } from 'commander';
import { loadFleetConfig } from '../context.js';
import { out } from '../output.js';

export function registerUp(program: Command): void {
  program
    .command('up')
    .description('create every missing worktree and branch from the config (idempotent)')
    .action(async (_opts: unknown, cmd: Command) => {
      const cfg = await loadFleetConfig(cmd);
      const { upEverywhere } = await import('../../core/hosts/up.js');
      const results = await upEverywhere(cfg);
      for (const r of results) out(`${r.id.padEnd(8)} ${r.outcome.padEnd(12)} ${r.detail}`);
      const created = results.filter((r) => r.outcome === 'created').length;
      const bad = results.filter(
        (r) => r.outcome === 'wrong-branch' || r.outcome === 'error',
      ).length;
      out(
        `${created} created, ${results.length - created - bad} already there, ${bad} need attention`,
      );
      if (bad > 0) process.exitCode = 1;
    });
}
