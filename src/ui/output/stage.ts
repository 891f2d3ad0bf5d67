import type { DOMElement } from 'ink';
import { DomRows } from './dom-rows.js';
import { cursorAt as at, PaneRegions, type Region } from './pane-regions.js';

export type { Region } from './pane-regions.js';

export interface StageTerminal {
  write(s: string | Uint8Array): unknown;
  readonly rows?: number;
}

export interface StageCounters {
  flushes: number;
  /** Whole rows of Ink's frame written. */
  rows: number;
  /** Pane body lines written. */
  lines: number;
  /** Pane bodies whose output was read and fitted. */
  refreshed: number;
  /** Frames of the chrome made from Ink's tree (DomRows). */
  chrome: number;
}

const BSU = Buffer.from('\x1b[?2026h');
const ESU = Buffer.from('\x1b[?2026l');
const HIDE_CURSOR = '\x1b[?25l';
const SHOW_CURSOR = '\x1b[?25h';

/**
 * The output stage beneath Ink: what reaches the terminal is a diff. Ink draws the chrome
 * (bars, borders, headers) with empty pane bodies; its frames arrive here as rows and only the
 * rows that changed are written. Pane bodies are drawn here, from each session's tail, cell
 * rows cached per line (PaneLines): output that arrives repaints only its own pane's changed
 * lines, with no React render, no Yoga layout and no Ink frame.
 *
 * Once Ink's tree is attached (StageRoot), the chrome's rows are made here from the laid-out
 * tree (DomRows), so no frame goes through Ink's full-screen string.
 *
 * Priority: a key's commit is drawn and flushed in the same turn as React's commit; other
 * commits (a status) at most once per `frameMs`; output at most once per `frameMs`, after.
 */
export class TerminalStage {
  readonly counters: StageCounters = { flushes: 0, rows: 0, lines: 0, refreshed: 0, chrome: 0 };
  readonly dom = new DomRows();
  /** Ink's tree, once attached: the chrome is made from it here, Ink's own output is unused. */
  private root: DOMElement | null = null;
  private keyPending = false;
  private chromeTimer: NodeJS.Timeout | null = null;
  private lastChrome = 0;
  private cursorHidden = false;
  private ink: string[] = [];
  private inkWritten: Array<string | null> = [];
  /** The pane bodies; a body leaving rows makes Ink's rows there unknown. */
  private readonly regions = new PaneRegions((y, height) => {
    for (let r = y; r < y + height; r++) this.inkWritten[r] = null;
  });
  private readonly dirty = new Set<string>();
  private urgent = false;
  private clear = false;
  private outputTimer: NodeJS.Timeout | null = null;
  private lastOutputFlush = 0;
  private closed = false;
  /** A layout happened: regions may have moved without being placed again. */
  private moved = false;

  /** Told the rows of the first chrome frame made from Ink's tree (kept for the next start). */
  onFirstChrome?: (rows: string[]) => void;

  /** When the key being answered was read (Date.now), until its frame is written. */
  private keyAt: number | null = null;

  constructor(
    private readonly out: StageTerminal,
    private readonly frameMs = 33,
    /** Told when a key's frame was written: when the key was read, and when it was written. */
    private readonly onKeyFrame?: (readAt: number, writtenAt: number) => void,
  ) {}

  /** A frame Ink wrote, one string per row (SGR colours only); unused once a tree is attached. */
  inkFrame(rows: string[]): void {
    if (this.root) return;
    this.setChrome(rows);
  }

  /**
   * Take over Ink's output: every React commit (Ink calls its root's `onRender`) makes the
   * chrome's rows from the laid-out tree (DomRows) instead of Ink's full-screen string. Returns
   * the undo.
   */
  attach(root: DOMElement): () => void {
    const inks = root.onRender;
    root.onRender = () => this.committed();
    this.root = root;
    this.drawChrome();
    return () => {
      if (this.root !== root) return;
      root.onRender = inks;
      this.root = null;
    };
  }

  /**
   * The terminal already shows these chrome rows with the cursor hidden (the first frame drawn
   * before Ink was loaded): start from them, so Ink's first frame writes only rows that differ.
   */
  seed(rows: readonly string[]): void {
    this.inkWritten = [...rows];
    this.cursorHidden = true;
  }

  /** A key arrived: the commit it causes is drawn at once, ahead of output (input first). */
  keyPressed(): void {
    this.keyPending = true;
    this.keyAt ??= Date.now();
  }

