import type { Command } from 'commander';
import { loadFleetConfig } from '../context.js';

/** `fleet-tui` with no subcommand: the TUI on the config found as usual. */
export function registerTui(program: Command): void {
  program.allowExcessArguments(true).action(async (_opts: unknown, cmd: Command) => {
    // An operand here is a misspelled subcommand: let commander say so (with its suggestion).
    if (cmd.args.length > 0) (cmd as unknown as { unknownCommand(): never }).unknownCommand();
    const config = await loadFleetConfig(cmd);
    const { openTui, exitAfterTui } = await import('../../app/open-tui.js');
    await openTui(config);
    exitAfterTui();
  });
}
