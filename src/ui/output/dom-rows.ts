import type { DOMElement } from 'ink';
import chalk from 'chalk';
import cliBoxes, { type BoxStyle } from 'cli-boxes';
import cliTruncate from 'cli-truncate';
import sliceAnsi from 'slice-ansi';
import stringWidth from 'string-width';
import wrapAnsi from 'wrap-ansi';
import { colorize } from './colorize.js';
import { terminalSafe } from './pane-lines.js';
import { TwoFrameCache } from './two-frame-cache.js';

type Transform = (s: string, index: number) => string;
type Child = DOMElement['childNodes'][number];
interface Clip {
  x1: number;
  x2: number;
  y1: number;
  y2: number;
}
/** A run of styled text on one row: `w` columns from column `x`. */
interface Piece {
  x: number;
  w: number;
  s: string;
}

// Yoga's edges (yoga-layout's Edge enum), for the computed padding and border of a node.
const LEFT = 0;
const TOP = 1;
const RIGHT = 2;
const BOTTOM = 3;

export interface DomRowsCounters {
  /** Text lines fitted (measured, wrapped or truncated): the costly part, cached per string. */
  fitted: number;
}

/**
 * Ink's laid-out tree (its DOM after Yoga's layout) as terminal rows, one string per row — what
 * Ink's own renderer makes, without its per-frame cost: Ink builds a cell object for every cell
 * of the screen and tokenizes and re-measures every text each frame; here each text is placed
 * as a run on its row, and what measuring and fitting costs is cached per string (a focus change
 * re-colours two borders and measures nothing). Same rules as Ink's renderNodeToOutput: borders
 * from cli-boxes, `wrap`/`truncate-*` text, `overflow: hidden` clips, later writes on top.
 */
export class DomRows {
  readonly counters: DomRowsCounters = { fitted: 0 };
  private readonly widths = new TwoFrameCache<string, number>();
  private readonly fits = new TwoFrameCache<string, string[]>();
  private rows: Piece[][] = [];

  /** The rows of the tree under `root`, `height` of them. */
  render(root: DOMElement, height: number): string[] {
    this.rows = Array.from({ length: height }, () => []);
    this.node(root, 0, 0, [], null);
    const out = this.rows.map(joinRow);
    this.widths.turn();
    this.fits.turn();
    return out;
  }

  private node(node: Child, ox: number, oy: number, ts: Transform[], clip: Clip | null): void {
    if (node.nodeName === '#text') return;
    const yoga = node.yogaNode;
    if (!yoga || node.style.display === 'none') return;
    const x = ox + yoga.getComputedLeft();
    const y = oy + yoga.getComputedTop();
    const own = node.internal_transform;
    const transforms = own ? [own, ...ts] : ts;
    if (node.nodeName === 'ink-text') {
      const text = squash(node);
      if (!text) return;
      const max =
        yoga.getComputedWidth() - yoga.getComputedPadding(LEFT) - yoga.getComputedPadding(RIGHT);
      const lines = this.fit(text, max, node.style.textWrap ?? 'wrap');
      lines.forEach((line, i) => {
        let s = line;
        for (const t of transforms) s = t(s, i);
        this.write(x, y + i, s, clip);
      });
      return;
    }
    let inner = clip;
    if (node.nodeName === 'ink-box') {
      this.background(node, x, y);
      this.border(node, x, y);
      const st = node.style;
      const hideX = st.overflowX === 'hidden' || st.overflow === 'hidden';
      const hideY = st.overflowY === 'hidden' || st.overflow === 'hidden';
      // Like Ink: a nested clip replaces the outer one on the axis it clips.
      if (hideX || hideY) {
        const w = yoga.getComputedWidth();
        const h = yoga.getComputedHeight();
        inner = {
          x1: hideX ? x + yoga.getComputedBorder(LEFT) : -Infinity,
          x2: hideX ? x + w - yoga.getComputedBorder(RIGHT) : Infinity,
          y1: hideY ? y + yoga.getComputedBorder(TOP) : -Infinity,
          y2: hideY ? y + h - yoga.getComputedBorder(BOTTOM) : Infinity,
        };
      }
    }
    for (const child of node.childNodes) this.node(child, x, y, transforms, inner);
  }

  /** The lines of `text` within `max` columns, as Ink's wrapText would make them. */
  private fit(text: string, max: number, wrap: string): string[] {
    const key = `${max}\u0000${wrap}\u0000${text}`;
    let lines = this.fits.get(key);
    if (lines === undefined) {
      this.counters.fitted++;
      let t = text;
      const widest = Math.max(...text.split('\n').map((l) => this.width(l)));
      if (widest > max) {
        if (wrap === 'wrap') t = wrapAnsi(text, max, { trim: false, hard: true });
        else if (wrap.startsWith('truncate')) {
          const position =
            wrap === 'truncate-middle' ? 'middle' : wrap === 'truncate-start' ? 'start' : 'end';
          t = cliTruncate(text, max, { position });
        }
      }
      lines = t.split('\n');
      this.fits.set(key, lines);
    }
    return lines;
  }

  private width(s: string): number {
    let w = this.widths.get(s);
    if (w === undefined) {
      w = stringWidth(s);
      this.widths.set(s, w);
    }
    return w;
  }

