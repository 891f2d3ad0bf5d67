import { Command, InvalidArgumentError } from 'commander';
import { exitAfterTui, openTui } from '../../app/open-tui.js';
import { demoAgentHomes } from '../../demo/agent-homes.js';
import { prepareDemo } from '../../demo/run-demo.js';
import { out } from '../output.js';

function count(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > 48) {
    throw new InvalidArgumentError('must be a whole number from 1 to 48');
  }
  return n;
}

export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description('open the TUI on a sandbox fleet with SIMULATED agents (temporary dir, or --dir)')
    .option('--dir <path>', 'build (or reopen) the sandbox here instead of a temporary directory')
    .option('--instances <n>', "number of instances (default: the example config's 10)", count)
    .option('--no-tui', 'build the sandbox and its worktrees, print where, and exit')
    .action(async (opts: { dir?: string; instances?: number; tui: boolean }) => {
      const { sandbox, config } = await prepareDemo({ dir: opts.dir, instances: opts.instances });
      // The demo's cost figures come from the sandbox's own agent directories (the simulated
      // agents write there): this process reads them, the person's ~/.claude stays out of it.
      const homes = demoAgentHomes(sandbox.dir);
      Object.assign(process.env, homes);
      if (opts.tui) await openTui(config);
      out(`demo sandbox: ${sandbox.dir} (repository ${sandbox.repo})`);
      out(
        `reopen it with: fleet-tui demo --dir ${sandbox.dir}   ·   inspect: cd ${sandbox.repo} && fleet-tui status`,
      );
      out(
        `its agents' cost: cd ${sandbox.repo} && CLAUDE_CONFIG_DIR=${homes.CLAUDE_CONFIG_DIR} CODEX_HOME=${homes.CODEX_HOME} fleet-tui usage`,
      );
      if (opts.tui) exitAfterTui();
    });
}
