// Output-to-screen lag: the first frame in which a stamped line is visible, minus its stamp.
import type { Screen } from '../tty/screen.js';

const STAMP = /@([0-9a-z]{8}) (\S+)/g;

export class StampTracker {
  readonly lags: number[] = [];
  /** Newest stamp seen on screen so far. */
  newest = 0;
  private readonly seen = new Set<string>();

  /** Only lines stamped inside [from, to] count (not the backlog from before the window). */
  constructor(
    private readonly from: number,
    private readonly to: number,
  ) {}

  scan(screen: Screen, at: number): void {
    for (let r = 0; r < screen.rows; r++) {
      const text = screen.text(r);
      if (!text.includes('@')) continue;
      for (const m of text.matchAll(STAMP)) {
        const key = m[0];
        if (this.seen.has(key)) continue;
        this.seen.add(key);
        const stamp = parseInt(m[1]!, 36);
        if (stamp > this.newest) this.newest = stamp;
        if (stamp >= this.from && stamp <= this.to) this.lags.push(at - stamp);
      }
    }
  }
}
