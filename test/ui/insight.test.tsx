// Issue 17 in the TUI: the attention key, approve / deny from the grid, today's cost and the
// scope-creep badge in the pane header, the oldest wait in the top bar, observed sessions, the
// outside-files and report panels. Keys are pressed by command id through the keymap.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, render } from 'ink-testing-library';
import stripAnsi from 'strip-ansi';
import type { FleetInsight } from '../../src/core/insight/fleet-insight.js';
import { buildKeymap } from '../../src/keymap/keymap.js';
import type { CommandId } from '../../src/keymap/commands.js';
import { App } from '../../src/ui/App.js';
import { fakeFleet, gitStatus, type FakeFleet } from '../helpers/fake-fleet.js';
import { REPO_ROOT } from '../helpers/git-fixture.js';

afterEach(() => cleanup());

const SIZE = { cols: 160, rows: 40 };
const KM = buildKeymap();
const keyOf = (id: CommandId) => KM.byId(id).keys[0]!;
const screen = (name: string) =>
  readFileSync(path.join(REPO_ROOT, 'test', 'fixtures', 'screens', name), 'utf8').split('\n');
const ago = (min: number) => new Date(Date.now() - min * 60_000).toISOString();
const lastLog = (f: FakeFleet) => f.store.getFacts().log.at(-1)?.text ?? '';

function open(f: FakeFleet) {
  const r = render(
    <App services={f.services} store={f.store} actions={f.actions} size={SIZE} keymap={KM} />,
  );
  const frame = () => stripAnsi(r.lastFrame() ?? '');
  const press = async (...ids: CommandId[]) => {
    for (const id of ids) {
      r.stdin.write(keyOf(id));
      await new Promise((res) => setTimeout(res, 5));
    }
  };
  const waitFor = async (pred: (fr: string) => boolean) => {
    const end = Date.now() + 3000;
    while (!pred(frame())) {
      if (Date.now() > end) throw new Error(`timed out; last frame:\n${frame()}`);
      await new Promise((res) => setTimeout(res, 5));
    }
    return frame();
  };
  return { frame, press, waitFor };
}

/** The focused pane is drawn with a double border. */
const focused = (fr: string) => /║[\d ] ?(ps\d+) /.exec(fr)?.[1];

function wait(f: FakeFleet, id: string, sinceMin: number) {
  f.store.setAgent(id, { ...f.store.instance(id).agent, status: 'waiting', since: ago(sinceMin) });
}

describe('attention key', () => {
  it('jumps to the longest waiting agent first, then cycles; the top bar shows the oldest wait', async () => {
    const f = fakeFleet(6);
    wait(f, 'ps2', 5);
    wait(f, 'ps5', 12);
    wait(f, 'ps4', 1);
    const t = open(f);
    expect(await t.waitFor((fr) => fr.includes('3 waiting (oldest 12m)'))).toBeTruthy();
    await t.waitFor((fr) => focused(fr) === 'ps1');
    await t.press('focus.waiting');
    await t.waitFor((fr) => focused(fr) === 'ps5');
    await t.press('focus.waiting');
    await t.waitFor((fr) => focused(fr) === 'ps2');
    await t.press('focus.waiting');
    await t.waitFor((fr) => focused(fr) === 'ps4');
    await t.press('focus.waiting');
    await t.waitFor((fr) => focused(fr) === 'ps5');
  });

  it('with nobody waiting it stays and says so', async () => {
    const f = fakeFleet(3);
    const t = open(f);
    await t.waitFor((fr) => focused(fr) === 'ps1' && fr.includes('0 waiting'));
    await t.press('focus.next', 'focus.waiting');
    await t.waitFor((fr) => fr.includes('no agent is waiting for you'));
    expect(focused(t.frame())).toBe('ps2');
  });
});

describe('approve / deny', () => {
  /** The agent takes every key: its dialog leaves the screen (the answer counts only then). */
  function withKeys(f: FakeFleet, id: string, idle: string) {
    const pressed: string[][] = [];
    const s = f.sessions.get(id)!;
    Object.assign(s, {
      pressKeys: (k: readonly string[]) => {
        pressed.push([...k]);
        s.print(...screen(idle));
        return Promise.resolve();
      },
    });
    return pressed;
  }

  it("sends claude's own keys only while its screen shows a permission dialog", async () => {
    const f = fakeFleet(2);
    const pressed = withKeys(f, 'ps1', 'claude-2.1.332-idle.txt');
    const s = f.sessions.get('ps1')!;
    const t = open(f);
    // Not waiting: the key is disabled and says why.
    await t.press('agent.approve');
    await t.waitFor(() => lastLog(f) === 'ps1 is not waiting for you: nothing to approve');
    wait(f, 'ps1', 1);
    s.print(...screen('claude-2.1.332-trust.txt'));
    await t.press('agent.approve');
    await t.waitFor(() => /no permission dialog on its screen/.test(lastLog(f)));
    expect(pressed).toEqual([]);
    s.print(...screen('claude-2.1.332-permission.txt'));
    await t.press('agent.approve');
    await t.waitFor(() => pressed.length === 1);
    await t.waitFor(() => lastLog(f) === 'ps1: approved (sent 1)');
    s.print(...screen('claude-2.1.332-permission.txt'));
    await t.press('agent.deny');
    await t.waitFor(() => pressed.length === 2);
    expect(pressed).toEqual([['1'], ['Escape']]);
  });

  it('codex gets y / Esc; a headless agent is refused', async () => {
    const f = fakeFleet(5); // ps5 is codex
    const pressed = withKeys(f, 'ps5', 'codex-0.171.0-idle.txt');
    const codex = f.sessions.get('ps5')!;
    codex.print(...screen('codex-0.171.0-approval.txt'));
    wait(f, 'ps5', 1);
    wait(f, 'ps1', 1);
    const t = open(f);
    await t.press('focus.jump'); // ps1: an exec agent without keys to press
    await t.press('agent.approve');
    await t.waitFor(() => /works for claude and codex in tmux/.test(lastLog(f)));
    f.store.setAgent('ps1', { ...f.store.instance('ps1').agent, status: 'idle' });
    await t.press('focus.waiting', 'agent.approve');
    await t.waitFor(() => lastLog(f) === 'ps5: approved (sent y)');
    codex.print(...screen('codex-0.171.0-approval.txt'));
    await t.press('agent.deny');
    await t.waitFor(() => pressed.length === 2);
    expect(pressed).toEqual([['y'], ['Escape']]);
  });
});

