// The hostile corpus through the TUI's chrome: pane headers (role title, agent kind, branch,
// status note), the top bar, the migrations panel, the log, the role picker and push-all. Every
// frame Ink writes is checked byte by byte: no control character but Ink's own colours.
import { afterEach, describe, expect, it } from 'vitest';
import { FleetActions } from '../../src/core/fleet/actions.js';
import { FleetStore } from '../../src/core/fleet/store.js';
import { App } from '../../src/ui/App.js';
import { fakeFleet, gitStatus } from '../helpers/fake-fleet.js';
import { KEY, renderTui, type TuiHandle } from '../helpers/render-tui.js';
import { ALL, PAYLOADS, firstControl } from './corpus.js';

let t: TuiHandle | undefined;
afterEach(() => t?.unmount());

const SHOWN_TITLE = '\\x1b]0;HACKED\\x07';

describe('hostile text in the TUI chrome', () => {
  it('is shown (\\x1b, \\n, \\x9b) in every header, bar and panel, and never emitted', async () => {
    const f = fakeFleet(3);
    // Names from the config and from git, as an attacker would write them.
    const cfg = f.config;
    cfg.roles.app = {
      title: `App ${PAYLOADS.title}`,
      paths: [`lib/${PAYLOADS.clear}**`],
      prompt: 'p',
    };
    cfg.instances[0]!.agent = `claude${PAYLOADS.title}`;
    cfg.instances[0]!.branch = `claude/ps1${PAYLOADS.csi8}`;
    const store = new FleetStore(cfg);
    const actions = new FleetActions(f.services, store);
    for (const [id, s] of f.sessions) {
      s.print(`${id} plain output`);
      s.setState({ note: `note ${ALL}` });
      store.setAgent(id, s.state());
      store.setGit(id, {
        ...gitStatus(id),
        branch: `b${PAYLOADS.rlo}${PAYLOADS.csi8}`,
        lastCommit: { subject: `subject ${ALL}`, date: new Date().toISOString() },
      });
    }
    store.setMigrations({
      ok: false,
      migrations: 2,
      problems: [
        {
          rule: 'duplicate-version',
          severity: 'error',
          version: '20261201013000',
          files: [
            {
              instance: 'ps1',
              where: 'worktree',
              path: `supabase/migrations/20261201013000_x${ALL}.sql`,
            },
          ],
          message: `message ${ALL}`,
          fix: `rename ${ALL}`,
        },
      ],
    });
    store.log('warn', `log ${ALL}`);
    t = renderTui(<App services={f.services} store={store} actions={actions} />, 160, 48);
    const h = t;
    await h.waitFor((fr) => fr.includes('ps3 ') && fr.includes(SHOWN_TITLE));
    expect(h.frame()).toContain(`App ${SHOWN_TITLE}`);

    await h.press(KEY.enter); // zoom: both header lines over the whole body
    const zoom = await h.waitFor((fr) => fr.includes('Esc Enter back'));
    expect(zoom).toContain(`· claude${SHOWN_TITLE} · claude/ps1\\x9b`);
    await h.press(KEY.escape);
    await h.press('m');
    await h.waitFor((fr) => fr.includes('Migrations —') && fr.includes('rename '));
    expect(h.frame()).toContain(`20261201013000_x${SHOWN_TITLE}`);
    expect(h.frame()).toContain('two\\nlines');
    await h.press(KEY.escape, 'L');
    await h.waitFor((fr) => fr.includes('Log —') && fr.includes(`log ${SHOWN_TITLE}`));
    await h.press(KEY.escape, 'r');
    await h.waitFor((fr) => fr.includes('Role for ps1') && fr.includes('lib/\\x1b[2J'));
    await h.press(KEY.escape, 'P');
    await h.waitFor((fr) => fr.includes('Push-all —'));
    f.progress({ id: 'ps1', phase: 'replaying', detail: `detail ${ALL}` });
    await h.waitFor((fr) => fr.includes(`detail ${SHOWN_TITLE}`));
    f.finishLand({
      ok: false,
      main: { before: '', after: '' },
      fetches: 1,
      pushes: 0,
      instances: [
        {
          id: 'ps1',
          outcome: 'conflict',
          commits: 0,
          files: [`f${ALL}`],
          reason: `reason ${ALL}`,
          sync: 'unchanged',
        },
        {
          id: 'ps2',
          outcome: 'refused',
          commits: 0,
          files: [],
          reason: `hook ${ALL}`,
          sync: 'unchanged',
        },
        { id: 'ps3', outcome: 'nothing', commits: 0, files: [], reason: '', sync: 'unchanged' },
      ],
    });
    const done = await h.waitFor((fr) => fr.includes('Push-all — done'));
    expect(done).toContain(`reason ${SHOWN_TITLE}`);
    expect(done).toMatch(/main \(unknown\) → \(unknown\)/);

    expect(h.stdout.frames.length).toBeGreaterThan(5);
    for (const frame of h.stdout.frames) {
      expect(
        firstControl(frame, { sgr: true }),
        'a control character reached the terminal',
      ).toBeNull();
    }
  });
});
