// The first frame drawn before Ink is loaded (app/first-frame.ts): Ink's first frame must find
// the screen already right (no chrome row written again, nothing flickers), and a frame kept for
// other inputs (config, size, build) is never drawn.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { drawFirstFrame, frameBytes, keepFirstFrame } from '../../src/app/first-frame.js';
import type { Instance } from 'ink';
import type { TerminalStage } from '../../src/ui/output/stage.js';
import { fakeFleet, type FakeFleet } from '../helpers/fake-fleet.js';
import { renderStaged } from '../helpers/staged-tui.js';
import { VirtualTerminal } from '../helpers/virtual-terminal.js';

const open: Array<{ ink: Instance; stage: TerminalStage }> = [];
const dirs: string[] = [];
afterEach(() => {
  for (const o of open.splice(0)) {
    o.ink.unmount();
    o.stage.close();
  }
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** The TUI as run-tui starts it, on a terminal that may already show a first frame. */
async function start(f: FakeFleet, term: VirtualTerminal, seed?: string[]) {
  let first: string[] | null = null;
  const { ink, stage } = renderStaged(f, term, { seed, onFirstChrome: (rows) => (first = rows) });
  open.push({ ink, stage });
  await vi.waitFor(() => expect(first !== null && stage.counters.flushes > 0).toBe(true), {
    timeout: 5000,
    interval: 5,
  });
  return { stage, rows: first! };
}

describe('first frame before Ink', () => {
  it.each([
    [2, 80, 24],
    [4, 100, 30],
    [7, 120, 40],
    [12, 160, 48],
  ])(
    '%i panes at %i×%i: Ink starts from the kept frame and writes no chrome row',
    async (n, cols, rows) => {
      const f = fakeFleet(n);
      const a = new VirtualTerminal(cols, rows);
      const first = await start(f, a);
      const drawn = a.screen.lines();

      // The next start: the kept rows are on the screen before Ink is loaded...
      const b = new VirtualTerminal(cols, rows);
      b.write(frameBytes(first.rows));
      expect(b.screen.lines()).toEqual(drawn);
      for (const id of f.store.ids()) expect(b.screen.lines().join('\n')).toContain(id);
      const styles = b.screen.styles.map((r) => r.join('|'));
      // ...and Ink's first frame is the same frame: no chrome row is written, the screen is unchanged.
      const again = await start(fakeFleet(n), b, first.rows);
      expect(again.rows).toEqual(first.rows);
      expect(again.stage.counters.rows).toBe(0);
      expect(b.screen.lines()).toEqual(drawn);
      expect(b.screen.styles.map((r) => r.join('|'))).toEqual(styles);
    },
  );

  it('draws the kept frame only for the same config, terminal size and build', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'fleet-first-frame-'));
    dirs.push(dir);
    execFileSync('git', ['init', '-q', dir]);
    const config = { ...fakeFleet(3).config, rootDir: dir };
    const written: string[] = [];
    const term = (columns: number, rows: number) => ({
      isTTY: true,
      columns,
      rows,
      write: (s: string) => written.push(s) > 0,
    });
    const tty = { stdin: { isTTY: true }, build: 'b1' };

    const cold = drawFirstFrame(config, term(100, 30), tty);
    expect(cold?.drawn).toBeNull();
    expect(written).toEqual([]);
    const rows = ['top bar', '╭─ ps1 ─╮', 'bottom'];
    await keepFirstFrame(cold!, rows);

    const warm = drawFirstFrame(config, term(100, 30), tty);
    expect(warm?.drawn).toEqual(rows);
    expect(written).toEqual([frameBytes(rows)]);

    // Another size, another config, another build, or no terminal: nothing is drawn early.
    expect(drawFirstFrame(config, term(101, 30), tty)?.drawn).toBeNull();
    const renamed = {
      ...config,
      roles: { ...config.roles, [config.instances[0]!.role]: { title: 'Renamed', paths: [] } },
    };
    expect(drawFirstFrame(renamed, term(100, 30), tty)?.drawn).toBeNull();
    expect(drawFirstFrame(config, term(100, 30), { ...tty, build: 'b2' })?.drawn).toBeNull();
    expect(drawFirstFrame(config, term(100, 30), { ...tty, build: null })).toBeNull();
    expect(
      drawFirstFrame(config, term(100, 30), { stdin: { isTTY: false }, build: 'b1' }),
    ).toBeNull();
    expect(written).toHaveLength(1);

    // Ink's frame differs from the kept one (the UI changed): the new one is kept instead.
    await keepFirstFrame(warm!, ['top bar', '╔═ ps1 ═╗', 'bottom']);
    expect(drawFirstFrame(config, term(100, 30), tty)?.drawn).toEqual([
      'top bar',
      '╔═ ps1 ═╗',
      'bottom',
    ]);
  });
});
