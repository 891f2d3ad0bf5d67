import stringWidth from 'string-width';
import { sanitize } from '../../text/sanitize.js';
import { fitLines } from '../fit.js';

// Only plain SGR (colours) survives; anything else that is a control shows as text. Ingest
// already removed the rest (core/sessions/output): this is the stage's own guard, run once
// per new line, never per frame.
const SGR_OR_CONTROL =
  // eslint-disable-next-line no-control-regex
  /(\x1b\[[0-9;:]*m)|[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
const HAS_CONTROL =
  // eslint-disable-next-line no-control-regex
  /[\u0000-\u001a\u001c-\u001f\u007f-\u009f\u2028-\u202e\u2066-\u2069]|\x1b(?!\[[0-9;:]*m)/;

export function terminalSafe(line: string): string {
  if (!HAS_CONTROL.test(line)) return line;
  return line.replace(SGR_OR_CONTROL, (m, sgr: string | undefined) => sgr ?? sanitize(m));
}

/**
 * The common case without measuring: printable ASCII and SGR only, each character one column.
 * Cut like cli-truncate's `end` (the last column shows `…`). Undefined for anything else (wide
 * or combining characters, tabs), which takes the general path.
 */
function fitAscii(line: string, width: number): { text: string; used: number } | undefined {
  let cols = 0;
  let i = 0;
  let cut = -1;
  while (i < line.length) {
    const c = line.charCodeAt(i);
    if (c === 0x1b) {
      const end = line.indexOf('m', i);
      if (end < 0) return undefined;
      i = end + 1;
      continue;
    }
    if (c < 0x20 || c > 0x7e) return undefined;
    if (cols === width - 1) cut = i;
    cols++;
    i++;
    if (cols > width) {
      // Too wide: keep width − 1 columns (and the SGR between them), then the ellipsis.
      return { text: `${line.slice(0, cut)}…`, used: width };
    }
  }
  return { text: line, used: cols };
}

/**
 * One pane body's lines as cells to write: each line fitted to the width, colours closed and
 * padded with blanks to exactly `width` columns (so a shorter line overwrites a longer one),
 * encoded to UTF-8 bytes once. Measured, sliced and encoded once per line: the lines still
 * visible at the next refresh are looked up by the string itself (the ring buffer hands out the
 * same strings), not measured again, and a frame is copied together from these bytes.
 */
export class PaneLines {
  /** The lines of the last refresh and their cells, top to bottom. */
  private lines: string[] = [];
  private fitted: Buffer[] = [];
  private blank: Buffer;

  constructor(readonly width: number) {
    this.blank = Buffer.from(' '.repeat(width));
  }

  /** The cells for `raw` lines, top to bottom, `height` of them (blank rows below the output). */
  cells(raw: readonly string[], height: number): Buffer[] {
    const out = new Array<Buffer>(height);
    const lines: string[] = [];
    const fitted: Buffer[] = [];
    const prev = this.lines;
    const first = Math.max(0, raw.length - height);
    // Output scrolls: the lines of the last refresh come again in order, shifted up. `j` is where
    // the next one is expected; a line not there is searched for, and fitted when it is new.
    let j = 0;
    for (let i = 0; i < height; i++) {
      const line = raw[first + i];
      if (line === undefined) {
        out[i] = this.blank;
        continue;
      }
      let cell: Buffer;
      if (prev[j] === line) cell = this.fitted[j++]!;
      else {
        const k = prev.indexOf(line);
        if (k >= 0) {
          cell = this.fitted[k]!;
          j = k + 1;
        } else cell = this.fit(line);
      }
      lines.push(line);
      fitted.push(cell);
      out[i] = cell;
    }
    this.lines = lines;
    this.fitted = fitted;
    return out;
  }

  private fit(line: string): Buffer {
    const safe = terminalSafe(line);
    let fitted = fitAscii(safe, this.width);
    if (!fitted) {
      const text = fitLines([safe], this.width);
      fitted = { text, used: stringWidth(text) };
    }
    const pad = this.width - fitted.used;
    return Buffer.from(`${fitted.text}\x1b[0m${pad > 0 ? ' '.repeat(pad) : ''}`);
  }
}
