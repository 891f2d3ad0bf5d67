import chalk from 'chalk';
import { renderToString, type Instance } from 'ink';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { App } from '../../src/ui/App.js';
import type { TerminalStage } from '../../src/ui/output/stage.js';
import { initialUi, type UiState } from '../../src/ui/state.js';
import { fakeFleet, gitStatus, type FakeFleet } from '../helpers/fake-fleet.js';
import { Screen } from '../../bench/tty/screen.js';
import { renderStaged } from '../helpers/staged-tui.js';
import { VirtualTerminal } from '../helpers/virtual-terminal.js';

// The stage makes the chrome from Ink's laid-out tree itself (DomRows) instead of Ink's
// full-screen output: what a person sees must be what Ink would have drawn, cell for cell and
// colour for colour, in every panel and at every size.

let level = chalk.level;
beforeAll(() => {
  // Colours on (Ink's Text and the stage share chalk), so styles are compared too.
  level = chalk.level;
  chalk.level = 1;
});
afterAll(() => {
  chalk.level = level;
});

let ink: Instance | undefined;
let stage: TerminalStage | undefined;
afterEach(() => {
  ink?.unmount();
  stage?.close();
  ink = stage = undefined;
});

function fleet(n: number): FakeFleet {
  const f = fakeFleet(n);
  for (const [id, s] of f.sessions) {
    s.print(...Array.from({ length: 30 }, (_, k) => `${id} output line ${k} ${'·'.repeat(k)}`));
    f.store.setGit(id, gitStatus(id, 3, 1));
  }
  return f;
}

function cells(s: Screen): string[] {
  return s.chars.map((row, r) => row.map((c, k) => `${c}${s.styles[r]![k]}`).join('|'));
}

/** Ink's own rendering of the same tree, replayed on a screen. */
function inkScreen(f: FakeFleet, cols: number, rows: number, ui: UiState): Screen {
  const out = renderToString(
    <App
      services={f.services}
      store={f.store}
      actions={f.actions}
      size={{ cols, rows }}
      initial={ui}
    />,
    { columns: cols },
  );
  const s = new Screen(cols, rows);
  s.write(out.split('\n').join('\r\n'));
  return s;
}

async function stagedScreen(f: FakeFleet, cols: number, rows: number, ui: UiState) {
  const term = new VirtualTerminal(cols, rows);
  ({ ink, stage } = renderStaged(f, term, { initial: ui }));
  const s = stage;
  await vi.waitFor(() => expect(s.counters.flushes).toBeGreaterThan(0), {
    timeout: 5000,
    interval: 5,
  });
  return term.screen;
}

describe('the chrome made from Ink’s tree', () => {
  const cases: Array<[string, number, number, Partial<UiState>]> = [
    ['the grid, 12 panes', 160, 48, {}],
    ['the grid, focus on the 7th pane', 160, 48, { focus: 6 }],
    ['a narrow grid (one header line a pane, truncated)', 80, 24, {}],
    ['the zoomed pane', 120, 40, { panel: 'zoom' }],
    ['help (clipped, wrapped text)', 100, 30, { panel: 'help' }],
    ['the log', 100, 30, { panel: 'log' }],
    ['a terminal too small for the grid', 40, 10, {}],
  ];
  it.each(cases)('%s: same cells and colours as Ink draws', async (_, cols, rows, ui) => {
    const f = fleet(12);
    f.store.log('info', 'a log line with a wide ☃ and ✱ in it');
    const want = inkScreen(f, cols, rows, { ...initialUi, ...ui });
    const got = await stagedScreen(f, cols, rows, { ...initialUi, ...ui });
    expect(cells(got)).toEqual(cells(want));
  });
});
