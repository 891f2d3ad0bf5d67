// Render an Ink tree into an in-memory terminal of a given size (ink-testing-library's stdout
// is fixed at 100 columns; the grid tests need 80×24 up to 160×48 and resizes).
import { EventEmitter } from 'node:events';
import type { ReactElement } from 'react';
import { render } from 'ink';
import stripAnsi from 'strip-ansi';
import { vi } from 'vitest';

class Term extends EventEmitter {
  frames: string[] = [];
  isTTY = false;
  constructor(
    public columns: number,
    public rows: number,
  ) {
    super();
  }
  write = (frame: string) => {
    this.frames.push(frame);
    return true;
  };
  lastFrame = () => stripAnsi(this.frames[this.frames.length - 1] ?? '');
}

export class Keys extends EventEmitter {
  isTTY = true;
  data: string | null = null;
  write = (data: string) => {
    this.data = data;
    this.emit('readable');
    this.emit('data', data);
  };
  setEncoding() {}
  setRawMode() {}
  resume() {}
  pause() {}
  ref() {}
  unref() {}
  read = () => {
    const d = this.data;
    this.data = null;
    return d;
  };
}

export interface TuiHandle {
  stdout: Term;
  stdin: Keys;
  /** The last frame without colours. */
  frame(): string;
  resize(cols: number, rows: number): void;
  press(...keys: string[]): Promise<void>;
  waitFor(pred: (frame: string) => boolean, ms?: number): Promise<string>;
  unmount(): void;
}

export const KEY = {
  up: '\u001B[A',
  down: '\u001B[B',
  right: '\u001B[C',
  left: '\u001B[D',
  enter: '\r',
  escape: '\u001B',
  tab: '\t',
  shiftTab: '\u001B[Z',
  backspace: '\u007F',
};

const tick = () => new Promise((r) => setTimeout(r, 5));

/** Keys typed one at a time, each handled before the next (Ink reads a burst as one paste). */
export async function typeKeys(stdin: { write(s: string): unknown }, keys: string[]) {
  // Ink attaches its stdin listener in an effect that can run after the first frame is drawn;
  // a key written before that is lost (seen under CI load).
  if (stdin instanceof EventEmitter)
    await vi.waitFor(
      () => {
        if (stdin.listenerCount('readable') === 0) throw new Error('Ink is not reading keys yet');
      },
      { timeout: 3000, interval: 5 },
    );
  for (const k of keys) {
    stdin.write(k);
    await tick();
    // Escape is only known to be a lone Esc after Ink's short timeout: not a wait on a result.
    if (k === KEY.escape) await new Promise((r) => setTimeout(r, 60));
  }
}

/** The frame once `pred` holds for it (vi.waitFor, checked every 5 ms). */
export function waitForFrame(
  frame: () => string,
  pred: (frame: string) => boolean,
  ms = 3000,
): Promise<string> {
  return vi.waitFor(
    () => {
      const f = frame();
      if (!pred(f)) throw new Error(`timed out waiting; last frame:\n${f}`);
      return f;
    },
    { timeout: ms, interval: 5 },
  );
}

export function renderTui(tree: ReactElement, cols: number, rows: number): TuiHandle {
  const stdout = new Term(cols, rows);
  const stdin = new Keys();
  const inst = render(tree, {
    stdout: stdout as unknown as NodeJS.WriteStream,
    stdin: stdin as unknown as NodeJS.ReadStream,
    stderr: new Term(cols, rows) as unknown as NodeJS.WriteStream,
    debug: true,
    exitOnCtrlC: false,
    patchConsole: false,
  });
  const handle: TuiHandle = {
    stdout,
    stdin,
    frame: () => stdout.lastFrame(),
    resize(c, r) {
      stdout.columns = c;
      stdout.rows = r;
      stdout.emit('resize');
    },
    async press(...keys) {
      await typeKeys(stdin, keys);
      await tick();
    },
    waitFor: (pred, ms) => waitForFrame(() => stdout.lastFrame(), pred, ms),
    unmount: () => inst.unmount(),
  };
  return handle;
}
