import { createWriteStream, renameSync, statSync, mkdirSync, type WriteStream } from 'node:fs';
import path from 'node:path';

const MAX_BYTES = 8 * 1024 * 1024;
const FLUSH_MS = 1000;

/** `<common dir>/fleet-tui/agents/<id>.out`: an exec agent's raw output, for `agents tail` elsewhere. */
export function outputLogPath(eventFile: string): string {
  return eventFile.replace(/\.events\.jsonl$/, '.out');
}

/**
 * Raw output chunks appended as they arrive (one write per chunk, not per line), so another
 * process can tail an exec agent this process owns. Kept under ~8 MB by rolling to `.out.1`.
 */
export class OutputLog {
  private stream: WriteStream | null = null;
  private bytes = 0;
  /** Chunks not written yet: one write a second instead of one per pipe read. */
  private pending: Uint8Array[] = [];
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly file: string) {}

  open(): void {
    mkdirSync(path.dirname(this.file), { recursive: true });
    try {
      this.bytes = statSync(this.file).size;
    } catch {
      this.bytes = 0;
    }
    if (this.bytes > MAX_BYTES / 2) this.roll();
    this.openStream();
  }

  private openStream(): void {
    const stream = createWriteStream(this.file, { flags: 'a' });
    stream.on('error', () => (this.stream = null));
    this.stream = stream;
  }

  write(chunk: Uint8Array): void {
    if (!this.stream) return;
    // Batch chunks: one file write a second instead of one per pipe read (every 100 ms, twelve
    // agents' log writes cost the TUI ~1.5 % of a core at 50 lines/s, measured paired), kept
    // here rather than in a corked stream, which costs a buffered-write record per chunk.
    // A tail in another terminal is at most a second behind.
    this.pending.push(chunk);
    this.timer ??= setTimeout(() => this.flush(), FLUSH_MS).unref();
    this.bytes += chunk.length;
    if (this.bytes > MAX_BYTES) {
      this.flush();
      this.stream.end();
      this.roll();
      this.openStream();
    }
  }

  private flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.pending.length === 0) return;
    const chunks = this.pending;
    this.pending = [];
    this.stream?.write(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks));
  }

  close(): void {
    this.flush();
    this.stream?.end();
    this.stream = null;
  }

  private roll(): void {
    try {
      renameSync(this.file, `${this.file}.1`);
    } catch {
      // Nothing to roll.
    }
    this.bytes = 0;
  }
}
