import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, render } from 'ink-testing-library';
import stripAnsi from 'strip-ansi';
import { App } from '../../src/ui/App.js';
import type { AppExit } from '../../src/ui/commands/run.js';
import { buildKeymap } from '../../src/keymap/keymap.js';
import { keyOverrideProblems } from '../../src/keymap/overrides.js';
import { helpLines } from '../../src/ui/overlays/Help.js';
import { fakeFleet, type FakeFleet } from '../helpers/fake-fleet.js';
import { KEY, typeKeys, waitForFrame } from '../helpers/render-tui.js';

afterEach(() => cleanup());

const SIZE = { cols: 100, rows: 40 };
const logged = (f: FakeFleet, text: string) => f.store.getFacts().log.some((e) => e.text === text);

function open(f: FakeFleet, keys?: Record<string, string | string[]>) {
  const exits: AppExit[] = [];
  const r = render(
    <App
      services={f.services}
      store={f.store}
      actions={f.actions}
      size={SIZE}
      keymap={buildKeymap(keys)}
      onExit={(e) => exits.push(e)}
    />,
  );
  const frame = () => stripAnsi(r.lastFrame() ?? '');
  const press = (...keys: string[]) => typeKeys(r.stdin, keys);
  const waitFor = (pred: (fr: string) => boolean) => waitForFrame(frame, pred);
  return { frame, press, waitFor, exits };
}

describe('help overlay', () => {
  it('is generated from the keymap: every command, grouped by category', () => {
    const km = buildKeymap();
    const text = helpLines(km)
      .map((l) => l.text)
      .join('\n');
    for (const c of km.commands) expect(text).toContain(c.description);
    for (const cat of ['Navigate', 'Agent', 'Land', 'Panels'])
      expect(text).toMatch(new RegExp(`^${cat}$`, 'm'));
  });

  it('opens on ?, shows keys as configured, scrolls and closes with Esc', async () => {
    const t = open(fakeFleet(4), { 'panel.log': 'O' });
    await t.press('?');
    const fr = await t.waitFor((f) => f.includes('Keys —'));
    expect(fr).toMatch(/← h\s+Move focus to the pane on the left/);
    expect(fr).toMatch(/P\s+Land every instance on main/);
    expect(fr).toMatch(/O\s+Log of operations/);
    await t.press(KEY.escape);
    await t.waitFor((f) => !f.includes('Keys —') && f.includes('ps4'));
  });
});

describe('role picker', () => {
  it('reassigns the focused instance, persists it through the services and offers a restart with the new prompt', async () => {
    const f = fakeFleet(4);
    const t = open(f);
    await t.press('l'); // focus ps2 (docs)
    await t.press('r');
    let fr = await t.waitFor((x) => x.includes('Role for ps2'));
    expect(fr).toMatch(/▸ ● docs — Docs \+ video/);
    await t.press('j'); // blog
    await t.waitFor((x) => /▸ {3}blog — Blog dispatch/.test(x));
    await t.press(KEY.enter);
    fr = await t.waitFor((x) => x.includes('Restart ps2 with the blog prompt?'));
    expect(f.calls).toContain('role ps2 blog');
    expect(f.store.instance('ps2').instance.role).toBe('blog');
    expect(fr).toMatch(/Blog dispatch · claude · claude\/ps2-wip/);
    await t.press('y');
    await t.waitFor(() => logged(f, 'ps2: agent restarted with the blog prompt'));
    expect(f.sessions.get('ps2')!.restarts).toEqual([{ rolePrompt: 'You write the blog.' }]);
  });

  it('Esc leaves the role unchanged', async () => {
    const f = fakeFleet(2);
    const t = open(f);
    await t.press('r');
    // The picker must really be open, or this test would pass with `r` doing nothing.
    await t.waitFor((x) => x.includes('Role for ps1'));
    await t.press(KEY.down);
    await t.waitFor((x) => /▸ {3}docs/.test(x));
    await t.press(KEY.escape);
    await t.waitFor((x) => !x.includes('Role for'));
    expect(f.calls).toEqual([]);
    expect(f.store.instance('ps1').instance.role).toBe('app');
  });
});

