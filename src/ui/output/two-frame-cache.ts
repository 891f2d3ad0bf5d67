/**
 * A cache that forgets what a frame did not use: entries live in this frame's map, and those
 * the previous frame used are moved over when asked for. Memory stays the size of what is on
 * screen (two frames of it), never the history of everything shown.
 */
export class TwoFrameCache<K, V> {
  private now = new Map<K, V>();
  private before = new Map<K, V>();

  get(key: K): V | undefined {
    const v = this.now.get(key);
    if (v !== undefined) return v;
    const old = this.before.get(key);
    if (old !== undefined) this.now.set(key, old);
    return old;
  }

  set(key: K, value: V): void {
    this.now.set(key, value);
  }

  /** A frame ended: what it did not use goes with the next turn. */
  turn(): void {
    this.before = this.now;
    this.now = new Map();
  }
}