  private background(node: DOMElement, x: number, y: number): void {
    const bg = node.style.backgroundColor;
    const yoga = node.yogaNode!;
    if (!bg) return;
    const l = yoga.getComputedBorder(LEFT);
    const t = yoga.getComputedBorder(TOP);
    const w = yoga.getComputedWidth() - l - yoga.getComputedBorder(RIGHT);
    const h = yoga.getComputedHeight() - t - yoga.getComputedBorder(BOTTOM);
    if (w <= 0) return;
    const fill = colorize(' '.repeat(w), bg, 'background');
    for (let r = 0; r < h; r++) this.write(x + l, y + t + r, fill, null);
  }

  private border(node: DOMElement, x: number, y: number): void {
    const st = node.style;
    if (!st.borderStyle) return;
    const yoga = node.yogaNode!;
    const w = yoga.getComputedWidth();
    const h = yoga.getComputedHeight();
    const box: BoxStyle =
      typeof st.borderStyle === 'string' ? cliBoxes[st.borderStyle] : st.borderStyle;
    const paint = (s: string, color: string | undefined, dim: boolean | undefined) => {
      const c = colorize(s, color, 'foreground');
      return dim ? chalk.dim(c) : c;
    };
    const top = st.borderTop !== false;
    const bottom = st.borderBottom !== false;
    const left = st.borderLeft !== false;
    const right = st.borderRight !== false;
    const inner = Math.max(0, w - (left ? 1 : 0) - (right ? 1 : 0));
    const edge = (l: string, mid: string, r: string) =>
      (left ? l : '') + mid.repeat(inner) + (right ? r : '');
    if (top)
      this.write(
        x,
        y,
        paint(
          edge(box.topLeft, box.top, box.topRight),
          st.borderTopColor ?? st.borderColor,
          st.borderTopDimColor ?? st.borderDimColor,
        ),
        null,
      );
    const l = paint(
      box.left,
      st.borderLeftColor ?? st.borderColor,
      st.borderLeftDimColor ?? st.borderDimColor,
    );
    const r = paint(
      box.right,
      st.borderRightColor ?? st.borderColor,
      st.borderRightDimColor ?? st.borderDimColor,
    );
    for (let k = top ? 1 : 0; k < h - (bottom ? 1 : 0); k++) {
      if (left) this.write(x, y + k, l, null);
      if (right) this.write(x + w - 1, y + k, r, null);
    }
    if (bottom)
      this.write(
        x,
        y + h - 1,
        paint(
          edge(box.bottomLeft, box.bottom, box.bottomRight),
          st.borderBottomColor ?? st.borderColor,
          st.borderBottomDimColor ?? st.borderDimColor,
        ),
        null,
      );
  }

  /** Put a run of text on its row, cut to the clip; it covers what it overlaps. */
  private write(x: number, y: number, text: string, clip: Clip | null): void {
    const row = this.rows[y];
    if (!row || text === '') return;
    let s = terminalSafe(text);
    let w = this.width(s);
    if (clip) {
      if (y < clip.y1 || y >= clip.y2) return;
      const from = Math.max(0, clip.x1 - x);
      const to = Math.min(w, clip.x2 - x);
      if (to <= from) return;
      if (from > 0 || to < w) {
        s = sliceAnsi(s, from, to);
        x += from;
        w = to - from;
      }
    }
    if (w > 0) place(row, { x, w, s });
  }
}

/** Ink's squashTextNodes: a text node's children as one string, nested styles applied. */
function squash(node: DOMElement): string {
  let text = '';
  node.childNodes.forEach((child, index) => {
    if (child.nodeName === '#text') {
      text += child.nodeValue;
      return;
    }
    let t =
      child.nodeName === 'ink-text' || child.nodeName === 'ink-virtual-text' ? squash(child) : '';
    if (t.length > 0 && child.internal_transform) t = child.internal_transform(t, index);
    text += t;
  });
  return text;
}

/** Insert `p` in a row kept sorted by column, cutting whatever it overlaps (rare: borders and
 * texts sit side by side). */
function place(row: Piece[], p: Piece): void {
  const end = p.x + p.w;
  let i = 0;
  while (i < row.length && row[i]!.x + row[i]!.w <= p.x) i++;
  const keep: Piece[] = [];
  let j = i;
  for (; j < row.length && row[j]!.x < end; j++) {
    const q = row[j]!;
    if (q.x < p.x) keep.push({ x: q.x, w: p.x - q.x, s: sliceAnsi(q.s, 0, p.x - q.x) });
    if (q.x + q.w > end) keep.push({ x: end, w: q.x + q.w - end, s: sliceAnsi(q.s, end - q.x) });
  }
  const before = keep.filter((q) => q.x < p.x);
  const after = keep.filter((q) => q.x >= end);
  row.splice(i, j - i, ...before, p, ...after);
}

function joinRow(row: Piece[]): string {
  let out = '';
  let col = 0;
  for (const p of row) {
    if (p.x > col) out += ' '.repeat(p.x - col);
    out += p.s;
    if (p.s.includes('\x1b')) out += '\x1b[0m';
    col = p.x + p.w;
  }
  return out;
}