describe('push-all overlay', () => {
  it('shows pending → replaying → outcomes and the summary', async () => {
    const f = fakeFleet(4);
    const t = open(f);
    await t.press('P');
    let fr = await t.waitFor((x) => x.includes('Push-all — landing…'));
    expect(f.calls).toEqual(['land all']);
    expect(fr).toMatch(/ps1\s+pending/);
    expect(fr).toContain('⟳ landing…');
    f.progress({ id: 'ps1', phase: 'replaying' });
    await t.waitFor((x) => /ps1\s+replaying/.test(x));
    f.progress({ id: 'ps1', phase: 'landed' });
    f.progress({ id: 'ps2', phase: 'replaying' });
    await t.waitFor((x) => /ps1\s+landed/.test(x) && /ps2\s+replaying/.test(x));
    f.finishLand({
      ok: false,
      main: { before: 'aaaaaaa111', after: 'bbbbbbb222' },
      fetches: 1,
      pushes: 1,
      instances: [
        { id: 'ps1', outcome: 'landed', commits: 2, files: [], reason: '', sync: 'synced' },
        {
          id: 'ps2',
          outcome: 'conflict',
          commits: 0,
          files: ['docs/ROADMAP.md'],
          reason: 'replay stopped',
          sync: 'unchanged',
        },
        {
          id: 'ps3',
          outcome: 'blocked',
          commits: 0,
          files: [],
          reason: 'migration duplicate-version',
          sync: 'unchanged',
        },
        {
          id: 'ps4',
          outcome: 'refused',
          commits: 0,
          files: [],
          reason: 'rebase in progress',
          sync: 'unchanged',
        },
      ],
    });
    fr = await t.waitFor((x) => x.includes('Push-all — done'));
    expect(fr).toMatch(/ps1\s+landed\s+2 commits · synced/);
    expect(fr).toMatch(/ps2\s+conflict\s+\(docs\/ROADMAP\.md\) replay stopped/);
    expect(fr).toMatch(/ps3\s+blocked\s+migration duplicate-version/);
    expect(fr).toMatch(/ps4\s+refused\s+rebase in progress/);
    expect(fr).toMatch(
      /1 landed \(2 commits\) · 3 need attention · main aaaaaaa → bbbbbbb · 1 push/,
    );
    await t.press(KEY.escape);
    await t.press('L');
    fr = await t.waitFor((x) => x.includes('Log —'));
    expect(fr).toMatch(
      /\d\d:\d\d:\d\d push-all: landed 1 \(2 commits\) · conflict 1 · blocked 1 · refused 1/,
    );
  });

  it('asks before quitting while a land runs', async () => {
    const f = fakeFleet(2);
    const t = open(f);
    await t.press('P');
    await t.waitFor((x) => x.includes('landing…'));
    await t.press(KEY.escape, 'q');
    await t.waitFor((x) => x.includes('A land is running. Quit anyway?'));
    expect(t.exits).toEqual([]);
    await t.press('y');
    expect(t.exits).toEqual([{ kind: 'quit' }]);
  });
});

describe('agent keys', () => {
  it('i sends a line to the focused agent; x restarts after confirmation; q quits', async () => {
    const f = fakeFleet(3);
    const t = open(f);
    await t.press('3', 'i');
    await t.waitFor((x) => x.includes('send to ps3:'));
    await t.press('h', 'i', '!', KEY.backspace, KEY.enter);
    await t.waitFor(() => logged(f, 'ps3: sent "hi"'));
    expect(f.sessions.get('ps3')!.sent).toEqual(['hi']);
    await t.press('x');
    await t.waitFor((x) => x.includes('Restart the focused agent (ps3)?'));
    await t.press('n');
    await t.waitFor((x) => !x.includes('Restart the focused agent'));
    expect(f.sessions.get('ps3')!.restarts).toEqual([]);
    await t.press('x', 'y');
    await t.waitFor(() => logged(f, 'ps3: agent restarted'));
    expect(f.sessions.get('ps3')!.restarts).toEqual([undefined]);
    await t.press('s', 'S');
    await t.waitFor(() => f.calls.includes('sync all'));
    expect(f.calls).toEqual(['sync ps3', 'sync all']);
    await t.press('q');
    expect(t.exits).toEqual([{ kind: 'quit' }]);
  });
});

describe('migrations panel', () => {
  it('lists problems with their fix, and n creates a migration for the focused instance', async () => {
    const f = fakeFleet(3);
    const t = open(f);
    f.store.setMigrations({
      ok: false,
      migrations: 5,
      problems: [
        {
          rule: 'duplicate-version',
          severity: 'error',
          version: '20261129001000',
          files: [
            {
              instance: 'ps1',
              where: 'worktree',
              path: 'supabase/migrations/20261129001000_a.sql',
            },
            { instance: 'ps2', where: 'branch', path: 'supabase/migrations/20261129001000_b.sql' },
          ],
          message: 'two migrations share version 20261129001000',
          fix: 'rename ps2 to 20261129010000_b.sql',
        },
      ],
    });
    await t.waitFor(
      (x) => x.includes('⚠ 1 migration problem') && /ps1 ● working … ⚠ 1 mig/.test(x),
    );
    await t.press('2', 'm');
    const fr = await t.waitFor((x) => x.includes('Migrations —'));
    expect(fr).toMatch(/error duplicate-version 20261129001000 two migrations share version/);
    expect(fr).toContain('ps1:supabase/migrations/20261129001000_a.sql');
    expect(fr).toContain('fix: rename ps2 to 20261129010000_b.sql');
    await t.press('n');
    await t.waitFor((x) => x.includes('new migration for ps2, name:'));
    await t.press('add_index', KEY.enter);
    await t.waitFor(() => f.calls.includes('migration ps2 add_index'));
  });
});

describe('commands from the keymap', () => {
  it('says why attach is disabled for a headless agent instead of leaving', async () => {
    const f = fakeFleet(2);
    const t = open(f);
    await t.press('a');
    await t.waitFor(() =>
      logged(f, 'ps1 runs headless (exec): only agents in tmux can be attached'),
    );
    expect(t.exits).toEqual([]);
  });

  it('draws hints and pane labels from the keys the person configured', async () => {
    const f = fakeFleet(3);
    const keys = { 'panel.close': 'c', 'focus.jump': ['w', 'e', 't'] };
    expect(keyOverrideProblems(keys)).toEqual([]);
    const t = open(f, keys);
    await t.waitFor((x) => x.includes('│e ps2 ') && x.includes('│t ps3 '));
    await t.press('t');
    await t.press('L');
    const fr = await t.waitFor((x) => x.includes('Log —'));
    expect(fr).toContain('c close');
    expect(fr).not.toContain('Esc close');
    await t.press('c');
    await t.waitFor((x) => !x.includes('Log —'));
    await t.press('i');
    await t.waitFor((x) => x.includes('send to ps3:'));
  });
});
