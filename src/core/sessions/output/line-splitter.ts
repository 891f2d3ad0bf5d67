import { cleanLine } from './ansi.js';

/** A line longer than this (in UTF-16 units) is cut into pieces so memory stays bounded. */
export const MAX_LINE = 8 * 1024 * 1024;

/** Terminal semantics for a carriage return: the text after the last `\r` is what shows. */
function lastCarriageState(line: string): string {
  let end = line.length;
  while (end > 0 && line.charCodeAt(end - 1) === 13) end--; // CRLF and trailing CRs
  const cr = line.lastIndexOf('\r', end - 1);
  return cr < 0 ? (end === line.length ? line : line.slice(0, end)) : line.slice(cr + 1, end);
}

/**
 * Turns a byte stream into clean lines: UTF-8 decoded across chunk boundaries (invalid bytes
 * become U+FFFD), CRLF and bare CR handled (progress bars: the last state wins), cursor
 * movement removed, colours kept. The unfinished last line is kept as `partial()` so a progress
 * bar without a newline still shows.
 */
export class LineSplitter {
  private readonly decoder = new TextDecoder('utf-8', { fatal: false });
  private pieces: string[] = [];
  private pendingLen = 0;
  private partialCache: string | null = '';

  constructor(private readonly onLine: (line: string) => void) {}

  write(chunk: Uint8Array | string): void {
    const text = typeof chunk === 'string' ? chunk : this.decoder.decode(chunk, { stream: true });
    if (text.length === 0) return;
    this.partialCache = null;
    let from = 0;
    for (;;) {
      const nl = text.indexOf('\n', from);
      if (nl < 0) break;
      const head = text.slice(from, nl);
      let line = head;
      if (this.pieces.length > 0) {
        this.pieces.push(head);
        line = this.pieces.join('');
        this.pieces = [];
        this.pendingLen = 0;
      }
      this.emit(line);
      from = nl + 1;
    }
    if (from < text.length) {
      const rest = from === 0 ? text : text.slice(from);
      this.pieces.push(rest);
      this.pendingLen += rest.length;
      if (this.pendingLen >= MAX_LINE) {
        this.emit(this.pieces.join(''));
        this.pieces = [];
        this.pendingLen = 0;
      }
    }
  }

  /** Flush the decoder and any unfinished line (the stream ended). */
  end(): void {
    const tail = this.decoder.decode();
    if (tail) this.write(tail);
    if (this.pieces.length > 0) {
      const line = this.pieces.join('');
      this.pieces = [];
      this.pendingLen = 0;
      this.partialCache = '';
      if (lastCarriageState(line).length > 0) this.emit(line);
    }
  }

  hasPartial(): boolean {
    return this.pendingLen > 0;
  }

  /** The unfinished last line as it would show on a terminal ('' when none). */
  partial(): string {
    if (this.partialCache === null) {
      const joined = this.pieces.length === 1 ? this.pieces[0]! : this.pieces.join('');
      this.partialCache = cleanLine(lastCarriageState(joined));
    }
    return this.partialCache;
  }

  private emit(raw: string): void {
    this.onLine(cleanLine(lastCarriageState(raw)));
  }
}
