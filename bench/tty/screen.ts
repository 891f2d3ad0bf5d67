// A small virtual terminal: enough of VT100/xterm to replay what Ink writes (cursor moves,
// erase line/screen, SGR colours, autowrap, alternate screen) and answer "what is on screen
// now, and in which style". The probe reads frames through it instead of guessing from bytes.
import stringWidth from 'string-width';

const widthCache = new Map<string, number>();
function charWidth(ch: string): number {
  if (ch < '\u0300') return 1;
  let w = widthCache.get(ch);
  if (w === undefined) {
    w = stringWidth(ch);
    widthCache.set(ch, w);
  }
  return w;
}

export class Screen {
  chars: string[][] = [];
  styles: string[][] = [];
  row = 0;
  col = 0;
  private style = '';
  private fg = '';
  private bg = '';
  private readonly flags = new Set<number>();
  private pending = '';

  constructor(
    readonly cols: number,
    readonly rows: number,
  ) {
    this.clear(0, rows);
  }

  private blankRow(): { chars: string[]; styles: string[] } {
    return {
      chars: new Array<string>(this.cols).fill(' '),
      styles: new Array<string>(this.cols).fill(''),
    };
  }

  private clear(from: number, to: number): void {
    for (let r = from; r < to; r++) {
      const b = this.blankRow();
      this.chars[r] = b.chars;
      this.styles[r] = b.styles;
    }
  }

  private eraseInRow(r: number, from: number, to: number): void {
    for (let c = from; c < to; c++) {
      this.chars[r]![c] = ' ';
      this.styles[r]![c] = '';
    }
  }

  private lineFeed(): void {
    if (this.row < this.rows - 1) {
      this.row++;
      return;
    }
    this.chars.shift();
    this.styles.shift();
    const b = this.blankRow();
    this.chars.push(b.chars);
    this.styles.push(b.styles);
  }

  private put(ch: string): void {
    const w = charWidth(ch);
    if (w === 0) return;
    if (this.col + w > this.cols) {
      this.col = 0;
      this.lineFeed();
    }
    this.chars[this.row]![this.col] = ch;
    this.styles[this.row]![this.col] = this.style;
    if (w === 2 && this.col + 1 < this.cols) {
      this.chars[this.row]![this.col + 1] = '';
      this.styles[this.row]![this.col + 1] = this.style;
    }
    this.col += w;
  }

  private sgr(params: string): void {
    // Track the attributes as a terminal does (so the same look always gives the same style
    // string, whatever sequence produced it): enough to tell a focused border from the others.
    const p = params === '' ? [0] : params.split(';').map(Number);
    for (let i = 0; i < p.length; i++) {
      const n = p[i]!;
      if (n === 0) {
        this.fg = this.bg = '';
        this.flags.clear();
      } else if (n === 38 || n === 48) {
        const deep = p[i + 1] === 5 ? p.slice(i, i + 3) : p.slice(i, i + 5);
        i += deep.length - 1;
        if (n === 38) this.fg = deep.slice(1).join(':');
        else this.bg = deep.slice(1).join(':');
      } else if ((n >= 30 && n <= 37) || (n >= 90 && n <= 97)) this.fg = String(n);
      else if ((n >= 40 && n <= 47) || (n >= 100 && n <= 107)) this.bg = String(n);
      else if (n === 39) this.fg = '';
      else if (n === 49) this.bg = '';
      else if (n === 22) {
        this.flags.delete(1);
        this.flags.delete(2);
      } else if (n >= 23 && n <= 29) this.flags.delete(n - 20);
      else if (n >= 1 && n <= 9) this.flags.add(n);
    }
    this.style =
      this.fg || this.bg || this.flags.size
        ? `${this.fg}/${this.bg}/${[...this.flags].sort().join('')}`
        : '';
  }

