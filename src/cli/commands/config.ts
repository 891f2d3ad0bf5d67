import type { Command } from 'commander';
import { loadFleetConfig } from '../context.js';
import { out, printJson } from '../output.js';

export function registerConfig(program: Command): void {
  program
    .command('config')
    .description('print the resolved fleet config with every default filled in')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }, cmd: Command) => {
      const cfg = await loadFleetConfig(cmd);
      if (opts.json) {
        printJson(cfg);
        return;
      }
      out(`config   ${cfg.configPath ?? '(in code)'}`);
      out(`remote   ${cfg.remote}/${cfg.mainBranch}`);
      out(
        `migrations ${cfg.migrations.dir} (pattern ${cfg.migrations.pattern}, band step ${cfg.migrations.bandStep}, out-of-order: ${cfg.migrations.outOfOrder})`,
      );
      out('');
      for (const inst of cfg.instances) {
        const role = cfg.roles[inst.role]?.title ?? inst.role;
        const moved = inst.role !== inst.configRole ? ` (reassigned from ${inst.configRole})` : '';
        out(
          `${inst.id.padEnd(8)} ${inst.agent.padEnd(7)} band ${inst.band}  ${inst.branch.padEnd(20)} ${inst.worktree}  ${role}${moved}`,
        );
      }
    });
}
