import { appendFileSync } from 'node:fs';
import { render } from 'ink';
import { execaSync } from 'execa';
import type { Fleet } from './connect.js';
import { App } from '../ui/App.js';
import type { AppExit } from '../ui/commands/run.js';
import { buildKeymap } from '../keymap/keymap.js';
import { writeNotification } from '../ui/notify.js';
import { initialUi, type UiState } from '../ui/state.js';
import { InkStdout } from '../ui/output/ink-stdout.js';
import { TerminalStage } from '../ui/output/stage.js';
import { StageRoot } from '../ui/output/StageRoot.js';
import { keepFirstFrame, type FirstFrame } from './first-frame.js';

/**
 * FLEET_TUI_TRACE_KEYS=<file>: one line per key, "<read at> <frame written at>" (ms since the
 * epoch), so the benchmark can tell the TUI's own key latency from the terminal's and its own.
 */
function keyTrace(): ((readAt: number, writtenAt: number) => void) | undefined {
  const file = process.env.FLEET_TUI_TRACE_KEYS;
  if (!file) return undefined;
  return (readAt, writtenAt) => {
    try {
      appendFileSync(file, `${readAt} ${writtenAt}\n`);
    } catch {
      // A trace that cannot be written is no reason to stop the TUI.
    }
  };
}

const ENTER_ALT = '\x1b[?1049h\x1b[H';
const LEAVE_ALT = '\x1b[?1049l';

/**
 * Run the TUI in the alternate screen until the person quits. `a` (attach) leaves the alternate
 * screen, hands the terminal to `tmux attach`, and re-opens the TUI where it was on detach.
 */
export async function runTui(fleet: Fleet, first?: FirstFrame | null): Promise<void> {
  const stdout = process.stdout;
  const keymap = buildKeymap(fleet.services.config.keys);
  const offAlert = fleet.store.onAlert((a) => writeNotification(stdout, a));
  let ui: UiState = initialUi;
  // The first frame drawn before Ink loaded is already on the alternate screen.
  if (!first?.drawn) stdout.write(ENTER_ALT);
  const restore = () => stdout.write(LEAVE_ALT);
  process.once('exit', restore);
  try {
    for (;;) {
      // The stage draws: the chrome from Ink's laid-out tree, the pane bodies from the sessions,
      // writing only the rows and pane lines that changed.
      const stage = new TerminalStage(stdout, undefined, keyTrace());
      if (first) {
        if (first.drawn) stage.seed(first.drawn);
        const kept = first;
        stage.onFirstChrome = (rows) => void keepFirstFrame(kept, rows);
        first = null; // after `a` (attach) the screen is Ink's alone
      }
      const inkOut = new InkStdout(stdout, stage);
      const app = render(
        <StageRoot stage={stage}>
          <App
            services={fleet.services}
            store={fleet.store}
            actions={fleet.actions}
            keymap={keymap}
            initial={ui}
          />
        </StageRoot>,
        {
          stdout: inkOut as unknown as NodeJS.WriteStream,
          exitOnCtrlC: false,
          patchConsole: true,
          maxFps: 30,
        },
      );
      let how: AppExit | undefined;
      try {
        how = (await app.waitUntilExit()) as AppExit | undefined;
      } finally {
        stage.close();
        inkOut.detach();
      }
      if (how?.kind !== 'attach') break;
      ui = { ...how.ui, prompt: null };
      const attach = fleet.services.session(how.id)?.attachCommand();
      if (!attach) continue;
      // Inside tmux the person's client switches (or a popup opens): the terminal stays ours.
      const handOver = (attach.kind ?? 'attach') === 'attach';
      if (handOver) stdout.write(LEAVE_ALT);
      // The child owns the terminal until it detaches: Ink is unmounted, stdin is not ours.
      const res = execaSync(attach.command, attach.args, { stdio: 'inherit', reject: false });
      if (res.exitCode !== 0)
        fleet.store.log('warn', `${how.id}: ${attach.command} exited with ${res.exitCode}`);
      else
        fleet.store.log(
          'info',
          attach.kind === 'switch'
            ? `${how.id}: your tmux client switched to its window (back: prefix + L)`
            : `${how.id}: detached`,
        );
      if (handOver) stdout.write(ENTER_ALT);
    }
  } finally {
    offAlert();
    restore();
    process.off('exit', restore);
  }
}
