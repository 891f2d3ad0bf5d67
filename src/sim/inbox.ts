import { createInterface, type Interface } from 'node:readline';

/** Lines typed or sent to the simulated agent (`agents send`): the next prompt, or an answer. */
export class Inbox {
  private readonly lines: string[] = [];
  private wake: (() => void) | null = null;
  private readonly rl: Interface;
  private closed = false;

  constructor() {
    this.rl = createInterface({ input: process.stdin });
    this.rl.on('line', (l) => {
      if (!l.trim()) return;
      this.lines.push(l);
      this.wake?.();
    });
  }

  /** The oldest line not yet read, without waiting. */
  take(): string | undefined {
    return this.lines.shift();
  }

  /** The next line, waiting at most `ms` for one (null when none came). */
  next(ms: number): Promise<string | null> {
    return new Promise((resolve) => {
      if (this.lines.length) return resolve(this.lines.shift()!);
      if (this.closed) return resolve(null);
      const t = setTimeout(() => ((this.wake = null), resolve(null)), ms);
      this.wake = () => (clearTimeout(t), (this.wake = null), resolve(this.lines.shift() ?? null));
    });
  }

  /** Idle until a line comes or `ms` pass; the line stays for the next turn. */
  async idle(ms: number): Promise<void> {
    const line = await this.next(ms);
    if (line !== null) this.lines.unshift(line);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.rl.close();
    process.stdin.destroy(); // a piped stdin would keep the process alive
    this.wake?.(); // a wait in progress ends now (its timer cleared), with no line
  }
}
