import type { Command } from 'commander';
import { loadFleetConfig } from '../context.js';
import { err, out } from '../output.js';

const SHOWN_IGNORED = 5;

export function registerDown(program: Command): void {
  program
    .command('down')
    .description(
      'remove an instance worktree if it is clean, its commits are on main and it holds no ignored files worth keeping',
    )
    .argument('<id>', 'instance id')
    .option('--force', 'remove it anyway, after printing what is lost and keeping backup refs')
    .action(async (id: string, opts: { force?: boolean }, cmd: Command) => {
      const cfg = await loadFleetConfig(cmd);
      const { downInstance, instanceById } = await import('../../core/git/index.js');
      const inst = instanceById(cfg, id);
      // On an SSH host: the same refusals, checked and applied there; messages say `id@host`.
      const r = inst.host
        ? await (await import('../../core/hosts/down.js')).downHostInstance(cfg, inst, opts)
        : await downInstance(cfg, id, { force: opts.force });
      const who = inst.host ? `${id}@${inst.host}` : id;
      const ignored = r.ignored.slice(0, SHOWN_IGNORED).map((f) => `  ignored: ${f}`);
      if (r.ignored.length > SHOWN_IGNORED)
        ignored.push(`  ignored: … and ${r.ignored.length - SHOWN_IGNORED} more`);
      const lost = [
        ...r.uncommitted.map((f) => `  uncommitted: ${f}`),
        ...r.unlanded.map((c) => `  not on main: ${c}`),
        ...ignored,
      ];
      if (!r.removed) {
        err(`fleet-tui: ${who}: not removed — it holds work that removing it would lose:`);
        lost.forEach((l) => err(l));
        err(
          r.uncommitted.length + r.unlanded.length > 0
            ? 'commit and land it first, or pass --force (a backup ref keeps the commits)'
            : `move the ignored files out of ${r.worktree}, add their names to "down.disposable" in the config, or pass --force (they are deleted)`,
        );
        process.exitCode = 1;
        return;
      }
      if (lost.length > 0) {
        out(`${who}: removed with --force; lost with it:`);
        lost.forEach((l) => out(l));
      }
      r.backups.forEach((b) => out(`backup: ${b}`));
      out(`${who}: worktree removed (branch kept)`);
    });
}
