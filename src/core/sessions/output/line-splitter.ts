import { isAscii } from 'node:buffer';
import { cleanLine } from './ansi.js';
import { capLine, LINE_CAP } from './cap-line.js';

/**
 * A line that may be an agent's JSON event (it starts with `{`) is kept whole up to this many
 * UTF-16 units: stream-json events carry whole tool results. Past it, it is cut like any line.
 */
export const MAX_LINE = 8 * 1024 * 1024;

/** Terminal semantics for a carriage return: the text after the last `\r` is what shows. */
function lastCarriageState(line: string): string {
  let end = line.length;
  while (end > 0 && line.charCodeAt(end - 1) === 13) end--; // CRLF and trailing CRs
  const cr = line.lastIndexOf('\r', end - 1);
  return cr < 0 ? (end === line.length ? line : line.slice(0, end)) : line.slice(cr + 1, end);
}

/** The last CR in `text[from, end)`, or -1. Bounded below: `lastIndexOf` would scan back to the
 * start of the chunk for every line (quadratic in the chunk; 60 ms a 64 KiB read). */
function lastCr(text: string, from: number, end: number): number {
  for (let i = end - 1; i >= from; i--) if (text.charCodeAt(i) === 13) return i;
  return -1;
}

/**
 * Turns a byte stream into clean lines: UTF-8 decoded across chunk boundaries (invalid bytes
 * become U+FFFD), CRLF and bare CR handled (progress bars: the last state wins), cursor
 * movement removed, colours kept. The unfinished last line is kept as `partial()` so a progress
 * bar without a newline still shows.
 *
 * Memory is bounded per line: a line is held up to `LINE_CAP` (JSON-looking lines up to
 * `MAX_LINE`); what comes after is only counted, and the line is emitted cut, with a visible
 * marker (capLine). A flood of 1 MB lines thus costs a scan per chunk, never a copy per line.
 */
export class LineSplitter {
  private readonly decoder = new TextDecoder('utf-8', { fatal: false });
  private pieces: string[] = [];
  private pendingLen = 0;
  /** Characters of the current line dropped past its limit. */
  private dropped = 0;
  private partialCache: string | null = '';
  /** The decoder holds no unfinished character (the last chunk it decoded ended in ASCII). */
  private decoderIdle = true;

  constructor(private readonly onLine: (line: string) => void) {}

  private decode(chunk: Uint8Array): string {
    // Most output is ASCII: latin1 is the same text, decoded without TextDecoder's per-call cost.
    if (this.decoderIdle && isAscii(chunk)) {
      const buf = Buffer.isBuffer(chunk)
        ? chunk
        : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length);
      return buf.toString('latin1');
    }
    this.decoderIdle = chunk.length === 0 ? this.decoderIdle : chunk[chunk.length - 1]! < 0x80;
    return this.decoder.decode(chunk, { stream: true });
  }

  write(chunk: Uint8Array | string): void {
    const text = typeof chunk === 'string' ? chunk : this.decode(chunk);
    if (text.length === 0) return;
    this.partialCache = null;
    // Most output has no CR at all: one scan of the chunk spares a search per line.
    const hasCr = text.indexOf('\r') >= 0;
    let from = 0;
    for (;;) {
      const nl = text.indexOf('\n', from);
      if (nl < 0) break;
      if (!hasCr && this.pendingLen === 0 && this.dropped === 0 && nl - from <= LINE_CAP) {
        // The common line, whole in this chunk (nothing held, no CR, within the cap): emitted
        // straight from the chunk, without holding pieces.
        this.onLine(cleanLine(text.slice(from, nl)));
      } else {
        this.hold(text, from, nl, hasCr);
        this.flush();
      }
      from = nl + 1;
    }
    if (from < text.length) this.hold(text, from, text.length, hasCr);
  }

  /** Flush the decoder and any unfinished line (the stream ended). */
  end(): void {
    const tail = this.decoder.decode();
    if (tail) this.write(tail);
    if (this.pendingLen > 0 || this.dropped > 0) {
      const line = this.pieces.join('');
      this.partialCache = '';
      if (this.dropped > 0 || lastCarriageState(line).length > 0) this.flush();
      else this.reset();
    }
  }

  hasPartial(): boolean {
    return this.pendingLen > 0;
  }

  /** The unfinished last line as it would show on a terminal ('' when none). */
  partial(): string {
    if (this.partialCache === null) {
      const joined = this.pieces.length === 1 ? this.pieces[0]! : this.pieces.join('');
      this.partialCache = capLine(cleanLine(lastCarriageState(joined)), LINE_CAP, this.dropped);
    }
    return this.partialCache;
  }

  /** Keep `text[from, to)` as part of the current line, up to the line's limit. */
  private hold(text: string, from: number, to: number, hasCr = true): void {
    if (from >= to) return;
    // A bare CR starts the line over on a terminal: what came before it never shows, so it is
    // not kept (a progress bar without newlines stays one short line). Trailing CRs stay until
    // we know whether a LF (CRLF) or more text follows them.
    let end = to;
    while (hasCr && end > from && text.charCodeAt(end - 1) === 13) end--;
    const cr = hasCr ? lastCr(text, from, end) : -1;
    if (end > from && (cr >= from || this.endsWithCr())) {
      this.reset();
      if (cr >= from) from = cr + 1;
    }
    const limit = this.looksLikeEvent(text, from) ? MAX_LINE : LINE_CAP;
    const take = Math.max(0, Math.min(to - from, limit - this.pendingLen));
    if (take > 0) {
      this.pieces.push(take === text.length ? text : text.slice(from, from + take));
      this.pendingLen += take;
    }
    this.dropped += to - from - take;
  }

  private endsWithCr(): boolean {
    const last = this.pieces[this.pieces.length - 1];
    return last !== undefined && last.charCodeAt(last.length - 1) === 13;
  }

  private looksLikeEvent(text: string, from: number): boolean {
    const first = this.pieces.length > 0 ? this.pieces[0]!.charCodeAt(0) : text.charCodeAt(from);
    return first === 0x7b; // '{'
  }

  private flush(): void {
    const raw = this.pieces.length === 1 ? this.pieces[0]! : this.pieces.join('');
    const dropped = this.dropped;
    this.reset();
    const line = cleanLine(lastCarriageState(raw));
    this.onLine(dropped > 0 ? capLine(line, LINE_CAP, dropped) : line);
  }

  private reset(): void {
    if (this.pieces.length > 0) this.pieces = [];
    this.pendingLen = 0;
    this.dropped = 0;
  }
}
