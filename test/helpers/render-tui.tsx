// Render an Ink tree into an in-memory terminal of a given size (ink-testing-library's stdout
// is fixed at 100 columns; the grid tests need 80×24 up to 160×48 and resizes).
import { EventEmitter } from 'node:events';
import type { ReactElement } from 'react';
import { render } from 'ink';
import stripAnsi from 'strip-ansi';

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
      for (const k of keys) {
        stdin.write(k);
        // Escape is only known to be a lone Esc after Ink's short timeout.
        await tick();
        if (k === KEY.escape) await new Promise((r) => setTimeout(r, 60));
      }
      await tick();
    },
    async waitFor(pred, ms = 3000) {
      const end = Date.now() + ms;
      for (;;) {
        const f = stdout.lastFrame();
        if (pred(f)) return f;
        if (Date.now() > end) throw new Error(`timed out waiting; last frame:\n${f}`);
        await tick();
      }
    },
    unmount: () => inst.unmount(),
  };
  return handle;
}
