import { PaneLines } from './pane-lines.js';

/** Where a pane body sits on the screen (0-based cells) and where its lines come from. */
export interface Region {
  x: number;
  y: number;
  width: number;
  height: number;
  tail(n: number): string[];
  /** Where the region is now (after a layout); called with every frame of Ink. */
  locate?(): { x: number; y: number };
}

interface Placed {
  region: Region;
  lines: PaneLines;
  /** The cells wanted on each row of the region, and what is on the screen now (null: unknown). */
  wanted: Buffer[] | null;
  written: Array<Buffer | null>;
  /** Per row of the region: the cursor move to its first cell and the colours reset, as bytes. */
  moves: Buffer[];
}

/** Cursor to each row of `r` and colours off, encoded once per placement. */
function movesOf(r: Region): Buffer[] {
  return Array.from({ length: r.height }, (_, k) =>
    Buffer.from(`${cursorAt(r.y + k, r.x)}\x1b[0m`),
  );
}

const sameCells = (a: Region, b: Region) =>
  a.x === b.x && a.y === b.y && a.width === b.width && a.height === b.height;

/** Cursor to a 0-based cell. */
export const cursorAt = (row: number, col: number) => `\x1b[${row + 1};${col + 1}H`;

/**
 * The pane bodies the stage draws beside Ink's chrome: where each sits, its lines fitted to its
 * width once (PaneLines), and which of its rows the screen shows now, so a flush writes only the
 * rows that differ. `uncover(y, height)` is told when a body leaves rows of the screen (removed,
 * moved): the chrome's rows there must be written again.
 */
export class PaneRegions {
  private readonly placed = new Map<string, Placed>();

  constructor(private readonly uncover: (y: number, height: number) => void) {}

  has(id: string): boolean {
    return this.placed.has(id);
  }

  /** Place (or move) a pane body; false when it is where it was (nothing to draw). */
  place(id: string, region: Region): boolean {
    const prev = this.placed.get(id);
    if (prev && sameCells(prev.region, region)) {
      prev.region = region;
      return false;
    }
    if (prev) this.uncover(prev.region.y, prev.region.height);
    this.placed.set(id, {
      region,
      lines: new PaneLines(region.width),
      wanted: null,
      written: [],
      moves: movesOf(region),
    });
    return true;
  }

  /** The pane body is gone (zoom, a panel): false when it was not placed. */
  remove(id: string): boolean {
    const p = this.placed.get(id);
    if (!p) return false;
    this.placed.delete(id);
    this.uncover(p.region.y, p.region.height);
    return true;
  }

  /** The screen is unknown: every body's rows are written again. */
  invalidate(): void {
    for (const p of this.placed.values()) p.written = [];
  }

  /** After a layout: bodies whose region moved are drawn again at their new place. */
  relocate(): void {
    for (const p of this.placed.values()) {
      const now = p.region.locate?.();
      if (!now || (now.x === p.region.x && now.y === p.region.y)) continue;
      this.uncover(p.region.y, p.region.height);
      p.region = { ...p.region, ...now };
      p.moves = movesOf(p.region);
      p.written = [];
    }
  }

  /** A chrome row was written over the whole width: the bodies' cells on it are unknown now. */
  rowOverwritten(row: number): void {
    for (const p of this.placed.values()) {
      const k = row - p.region.y;
      if (k >= 0 && k < p.region.height) p.written[k] = null;
    }
  }

  /**
   * Append to `parts` the body rows that differ from the screen; the bodies in `reread` (output
   * moved) and those never fitted are read from their tails first.
   */
  draw(
    parts: Uint8Array[],
    reread: ReadonlySet<string> | null,
    counters: { refreshed: number; lines: number },
  ): void {
    for (const [id, p] of this.placed) {
      const { region } = p;
      if (p.wanted === null || reread?.has(id)) {
        p.wanted = p.lines.cells(region.tail(region.height), region.height);
        counters.refreshed++;
      }
      for (let k = 0; k < region.height; k++) {
        const cell = p.wanted[k]!;
        if (p.written[k] === cell) continue;
        parts.push(p.moves[k]!, cell);
        p.written[k] = cell;
        counters.lines++;
      }
    }
  }
}
