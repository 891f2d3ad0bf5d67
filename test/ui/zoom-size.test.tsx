// Issue 14 item 6, the UI's part: the agent's window is told the size of whatever shows it
// (grid pane, zoom, after a terminal resize), and zoom shows the agent's screen line for line.
import { afterEach, describe, expect, it } from 'vitest';
import { App } from '../../src/ui/App.js';
import { fakeFleet } from '../helpers/fake-fleet.js';
import { KEY, renderTui, type TuiHandle } from '../helpers/render-tui.js';

let t: TuiHandle | undefined;
afterEach(() => t?.unmount());

describe('the agent window follows what shows it', () => {
  it('grid → zoom → grid → terminal resize each resize the session; zoom keeps empty lines', async () => {
    const f = fakeFleet(4);
    const s = f.sessions.get('ps1')!;
    // A screen with empty rows in the middle, as a TUI agent draws it.
    s.print('top of the screen', '', '', 'middle', '', 'bottom');
    t = renderTui(<App services={f.services} store={f.store} actions={f.actions} />, 120, 40);
    const h = t;
    await h.waitFor((fr) => fr.includes('ps4 '));
    await expect.poll(() => s.size).not.toEqual([0, 0]);
    const grid = s.size;
    expect(grid[0]).toBeLessThan(60);

    await h.press(KEY.enter);
    const zoomed = await h.waitFor((fr) => fr.includes('Esc Enter back'));
    // The zoom box: border, header, role line, then the agent's rows, border.
    const box = zoomed.split('\n').filter((l) => /^[╔║╚]/.test(l));
    await expect.poll(() => s.size).toEqual([118, box.length - 4]);
    const rows = box.map((l) => l.replace(/^║|║$/g, '').trimEnd());
    const top = rows.findIndex((l) => l.includes('top of the screen'));
    expect(rows.slice(top, top + 6).map((l) => l.trim())).toEqual([
      'top of the screen',
      '',
      '',
      'middle',
      '',
      'bottom',
    ]);

    await h.press(KEY.escape);
    await h.waitFor((fr) => fr.includes('ps4 '));
    await expect.poll(() => s.size).toEqual(grid);

    h.resize(160, 48);
    await expect.poll(() => s.size).not.toEqual(grid);
  });
});
