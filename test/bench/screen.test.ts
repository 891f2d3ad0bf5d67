// The benchmark's virtual terminal: figures 2, 3, 4 and 6 are read from it, so it must replay
// what Ink writes exactly (full-screen clears, incremental line rewrites, styles, wide chars).
import { describe, expect, it } from 'vitest';
import { focusSignature } from '../../bench/load/focus.js';
import { StampTracker } from '../../bench/load/stamps.js';
import { Screen } from '../../bench/tty/screen.js';

describe('bench Screen', () => {
  it('replays clear-terminal frames, cursor moves and erase-line like a terminal', () => {
    const s = new Screen(10, 3);
    // Through a pty, Ink's \n arrives as \r\n (onlcr).
    s.write('\x1b[2J\x1b[3J\x1b[Haaaa\r\nbbbb\r\ncccc');
    s.write('\x1b[1A\x1b[G\x1b[1;31mXY\x1b[0m\x1b[K');
    expect(s.lines().map((l) => l.trimEnd())).toEqual(['aaaa', 'XY', 'cccc']);
    expect(s.styles[1]![0]).toBe('31//1');
    expect(s.styles[1]![2]).toBe('');
  });

  it('keeps an escape sequence split across writes and counts wide characters as two cells', () => {
    const s = new Screen(6, 2);
    s.write('界a\x1b[');
    s.write('1Db');
    expect(s.chars[0]!.slice(0, 3)).toEqual(['界', '', 'b']);
  });

  it('gives the same look the same style whatever sequence drew it', () => {
    const s = new Screen(5, 1);
    s.write('\x1b[90mA\x1b[39m\x1b[36mB\x1b[39m\x1b[90mC\x1b[39mD\x1b[1;38;5;208mE');
    expect(s.styles[0]).toEqual(['90//', '36//', '90//', '', '5:208//1']);
    s.write('\r\x1b[22mx');
    expect(s.styles[0]![0]).toBe('5:208//');
  });

  it('scrolls at the bottom and wraps long lines', () => {
    const s = new Screen(4, 2);
    s.write('abcdef\r\nxy');
    expect(s.lines()).toEqual(['ef  ', 'xy  ']);
  });
});

describe('bench focus and stamps', () => {
  it('finds the pane whose border differs from the others, and when it moves', () => {
    const s = new Screen(20, 3);
    s.write('╔══╗╭──╮╭──╮');
    const first = focusSignature(s);
    s.write('\x1b[H╭──╮╔══╗');
    expect(first).toBe('0:0');
    expect(focusSignature(s)).toBe('0:4');
  });

  it('sees the focus move whatever corner-like characters the panes print', () => {
    // Agents print `+` and box characters: more of them than the panes' corners must not hide
    // the one border that differs.
    const s = new Screen(30, 2);
    s.write('╔══╗╭──╮╭──╮\r\n+1 +2 +3 +4 +5 ╭a ╔b');
    const first = focusSignature(s);
    s.write('\x1b[H╭──╮╔══╗');
    expect(first).toBe('0:0');
    expect(focusSignature(s)).toBe('0:4');
  });

  it('counts each stamped line once, at its first frame, inside the window only', () => {
    const s = new Screen(40, 2);
    const t = 1_764_000_000_000;
    const stamps = new StampTracker(t, t + 1000);
    s.write(`@${t.toString(36)} ps1 hello\r\n@${(t - 5000).toString(36)} ps2 old`);
    stamps.scan(s, t + 40);
    stamps.scan(s, t + 80);
    expect(stamps.lags).toEqual([40]);
  });
});
