import { afterEach, describe, expect, it } from 'vitest';
import { App } from '../../src/ui/App.js';
import { fakeFleet, gitStatus } from '../helpers/fake-fleet.js';
import { renderTui, type TuiHandle } from '../helpers/render-tui.js';

let t: TuiHandle | undefined;
afterEach(() => t?.unmount());

// Issue 18: a pane of an instance on an SSH host names the host, and says when it is unreachable.
describe('pane header: instances on SSH hosts', () => {
  it('shows @host after the id, and "host unreachable" instead of git marks when it is down', async () => {
    const f = fakeFleet(3, { ps2: 'box', ps3: 'box' });
    f.store.setGit('ps1', gitStatus('ps1', 3, 1));
    f.store.setGit('ps2', gitStatus('ps2', 2, 0));
    f.store.setGit('ps3', { ...gitStatus('ps3'), exists: false, reachable: false });
    t = renderTui(<App services={f.services} store={f.store} actions={f.actions} />, 120, 30);
    const frame = await t.waitFor((fr) => fr.includes('ps3@box'));
    expect(frame).toMatch(/ps1 ● working ↑3↓1/);
    expect(frame).toMatch(/ps2@box ● working ↑2↓0/);
    expect(frame).toMatch(/ps3@box ● working host unreachable/);
  });
});
