import { afterEach, describe, expect, it } from 'vitest';
import stringWidth from 'string-width';
import { App } from '../../src/ui/App.js';
import { fakeFleet, gitStatus, type FakeFleet } from '../helpers/fake-fleet.js';
import { KEY, renderTui, type TuiHandle } from '../helpers/render-tui.js';

let t: TuiHandle | undefined;
afterEach(() => t?.unmount());

function open(f: FakeFleet, cols: number, rows: number) {
  for (const [id, s] of f.sessions) {
    s.print(...Array.from({ length: 30 }, (_, k) => `${id} output line ${k}`));
    f.store.setGit(id, gitStatus(id, 3, 1));
  }
  t = renderTui(<App services={f.services} store={f.store} actions={f.actions} />, cols, rows);
  return t;
}

function assertFits(frame: string, cols: number, rows: number) {
  const lines = frame.split('\n');
  // One line shorter than the terminal: a full-height frame makes Ink clear the screen each time.
  expect(lines.length).toBe(rows - 1);
  for (const l of lines) expect(stringWidth(l)).toBeLessThanOrEqual(cols);
}

describe('grid', () => {
  it.each([
    [80, 24, 10],
    [120, 40, 12],
    [160, 48, 12],
  ])(
    'at %i×%i shows all %i panes with header and output, within the terminal',
    async (cols, rows, n) => {
      const f = fakeFleet(n);
      const h = open(f, cols, rows);
      const frame = await h.waitFor((fr) => fr.includes(`ps${n} `));
      assertFits(frame, cols, rows);
      for (const id of f.store.ids()) {
        expect(frame).toMatch(new RegExp(`${id} ● working ↑3↓1 ✱1`));
        // The newest output line is visible in every pane.
        expect(frame).toContain(`${id} output line 29`);
      }
      expect(frame).toContain('fleet-tui');
      expect(frame).toMatch(/P push-all/);
    },
  );

  it('at 160×48 shows 12 panes with the role line and many output lines each', async () => {
    const f = fakeFleet(12);
    const frame = await open(f, 160, 48).waitFor((fr) => fr.includes('ps12 '));
    expect(frame).toContain('App UI · claude · claude/ps1-wip');
    expect(frame).toContain('ps12 output line 19');
  });

  it('says the terminal is too small instead of drawing a broken grid', async () => {
    const f = fakeFleet(12);
    const frame = await open(f, 50, 12).waitFor((fr) => fr.includes('too small'));
    expect(frame).toMatch(/Terminal too small for 12 panes/);
    expect(frame).toMatch(/need at least 48×27, have 50×12/);
    expect(frame).not.toContain('ps1 output');
    assertFits(frame, 50, 12);
  });

  it('adapts to resizes both ways', async () => {
    const f = fakeFleet(12);
    const h = open(f, 160, 48);
    await h.waitFor((fr) => fr.includes('ps12 '));
    h.resize(40, 10);
    await h.waitFor((fr) => fr.includes('too small'));
    h.resize(120, 40);
    const frame = await h.waitFor((fr) => fr.includes('ps12 ') && !fr.includes('too small'));
    assertFits(frame, 120, 40);
  });

  it('moves focus with arrows, h j k l, Tab and digits; zooms with Enter and comes back with Esc', async () => {
    const f = fakeFleet(12);
    const h = open(f, 160, 48);
    // The focused pane is the one drawn with a double border.
    const focused = (fr: string) => /║[\d ] ?(ps\d+) ●/.exec(fr)?.[1];
    await h.waitFor((fr) => focused(fr) === 'ps1');
    await h.press('l');
    await h.waitFor((fr) => focused(fr) === 'ps2');
    await h.press(KEY.down);
    await h.waitFor((fr) => focused(fr) === 'ps6');
    await h.press('k', 'h');
    await h.waitFor((fr) => focused(fr) === 'ps1');
    await h.press(KEY.shiftTab);
    await h.waitFor((fr) => focused(fr) === 'ps12');
    await h.press('0');
    await h.waitFor((fr) => focused(fr) === 'ps10');
    f.sessions.get('ps10')!.print(...Array.from({ length: 100 }, (_, k) => `ps10 more ${k}`));
    await h.press(KEY.enter);
    const zoomed = await h.waitFor((fr) => fr.includes('Esc Enter back'));
    // The zoom shows far more of the output than the pane did.
    expect(zoomed).toContain('ps10 more 99');
    expect(zoomed).toContain('ps10 more 70');
    expect(zoomed).not.toContain('ps9 ');
    await h.press('k');
    await h.waitFor((fr) => fr.includes('↑ 1 lines back'));
    await h.press('G');
    await h.waitFor((fr) => !fr.includes('lines back'));
    await h.press(KEY.escape);
    await h.waitFor((fr) => fr.includes('ps9 ') && focused(fr) === 'ps10');
  });

  it('repaints a pane when its agent prints, and shows status changes in its header', async () => {
    const f = fakeFleet(4);
    const h = open(f, 120, 40);
    await h.waitFor((fr) => fr.includes('ps4 '));
    f.sessions.get('ps3')!.print('fresh line from ps3');
    await h.waitFor((fr) => fr.includes('fresh line from ps3'));
    f.sessions.get('ps2')!.setState({ status: 'waiting', costUsd: 1.234 });
    f.store.setAgent('ps2', f.sessions.get('ps2')!.state());
    await h.waitFor((fr) => /ps2 ◐ waiting .*\$1\.23/.test(fr) && fr.includes('◐ 1 waiting'));
  });

  it('repaints at most ~15 times a second while agents stream output', async () => {
    const f = fakeFleet(12);
    const h = open(f, 160, 48);
    await h.waitFor((fr) => fr.includes('ps12 '));
    const before = h.stdout.frames.length;
    const start = Date.now();
    let k = 0;
    while (Date.now() - start < 1000) {
      for (const s of f.sessions.values()) s.print(`burst ${k}`);
      k++;
      await new Promise((r) => setTimeout(r, 2));
    }
    await h.waitFor((fr) => fr.includes(`burst ${k - 1}`));
    const frames = h.stdout.frames.length - before;
    expect(k).toBeGreaterThan(30);
    // 12 panes × hundreds of lines each, yet about one frame per 66 ms.
    expect(frames).toBeLessThanOrEqual(20);
    expect(frames).toBeGreaterThanOrEqual(2);
  });
});