  private csi(params: string, final: string): void {
    if (params.startsWith('?') || params.startsWith('>') || params.startsWith('=')) return;
    const nums = params.split(';').map((p) => (p === '' ? NaN : Number(p)));
    const n = Number.isFinite(nums[0]) ? nums[0]! : 1;
    const clampRow = (r: number) => Math.max(0, Math.min(this.rows - 1, r));
    const clampCol = (c: number) => Math.max(0, Math.min(this.cols - 1, c));
    switch (final) {
      case 'A':
        this.row = clampRow(this.row - n);
        break;
      case 'B':
        this.row = clampRow(this.row + n);
        break;
      case 'C':
        this.col = clampCol(this.col + n);
        break;
      case 'D':
        this.col = clampCol(this.col - n);
        break;
      case 'E':
        this.row = clampRow(this.row + n);
        this.col = 0;
        break;
      case 'F':
        this.row = clampRow(this.row - n);
        this.col = 0;
        break;
      case 'G':
        this.col = clampCol(n - 1);
        break;
      case 'H':
      case 'f':
        this.row = clampRow((Number.isFinite(nums[0]) ? nums[0]! : 1) - 1);
        this.col = clampCol((Number.isFinite(nums[1]) ? nums[1]! : 1) - 1);
        break;
      case 'J': {
        const mode = Number.isFinite(nums[0]) ? nums[0]! : 0;
        if (mode === 0) {
          this.eraseInRow(this.row, this.col, this.cols);
          this.clear(this.row + 1, this.rows);
        } else if (mode === 1) {
          this.clear(0, this.row);
          this.eraseInRow(this.row, 0, this.col + 1);
        } else this.clear(0, this.rows);
        break;
      }
      case 'K': {
        const mode = Number.isFinite(nums[0]) ? nums[0]! : 0;
        if (mode === 0) this.eraseInRow(this.row, this.col, this.cols);
        else if (mode === 1) this.eraseInRow(this.row, 0, this.col + 1);
        else this.eraseInRow(this.row, 0, this.cols);
        break;
      }
      case 'm':
        this.sgr(params);
        break;
      default:
        break;
    }
  }

  /** Apply terminal output. Escape sequences split across calls are kept for the next call. */
  write(data: string): void {
    const s = this.pending + data;
    this.pending = '';
    let i = 0;
    while (i < s.length) {
      const ch = s[i]!;
      if (ch === '\x1b') {
        const next = s[i + 1];
        if (next === undefined) break;
        if (next === '[') {
          let j = i + 2;
          while (j < s.length && !/[@-~]/.test(s[j]!)) j++;
          if (j >= s.length) break;
          this.csi(s.slice(i + 2, j), s[j]!);
          i = j + 1;
        } else if (next === ']' || next === 'P' || next === '_') {
          // OSC / DCS / APC: skip to BEL or ST (window titles, desktop notifications).
          const bel = s.indexOf('\x07', i);
          const st = s.indexOf('\x1b\\', i);
          const end = bel < 0 ? st : st < 0 ? bel : Math.min(bel, st);
          if (end < 0) break;
          i = end + (end === st ? 2 : 1);
        } else if (next === 'c') {
          this.clear(0, this.rows);
          this.row = this.col = 0;
          i += 2;
        } else {
          i += next === '(' || next === ')' ? 3 : 2;
        }
        continue;
      }
      if (ch === '\r') this.col = 0;
      else if (ch === '\n') this.lineFeed();
      else if (ch === '\b') this.col = Math.max(0, this.col - 1);
      else if (ch === '\t') this.col = Math.min(this.cols - 1, (Math.floor(this.col / 8) + 1) * 8);
      else if (ch >= ' ') {
        const cp = s.codePointAt(i)!;
        const glyph = String.fromCodePoint(cp);
        this.put(glyph);
        i += glyph.length;
        continue;
      }
      i++;
    }
    if (i < s.length) this.pending = s.slice(i);
  }

  text(row: number): string {
    return this.chars[row]!.join('');
  }

  lines(): string[] {
    return this.chars.map((r) => r.join(''));
  }
}