function insight(f: FakeFleet): FleetInsight {
  const zero = { working: 0, waiting: 0, idle: 0, stopped: 0 };
  const row = (id: string, costUsd: number) => ({
    id,
    landed: id === 'ps1' ? 4 : 0,
    conflicts: id === 'ps2' ? 1 : 0,
    pushesSaved: 0,
    secondsIn: id === 'ps1' ? { working: 3600, waiting: 600, idle: 1800, stopped: 0 } : zero,
    costUsd,
  });
  return {
    at: new Date().toISOString(),
    usageToday: {
      ps1: { costUsd: 1.23, inputTokens: 1000, outputTokens: 200 },
      ps2: { costUsd: 0, inputTokens: 0, outputTokens: 0 },
      ps3: { costUsd: 0.4, inputTokens: 10, outputTokens: 5 },
    },
    costToday: 1.63,
    report: {
      since: '2026-12-01',
      until: '2026-12-01',
      instances: f.store.ids().map((id) => row(id, id === 'ps1' ? 1.23 : id === 'ps3' ? 0.4 : 0)),
      fleet: { ...row('fleet', 1.63), landed: 4, conflicts: 1 },
    },
    block: null,
    observed: {
      ps1: null,
      ps2: { sessionId: 'hand-1', status: 'working', since: ago(2), costUsdToday: 0.4 },
      ps3: null,
    },
  };
}

describe('cost, scope and observed sessions', () => {
  it('pane headers show today’s cost, the outside badge and an observed session; the top bar today’s cost', async () => {
    const f = fakeFleet(3);
    for (const id of f.store.ids()) f.store.setGit(id, gitStatus(id));
    const t = open(f);
    f.store.setInsight(insight(f));
    f.store.setScope('ps3', { outside: ['web/a.ts', 'web/b.ts'] });
    const fr = await t.waitFor((x) => x.includes('⚑2 outside'));
    expect(fr).toMatch(/ps1 .*\$1\.23 today/);
    expect(fr).toMatch(/ps3 .*⚑2 outside \$0\.40 today/);
    expect(fr).toMatch(/ps2 .*\+ observed ● working \$0\.40/);
    expect(fr).toMatch(/\$1\.63 today/);
    // The managed agent keeps its own status.
    expect(fr).toMatch(/ps2 ● working/);
  });

  it('the outside panel lists each file; the report panel a table with bars', async () => {
    const f = fakeFleet(3);
    const t = open(f);
    f.store.setInsight(insight(f));
    f.store.setScope('ps2', { outside: ['api/x.ts'] });
    f.store.setScope('ps3', { outside: ['web/a.ts', 'web/b.ts'] });
    await t.press('panel.outside');
    let fr = await t.waitFor((x) => x.includes('Outside their roles'));
    expect(fr).toMatch(/ps2 · Docs \+ video — 1 file outside its role/);
    expect(fr).toMatch(/ps3 · Blog dispatch — 2 files outside its role/);
    expect(fr).toContain('web/b.ts');
    await t.press('panel.close', 'panel.report');
    fr = await t.waitFor((x) => x.includes('Report — today'));
    expect(fr).toMatch(/cost today \$1\.63/);
    expect(fr).toMatch(/ps1 +4 +0 +0 +1:00 +0:10 +0:30 █+▓+░+·* +\$1\.23 +\$0\.31 ■{10}/);
    expect(fr).toMatch(/ps2 +0 +1 /);
    expect(fr).toMatch(/ps3 .* \$0\.40 .*■{3}/);
  });
});

describe('wiring: connectFleet feeds the store from the services', () => {
  it('reads cost/report at start and after a land, and each instance’s scope after its git status', async () => {
    const { connectFleet } = await import('../../src/app/connect.js');
    const f = fakeFleet(2);
    let reads = 0;
    const scoped: string[] = [];
    const services = {
      ...f.services,
      readInsight: () => {
        reads++;
        return Promise.resolve(insight(f));
      },
      readScope: (inst: { id: string }, known: { ahead: number; dirty: number }) => {
        scoped.push(`${inst.id} ahead ${known.ahead} dirty ${known.dirty}`);
        return Promise.resolve({ outside: [`${inst.id}/stray.ts`] });
      },
    };
    const fleet = connectFleet(services);
    await fleet.ready;
    try {
      await vi.waitFor(() => expect(fleet.store.getFacts().insight?.costToday).toBe(1.63));
      await vi.waitFor(() =>
        expect(fleet.store.instance('ps2').scope).toEqual({ outside: ['ps2/stray.ts'] }),
      );
      expect(scoped).toContain('ps1 ahead 2 dirty 1');
      expect(fleet.store.instance('ps1').usageToday?.costUsd).toBe(1.23);
      const before = reads;
      fleet.actions.refreshInsight();
      await vi.waitFor(() => expect(reads).toBe(before + 1));
    } finally {
      await fleet.close();
    }
  });
});
