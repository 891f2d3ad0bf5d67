import type { Command } from 'commander';
import { loadFleetConfig } from '../context.js';

/** `fleet-tui` with no subcommand: the TUI on the config found as usual. */
export function registerTui(program: Command): void {
  program.allowExcessArguments(true).action(async (_opts: unknown, cmd: Command) => {
    // An operand here is a misspelled subcommand: let commander say so (with its suggestion).
    if (cmd.args.length > 0) (cmd as unknown as { unknownCommand(): never }).unknownCommand();
    // Before anything streams: the TUI's memory stays small and flat (see young-generation.ts).
    const young = import('../../app/young-generation.js').then((m) => m.keepYoungGenerationSmall());
    // The UI loads while the config does (both take a while; the first frame needs both).
    const tui = import('../../app/open-tui.js').then((m) => {
      void m.loadUi();
      return m;
    });
    const early = import('../../app/first-frame.js');
    // Handled where it is awaited below; this only keeps a failure meanwhile from being unhandled.
    tui.catch(() => undefined);
    const config = await loadFleetConfig(cmd);
    await young;
    // The grid as the last start with this config and terminal drew it, before the UI is loaded.
    const { drawFirstFrame, leaveFirstFrame } = await early;
    const first = drawFirstFrame(config, process.stdout);
    const { openTui, exitAfterTui } = await tui;
    try {
      await openTui(config, first);
    } catch (e) {
      // An error before the TUI took the screen over must be read on the person's screen.
      if (first?.drawn) leaveFirstFrame(process.stdout);
      throw e;
    }
    exitAfterTui();
  });
}
