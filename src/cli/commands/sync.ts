import type { Command } from 'commander';
import { UsageError } from '../../core/errors.js';
import { loadFleetConfig } from '../context.js';
import { out } from '../output.js';

export function registerSync(program: Command): void {
  program
    .command('sync')
    .description('rebase clean instances onto the latest main (a conflict is aborted and reported)')
    .argument('[ids...]', 'instance ids')
    .option('--all', 'every instance')
    .action(async (ids: string[], opts: { all?: boolean }, cmd: Command) => {
      const cfg = await loadFleetConfig(cmd);
      if (ids.length === 0 && !opts.all)
        throw new UsageError('name instances to sync (sync ID…) or pass --all');
      const { syncInstances } = await import('../../core/land/index.js');
      const results = await syncInstances(
        cfg,
        ids.length > 0 ? ids : cfg.instances.map((i) => i.id),
      );
      for (const r of results) out(`${r.id.padEnd(8)} ${r.sync.padEnd(11)} ${r.reason}`.trimEnd());
      if (results.some((r) => r.sync === 'needs-sync')) process.exitCode = 1;
    });
}
