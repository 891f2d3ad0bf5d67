/**
 * Per-pane capture pacing: `%output` can fire thousands of times a second, a pane is captured at
 * most `hz` times a second, a burst collapses into one capture, and one pane never has two
 * captures in flight (a change during a capture schedules the next one).
 */
export class CaptureSchedule {
  private readonly last = new Map<string, number>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly running = new Set<string>();

  constructor(
    public hz: number,
    private readonly captureOnce: (paneId: string) => Promise<void>,
    private readonly wanted: (paneId: string) => boolean,
  ) {}

  /** Capture now, or as soon as the pane's rate allows. */
  schedule(paneId: string): void {
    if (!this.wanted(paneId) || this.timers.has(paneId)) return;
    const wait = Math.max(0, (this.last.get(paneId) ?? 0) + 1000 / this.hz - Date.now());
    this.timers.set(
      paneId,
      setTimeout(() => {
        this.timers.delete(paneId);
        void this.run(paneId);
      }, wait),
    );
  }

  private async run(paneId: string): Promise<void> {
    if (this.running.has(paneId)) return this.schedule(paneId);
    this.running.add(paneId);
    this.last.set(paneId, Date.now());
    try {
      await this.captureOnce(paneId);
    } finally {
      this.running.delete(paneId);
    }
  }

  cancel(paneId: string): void {
    const t = this.timers.get(paneId);
    if (t) clearTimeout(t);
    this.timers.delete(paneId);
  }

  dispose(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
  }
}
