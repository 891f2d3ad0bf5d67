import type { ResolvedConfig } from '../config/types.js';
import { UsageError } from '../core/errors.js';
import { connectFleet } from './connect.js';
import type { FirstFrame } from './first-frame.js';
import { createServices } from './services.js';

type RunTuiModule = typeof import('./run-tui.js');
// A variable, so the TypeScript build does not look for it: `npm run build` makes it after tsc.
const BUNDLE = './run-tui.bundle.js';
let loading: Promise<RunTuiModule> | null = null;

/**
 * Start loading the UI (React, Ink, the components) — early, so it parses while the config
 * loads and the services start; only the TUI commands pay for it. The one-file bundle when
 * React's production build is wanted (the default); the modules one by one when the person set
 * NODE_ENV to something else, or when there is no bundle (a tsc-only build).
 */
export function loadUi(): Promise<RunTuiModule> {
  if (loading) return loading;
  const modules = (): Promise<RunTuiModule> => {
    // React picks its build when first loaded: production unless the person asked otherwise.
    process.env.NODE_ENV ??= 'production';
    return import('./run-tui.js');
  };
  const env = process.env.NODE_ENV;
  loading =
    env === undefined || env === 'production'
      ? (import(BUNDLE) as Promise<RunTuiModule>).catch(modules)
      : modules();
  // Handled where it is awaited; this only keeps a failure meanwhile from being unhandled.
  loading.catch(() => undefined);
  return loading;
}

/**
 * The TUI on a loaded config: real services, agents started (tmux windows adopted), live store,
 * then the grid until the person quits. tmux agents keep running afterwards; exec agents end
 * with their pipes.
 */
export async function openTui(config: ResolvedConfig, first?: FirstFrame | null): Promise<void> {
  if (!process.stdout.isTTY || !process.stdin.isTTY) {
    throw new UsageError(
      'the TUI needs a terminal (stdin/stdout are not a TTY) — run it in a terminal, or use a subcommand such as "fleet-tui status"',
    );
  }
  const ui = loadUi();
  // A tmux agent starts at its pane's size (the grid's first frame says it), not at 120×40.
  const services = await createServices(config, {
    sessionOptions: { awaitSizeMs: 2000, retryHostStarts: true },
  });
  try {
    const fleet = connectFleet(services, { deferStart: true });
    const { runTui } = await ui;
    // The first frame is drawn from the config as runTui starts (synchronously). Only then do
    // git, the migration guard and the agents start (or are adopted): the grid fills in as
    // their facts arrive instead of a blank terminal for the seconds all that takes.
    const running = runTui(fleet, first);
    const manager = services.manager;
    let stopFollowing = (): void => undefined;
    let closed = false;
    setImmediate(() => {
      fleet.start();
      manager
        ?.startAll()
        .catch((e: unknown) => {
          fleet.store.log(
            'error',
            `agents did not all start: ${e instanceof Error ? e.message : String(e)}`,
          );
        })
        // Then follow the tmux session: windows started, stopped or restarted from another
        // shell show up in their panes (ended before the services are disposed).
        .finally(() => {
          if (closed) return;
          stopFollowing = manager.follow((e: unknown) =>
            fleet.store.log(
              'error',
              `following the tmux session: ${e instanceof Error ? e.message : String(e)}`,
            ),
          );
        });
    });
    try {
      await running;
    } finally {
      closed = true;
      stopFollowing();
      await fleet.close();
    }
  } finally {
    await services.dispose();
  }
}

/**
 * After the TUI has quit and everything it opened was closed (watchers, sessions, the tmux
 * control client): end the process. tmux agents keep running by design; a handle something
 * forgot to release must not keep the person's shell waiting (seen once in a clean-clone CI run:
 * the demo printed its last lines and did not exit within 30 s). stdout is synchronous on Linux
 * terminals and pipes, so nothing printed is lost.
 */
export function exitAfterTui(): never {
  process.exit(typeof process.exitCode === 'number' ? process.exitCode : 0);
}
