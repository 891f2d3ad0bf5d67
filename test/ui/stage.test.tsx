import type { Instance } from 'ink';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { focusSignature } from '../../bench/load/focus.js';
import type { TerminalStage } from '../../src/ui/output/stage.js';
import { fakeFleet, gitStatus, type FakeFleet } from '../helpers/fake-fleet.js';
import { KEY } from '../helpers/render-tui.js';
import { renderStaged } from '../helpers/staged-tui.js';
import { VirtualTerminal } from '../helpers/virtual-terminal.js';

// Renders of each pane, counted by a transparent wrapper with Pane's own memo rule: what Grid
// hands each pane on a focus change decides which panes React renders again.
const paneRenders = vi.hoisted(() => new Map<string, number>());
vi.mock('../../src/ui/Pane.js', async (importOriginal) => {
  const m = await importOriginal<typeof import('../../src/ui/Pane.js')>();
  const { createElement, memo } = await import('react');
  const Counted = memo(function Counted(p: import('../../src/ui/Pane.js').PaneProps) {
    paneRenders.set(p.id, (paneRenders.get(p.id) ?? 0) + 1);
    return createElement(m.Pane, p);
  });
  return { ...m, Pane: Counted };
});

let ink: Instance | undefined;
let stage: TerminalStage | undefined;
afterEach(() => {
  ink?.unmount();
  stage?.close();
  ink = stage = undefined;
});

// The TUI as run-tui renders it (renderStaged), its panes full of output.
function open(
  f: FakeFleet,
  cols: number,
  rows: number,
  onKeyFrame?: (readAt: number, writtenAt: number) => void,
) {
  for (const [id, s] of f.sessions) {
    s.print(...Array.from({ length: 30 }, (_, k) => `${id} output line ${k}`));
    f.store.setGit(id, gitStatus(id, 3, 1));
  }
  const term = new VirtualTerminal(cols, rows);
  const staged = renderStaged(f, term, { onKeyFrame });
  ({ ink, stage } = staged);
  const { keys } = staged;
  const text = () => term.screen.lines().join('\n');
  const until = (pred: () => boolean) =>
    vi.waitFor(() => expect(pred()).toBe(true), { timeout: 5000, interval: 5 });
  const s = stage;
  return { term, keys, text, until, stage: s, frames: () => s.counters.chrome };
}

describe('output stage', () => {
  it('draws every pane and, on output, writes only the changed lines of that pane', async () => {
    const f = fakeFleet(4);
    const { stage, text, until, frames, term } = open(f, 100, 30);
    await until(() => f.store.ids().every((id) => text().includes(`${id} output line 29`)));
    const frames0 = frames();
    const c0 = { ...stage.counters };
    const bytes0 = term.bytes;
    f.sessions.get('ps2')!.print('ps2 fresh line');
    await until(() => text().includes('ps2 fresh line'));
    // Only ps2 was read again; no chrome frame (no React commit, no layout) and no chrome row
    // written.
    expect(stage.counters.refreshed - c0.refreshed).toBe(1);
    expect(frames()).toBe(frames0);
    expect(stage.counters.rows - c0.rows).toBe(0);
    // The pane scrolled by one line: at most its own rows were written, nothing else.
    const height = f.sessions.get('ps2')!.size[1];
    expect(stage.counters.lines - c0.lines).toBeLessThanOrEqual(height);
    expect(term.bytes - bytes0).toBeLessThan(height * 120);
    // The other panes still show their own output.
    for (const id of ['ps1', 'ps3', 'ps4']) expect(text()).toContain(`${id} output line 29`);
    // Output that arrives for no visible change (same lines) writes nothing.
    const c1 = { ...stage.counters };
    f.sessions.get('ps3')!.version++;
    f.sessions.get('ps3')!.print();
    await until(() => stage.counters.refreshed > c1.refreshed);
    expect(stage.counters.lines).toBe(c1.lines);
  });

  it('a key redraws the focus and the pane lines under rewritten rows, nothing else', async () => {
    const f = fakeFleet(4);
    const { stage, text, until, keys, term } = open(f, 100, 30);
    await until(() => f.store.ids().every((id) => text().includes(`${id} output line 29`)));
    const before = focusSignature(term.screen);
    const c0 = { ...stage.counters };
    // Ink attaches its stdin listener in an effect that may run after the first frame is on
    // screen; a key written before it is lost (seen once in CI under load).
    await until(() => keys.listenerCount('readable') > 0);
    keys.write(KEY.tab);
    await until(() => focusSignature(term.screen) !== before);
    await until(() => f.store.ids().every((id) => text().includes(`${id} output line 29`)));
    // No pane's output was read again: the cells it had are put back where Ink rewrote a row.
    expect(stage.counters.refreshed).toBe(c0.refreshed);
    expect(stage.counters.rows - c0.rows).toBeLessThan(30);
  });

  it('a focus change renders only the two panes it moved between and measures no text', async () => {
    const f = fakeFleet(12);
    const { stage, text, until, keys, term } = open(f, 160, 48);
    await until(() => f.store.ids().every((id) => text().includes(`${id} output line 29`)));
    await until(() => keys.listenerCount('readable') > 0);
    const before = focusSignature(term.screen);
    const renders = new Map(paneRenders);
    const fitted = stage.dom.counters.fitted;
    const chrome = stage.counters.chrome;
    keys.write(KEY.tab);
    await until(() => focusSignature(term.screen) !== before);
    const again = f.store
      .ids()
      .filter((id) => (paneRenders.get(id) ?? 0) !== (renders.get(id) ?? 0));
    expect(again).toEqual(['ps1', 'ps2']);
    // The headers, bars and borders were all measured before: the frame only re-coloured.
    expect(stage.dom.counters.fitted).toBe(fitted);
    expect(stage.counters.chrome - chrome).toBe(1);
  });

  it('reports a key once its frame is written, with the moved focus already on screen', async () => {
    const f = fakeFleet(4);
    const seen: Array<{ readAt: number; writtenAt: number; focus: string }> = [];
    const at: { term?: VirtualTerminal } = {};
    const o = open(f, 100, 30, (readAt, writtenAt) =>
      seen.push({ readAt, writtenAt, focus: focusSignature(at.term!.screen) }),
    );
    at.term = o.term;
    await o.until(() => f.store.ids().every((id) => o.text().includes(`${id} output line 29`)));
    await o.until(() => o.keys.listenerCount('readable') > 0);
    const before = focusSignature(o.term.screen);
    o.keys.write(KEY.tab);
    await o.until(() => seen.length > 0);
    expect(seen).toHaveLength(1);
    expect(seen[0]!.focus).not.toBe(before);
    expect(seen[0]!.writtenAt).toBeGreaterThanOrEqual(seen[0]!.readAt);
  });

  it('never writes a control character an agent printed, only its colours', async () => {
    const f = fakeFleet(1);
    const { text, until, term } = open(f, 80, 24);
    const writes: string[] = [];
    const write = term.write.bind(term);
    term.write = (s: string) => {
      writes.push(s);
      return write(s);
    };
    f.sessions.get('ps1')!.print('\x1b[31mred\x1b[0m then \x1b]0;title\x07 and \x07bell');
    await until(() => text().includes('red then'));
    const all = writes.join('');
    expect(all).not.toContain('\x07');
    expect(all).not.toContain('\x1b]');
    expect(all).toContain('\x1b[31mred');
  });
});
