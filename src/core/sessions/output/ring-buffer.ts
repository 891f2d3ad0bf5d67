/** Default byte bound of one instance's scrollback (config `sessions.scrollbackBytes`). */
const DEFAULT_SCROLLBACK_BYTES = 4 * 1024 * 1024;

/**
 * Fixed-capacity line store: memory stays flat however long an agent runs, bounded both in
 * lines and in bytes (UTF-8 bytes of the text kept). Pushing past either bound drops the oldest
 * lines; the newest line always stays. No per-push allocation besides the line itself.
 */
export class RingBuffer {
  private readonly items: string[];
  private readonly sizes: Float64Array;
  private start = 0;
  private count = 0;
  private used = 0;
  /** Lines ever pushed (lets readers notice drops and compute "lines since"). */
  total = 0;

  constructor(
    readonly capacity: number,
    readonly maxBytes: number = DEFAULT_SCROLLBACK_BYTES,
  ) {
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new RangeError(`ring buffer capacity must be a positive integer, got ${capacity}`);
    }
    if (!(maxBytes >= 1)) {
      throw new RangeError(`ring buffer byte bound must be positive, got ${maxBytes}`);
    }
    this.items = new Array<string>(capacity);
    this.sizes = new Float64Array(capacity);
  }

  get size(): number {
    return this.count;
  }

  /** UTF-8 bytes of the lines held. */
  get bytes(): number {
    return this.used;
  }

  push(line: string): void {
    this.total++;
    const n = Buffer.byteLength(line, 'utf8');
    if (this.count === this.capacity) this.dropOldest();
    const at = (this.start + this.count) % this.capacity;
    this.items[at] = line;
    this.sizes[at] = n;
    this.count++;
    this.used += n;
    while (this.used > this.maxBytes && this.count > 1) this.dropOldest();
  }

  /** The last `n` lines, oldest first. */
  tail(n: number): string[] {
    const k = Math.max(0, Math.min(n, this.count));
    const out = new Array<string>(k);
    const first = this.start + this.count - k;
    for (let i = 0; i < k; i++) out[i] = this.items[(first + i) % this.capacity]!;
    return out;
  }

  /** Replace everything with `lines` (tmux: the captured screen). */
  replaceAll(lines: readonly string[]): void {
    this.clear();
    const from = Math.max(0, lines.length - this.capacity);
    for (let i = from; i < lines.length; i++) this.push(lines[i]!);
  }

  clear(): void {
    while (this.count > 0) this.dropOldest(); // frees the strings, not just the indices
    this.start = 0;
    this.used = 0;
  }

  private dropOldest(): void {
    this.used -= this.sizes[this.start]!;
    this.items[this.start] = undefined as unknown as string;
    this.start = (this.start + 1) % this.capacity;
    this.count--;
  }
}
