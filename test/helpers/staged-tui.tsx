import { render, type Instance } from 'ink';
import { App } from '../../src/ui/App.js';
import { InkStdout } from '../../src/ui/output/ink-stdout.js';
import { StageRoot } from '../../src/ui/output/StageRoot.js';
import { TerminalStage } from '../../src/ui/output/stage.js';
import type { UiState } from '../../src/ui/state.js';
import type { FakeFleet } from './fake-fleet.js';
import { Keys } from './render-tui.js';
import type { VirtualTerminal } from './virtual-terminal.js';

export interface StagedTui {
  ink: Instance;
  stage: TerminalStage;
  keys: Keys;
}

/**
 * The TUI as run-tui renders it: Ink into the output stage (frame every 5 ms), the stage into a
 * terminal whose bytes are replayed on a virtual screen (what a person sees), so a test can tell
 * what was drawn and what was written to draw it. The caller unmounts `ink` and closes `stage`.
 */
export function renderStaged(
  f: FakeFleet,
  term: VirtualTerminal,
  opts: {
    initial?: UiState;
    /** The chrome rows the terminal already shows (a first frame drawn before Ink). */
    seed?: string[];
    onKeyFrame?: (readAt: number, writtenAt: number) => void;
    onFirstChrome?: (rows: string[]) => void;
  } = {},
): StagedTui {
  const stage = new TerminalStage(term, 5, opts.onKeyFrame);
  if (opts.seed) stage.seed(opts.seed);
  if (opts.onFirstChrome) stage.onFirstChrome = opts.onFirstChrome;
  const keys = new Keys();
  const ink = render(
    <StageRoot stage={stage}>
      <App services={f.services} store={f.store} actions={f.actions} initial={opts.initial} />
    </StageRoot>,
    {
      stdout: new InkStdout(
        term as unknown as NodeJS.WriteStream,
        stage,
      ) as unknown as NodeJS.WriteStream,
      stdin: keys as unknown as NodeJS.ReadStream,
      exitOnCtrlC: false,
      patchConsole: false,
    },
  );
  return { ink, stage, keys };
}