  /** React committed: draw the chrome now after a key or a quiet spell, else with the next frame. */
  private committed(): void {
    if (this.closed || !this.root) return;
    const wait = this.lastChrome + this.frameMs - Date.now();
    if (this.keyPending || wait <= 0) {
      this.drawChrome();
      return;
    }
    this.chromeTimer ??= setTimeout(() => this.drawChrome(), wait);
  }

  private drawChrome(): void {
    if (this.chromeTimer) clearTimeout(this.chromeTimer);
    this.chromeTimer = null;
    this.keyPending = false;
    if (this.closed || !this.root) return;
    this.lastChrome = Date.now();
    this.counters.chrome++;
    const rows = this.dom.render(this.root, this.out.rows ?? 24);
    if (this.counters.chrome === 1) this.onFirstChrome?.(rows);
    this.setChrome(rows);
  }

  private setChrome(rows: string[]): void {
    this.ink = rows;
    this.moved = true;
    this.soon();
  }

  /** The screen is unknown (resized, cleared by someone else): redraw everything. */
  invalidate(): void {
    this.clear = true;
    this.inkWritten = [];
    this.regions.invalidate();
    this.soon();
  }

  /** Place (or move) a pane body. Its rows are drawn with the next flush. */
  place(id: string, region: Region): void {
    if (this.regions.place(id, region)) this.soon();
  }

  /** The pane body is gone (zoom, a panel): its rows go back to Ink's frame. */
  remove(id: string): void {
    this.dirty.delete(id);
    if (this.regions.remove(id)) this.soon();
  }

  /** A pane's output changed: it is re-read with the next output frame. */
  changed(id: string): void {
    if (this.closed || !this.regions.has(id)) return;
    this.dirty.add(id);
    if (this.outputTimer) return;
    const wait = Math.max(0, this.lastOutputFlush + this.frameMs - Date.now());
    this.outputTimer = setTimeout(() => {
      this.outputTimer = null;
      this.lastOutputFlush = Date.now();
      this.flush(true);
    }, wait);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.outputTimer) clearTimeout(this.outputTimer);
    if (this.chromeTimer) clearTimeout(this.chromeTimer);
    this.outputTimer = this.chromeTimer = null;
    if (this.cursorHidden) this.out.write(SHOW_CURSOR);
  }

  /** Flush after the current commit (layout effects place the regions first). */
  private soon(): void {
    if (this.urgent || this.closed) return;
    this.urgent = true;
    queueMicrotask(() => {
      this.urgent = false;
      this.flush(false);
    });
  }

  /** Write what differs from the screen. `output`: also re-read the panes whose output moved. */
  flush(output: boolean): void {
    if (this.closed) return;
    if (this.moved) {
      this.moved = false;
      this.regions.relocate();
    }
    // The frame as bytes: pane cells are encoded once per line (PaneLines) and only copied here.
    const parts: Uint8Array[] = [BSU];
    // Ink hides the cursor when it writes a frame; with the chrome made here it writes none.
    if (!this.cursorHidden && this.root) {
      parts.push(Buffer.from(HIDE_CURSOR));
      this.cursorHidden = true;
    }
    if (this.clear) {
      parts.push(Buffer.from('\x1b[0m\x1b[2J'));
      this.clear = false;
    }
    const rows = Math.max(this.ink.length, this.inkWritten.length);
    for (let r = 0; r < rows; r++) {
      const row = this.ink[r] ?? '';
      if (this.inkWritten[r] === row) continue;
      parts.push(Buffer.from(`${at(r, 0)}\x1b[0m\x1b[2K${row}`));
      this.inkWritten[r] = row;
      this.counters.rows++;
      // Ink's row blanked the pane bodies on it: their cells there are unknown now.
      this.regions.rowOverwritten(r);
    }
    if (this.ink.length < this.inkWritten.length) this.inkWritten.length = this.ink.length;
    this.regions.draw(parts, output ? this.dirty : null, this.counters);
    if (output) this.dirty.clear();
    if (parts.length === 1) return;
    parts.push(ESU);
    this.counters.flushes++;
    this.out.write(Buffer.concat(parts));
    if (this.keyAt !== null && !this.keyPending) {
      this.onKeyFrame?.(this.keyAt, Date.now());
      this.keyAt = null;
    }
  }
}
