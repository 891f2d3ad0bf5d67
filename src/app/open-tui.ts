import type { ResolvedConfig } from '../config/types.js';
import { UsageError } from '../core/errors.js';
import { connectFleet } from './connect.js';
import { createServices } from './services.js';

/**
 * The TUI on a loaded config: real services, agents started (tmux windows adopted), live store,
 * then the grid until the person quits. tmux agents keep running afterwards; exec agents end
 * with their pipes.
 */
export async function openTui(config: ResolvedConfig): Promise<void> {
  if (!process.stdout.isTTY || !process.stdin.isTTY) {
    throw new UsageError(
      'the TUI needs a terminal (stdin/stdout are not a TTY) — run it in a terminal, or use a subcommand such as "fleet-tui status"',
    );
  }
  // A tmux agent starts at its pane's size (the grid's first frame says it), not at 120×40.
  const services = await createServices(config, { sessionOptions: { awaitSizeMs: 2000 } });
  try {
    const fleet = await connectFleet(services);
    // Agents start (or are adopted) behind the first frame: the grid shows them as they come up
    // instead of a blank terminal for the seconds twelve spawns take.
    const manager = services.manager;
    manager
      ?.startAll()
      .catch((e: unknown) => {
        fleet.store.log(
          'error',
          `agents did not all start: ${e instanceof Error ? e.message : String(e)}`,
        );
      })
      // Then follow the tmux session: windows started, stopped or restarted from another shell
      // show up in their panes (the manager's dispose ends it).
      .finally(() => manager.follow());
    // React picks its build when first loaded: production unless the person asked otherwise.
    // Loading the UI here (not at start-up) also keeps React out of every other subcommand.
    process.env.NODE_ENV ??= 'production';
    const { runTui } = await import('./run-tui.js');
    try {
      await runTui(fleet);
    } finally {
      await fleet.close();
    }
  } finally {
    await services.dispose();
  }
}
