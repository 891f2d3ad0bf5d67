/**
 * Fixed-capacity line store: memory stays flat however long an agent runs. Pushing past the
 * capacity overwrites the oldest line; no per-push allocation besides the line itself.
 */
export class RingBuffer {
  private readonly items: string[];
  private start = 0;
  private count = 0;
  /** Lines ever pushed (lets readers notice drops and compute "lines since"). */
  total = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new RangeError(`ring buffer capacity must be a positive integer, got ${capacity}`);
    }
    this.items = new Array<string>(capacity);
  }

  get size(): number {
    return this.count;
  }

  push(line: string): void {
    this.total++;
    if (this.count < this.capacity) {
      this.items[(this.start + this.count) % this.capacity] = line;
      this.count++;
      return;
    }
    this.items[this.start] = line;
    this.start = (this.start + 1) % this.capacity;
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
    this.start = 0;
    this.count = 0;
    const from = Math.max(0, lines.length - this.capacity);
    for (let i = from; i < lines.length; i++) this.push(lines[i]!);
  }

  clear(): void {
    this.start = 0;
    this.count = 0;
  }
}
