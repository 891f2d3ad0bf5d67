/** Grid geometry: pure functions, tested without a terminal. */
const MIN_PANE_WIDTH = 24;
/** Border (2) + header (1) + at least one line of output. */
const MIN_PANE_HEIGHT = 4;
/** Panes narrower than this lose most of the header; prefer fewer columns when possible. */
const COMFORT_WIDTH = 36;
/** Lines outside the grid: top bar and bottom bar, plus one spare line so the frame is always
 * shorter than the terminal (Ink clears the whole screen on every frame otherwise). */
export const CHROME_LINES = 3;

/** Lines a zoomed pane can scroll back at most (the session's ring buffer may hold fewer). */
export const ZOOM_SCROLLBACK = 5000;

export interface GridLayout {
  cols: number;
  rows: number;
  /** Width of each column and height of each row; they add up to the area exactly. */
  colWidths: number[];
  rowHeights: number[];
}

function split(total: number, parts: number): number[] {
  const base = Math.floor(total / parts);
  const extra = total % parts;
  return Array.from({ length: parts }, (_, k) => base + (k < extra ? 1 : 0));
}

/**
 * The best grid for `n` panes in `width`×`height` cells (the grid area, without bars), or null
 * when even the smallest panes do not fit. Chooses the column count that gives the most output
 * cells, discounting cramped widths.
 */
export function computeLayout(n: number, width: number, height: number): GridLayout | null {
  if (n < 1) return { cols: 1, rows: 1, colWidths: [width], rowHeights: [height] };
  let best: { cols: number; rows: number; score: number } | null = null;
  for (let cols = 1; cols <= n; cols++) {
    const rows = Math.ceil(n / cols);
    const w = Math.floor(width / cols);
    const h = Math.floor(height / rows);
    if (w < MIN_PANE_WIDTH || h < MIN_PANE_HEIGHT) continue;
    const score = Math.min(w - 2, 100) * (h - 3) * (w < COMFORT_WIDTH ? 0.6 : 1);
    if (!best || score > best.score) best = { cols, rows, score };
  }
  if (!best) return null;
  return {
    cols: best.cols,
    rows: best.rows,
    colWidths: split(width, best.cols),
    rowHeights: split(height, best.rows),
  };
}

/** The smallest terminal (columns × rows) that shows `n` panes, keeping the current width. */
export function minimumSize(n: number, width: number): { cols: number; rows: number } {
  const cols = Math.max(1, Math.min(n, Math.floor(width / MIN_PANE_WIDTH)));
  return {
    cols: cols * MIN_PANE_WIDTH,
    rows: Math.ceil(n / cols) * MIN_PANE_HEIGHT + CHROME_LINES,
  };
}

export type Direction = 'left' | 'right' | 'up' | 'down';

/** Spatial focus movement in a row-major grid of `n` panes with `cols` columns. */
export function moveFocus(index: number, dir: Direction, n: number, cols: number): number {
  const row = Math.floor(index / cols);
  const col = index % cols;
  const lastRow = Math.floor((n - 1) / cols);
  switch (dir) {
    case 'left':
      return col > 0 ? index - 1 : index;
    case 'right':
      return col < cols - 1 && index + 1 < n ? index + 1 : index;
    case 'up':
      return row > 0 ? index - cols : index;
    case 'down':
      // Into a shorter last row: land on its last pane rather than nowhere.
      return row < lastRow ? Math.min(index + cols, n - 1) : index;
  }
}
