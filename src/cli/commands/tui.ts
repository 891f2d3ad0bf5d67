import type { Command } from 'commander';
import { loadFleetConfig } from '../context.js';

/** `fleet-tui` with no subcommand: the TUI on the config found as usual. */
export function registerTui(program: Command): void {
  program.allowExcessArguments(true).action(async (_opts: unknown, cmd: Command) => {
    // An operand here is a misspelled subcommand: let commander say so (with its suggestion).
    if (cmd.args.length > 0) (cmd as unknown as { unknownCommand(): never }).unknownCommand();
    // The UI loads while the config does (both take a while; the first frame needs both).
    const tui = import('../../app/open-tui.js').then((m) => {
      void m.loadUi();
      return m;
    });
    // Handled where it is awaited below; this only keeps a failure meanwhile from being unhandled.
    tui.catch(() => undefined);
    const config = await loadFleetConfig(cmd);
    const { openTui, exitAfterTui } = await tui;
    await openTui(config);
    exitAfterTui();
  });
}
