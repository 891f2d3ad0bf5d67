// Drives a terminal program on a pseudo-terminal and watches its frames. Ink brackets every
// frame in synchronized-output markers (DEC mode 2026), so a frame is exactly the bytes between
// `CSI ? 2026 h` and `CSI ? 2026 l`; its time is when the relay (the terminal) read the closing
// marker from the pty — not when this process's event loop got to it. Each frame is replayed on
// a virtual screen so figures are taken from what a person would see.
import { execa, type ResultPromise } from 'execa';
import path from 'node:path';
import { Screen } from './screen.js';

const RELAY = path.join(import.meta.dirname, 'pty-relay.py');
const BSU = Buffer.from('\x1b[?2026h');
const ESU = Buffer.from('\x1b[?2026l');

export interface ProbeOptions {
  command: string;
  args: string[];
  cwd: string;
  cols: number;
  rows: number;
  env?: Record<string, string>;
}

export type FrameListener = (screen: Screen, at: number) => void;

export class TtyProbe {
  readonly screen: Screen;
  /** Wall-clock ms (Date.now) of every complete frame, as read by the terminal. */
  readonly frameTimes: number[] = [];
  /** Wall-clock ms at which each write of stdin reached the terminal (the pty). */
  readonly inputTimes: number[] = [];
  /** Per frame: how much later this process saw it than the terminal read it (ms). */
  readonly seenLateMs: number[] = [];
  readonly startedAt = Date.now();
  pid = 0;
  bytes = 0;
  private buf: Buffer = Buffer.alloc(0);
  /** The relay's records (see pty-relay.py), possibly cut across pipe reads. */
  private rec: Buffer = Buffer.alloc(0);
  private inFrame = false;
  private readonly listeners = new Set<FrameListener>();
  private readonly proc: ResultPromise;
  private readonly pidReady: Promise<number>;

  constructor(opts: ProbeOptions) {
    this.screen = new Screen(opts.cols, opts.rows);
    this.proc = execa(
      'python3',
      [RELAY, String(opts.cols), String(opts.rows), opts.command, ...opts.args],
      {
        cwd: opts.cwd,
        env: { TERM: 'xterm-256color', COLORTERM: 'truecolor', ...opts.env },
        stdin: 'pipe',
        stdout: 'pipe',
        stderr: 'pipe',
        buffer: false,
        reject: false,
      },
    );
    this.pidReady = new Promise((resolve, reject) => {
      let err = '';
      this.proc.stderr!.on('data', (d: Buffer) => {
        err += d.toString();
        const m = /^pid (\d+)$/m.exec(err);
        if (m && !this.pid) {
          this.pid = Number(m[1]);
          resolve(this.pid);
        }
      });
      void this.proc.then((r) =>
        reject(new Error(`terminal program ended early (exit ${r.exitCode}): ${err.trim()}`)),
      );
    });
    this.proc.stdout!.on('data', (chunk: Buffer) => this.onRecords(chunk));
  }

  started(): Promise<number> {
    return this.pidReady;
  }

  onFrame(fn: FrameListener): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /** Split the relay's stream into records: output read at a time, stdin written at a time. */
  private onRecords(chunk: Buffer): void {
    this.rec = this.rec.length ? Buffer.concat([this.rec, chunk]) : chunk;
    const HEAD = 13;
    let off = 0;
    while (this.rec.length - off >= HEAD) {
      const kind = this.rec[off]!;
      const at = this.rec.readDoubleLE(off + 1);
      const n = this.rec.readUInt32LE(off + 9);
      if (kind === 0x49 /* I */) {
        this.inputTimes.push(at);
        off += HEAD;
        continue;
      }
      if (this.rec.length - off < HEAD + n) break;
      const data = this.rec.subarray(off + HEAD, off + HEAD + n);
      off += HEAD + n;
      this.onData(data, at);
    }
    this.rec = this.rec.subarray(off);
  }

  private onData(chunk: Buffer, at: number): void {
    this.bytes += chunk.length;
    this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : chunk;
    for (;;) {
      const marker = this.inFrame ? ESU : BSU;
      const idx = this.buf.indexOf(marker);
      if (idx < 0) break;
      // Bytes before a frame opens (mode switches, cursor hiding) still reach the screen.
      this.screen.write(this.buf.subarray(0, idx).toString('utf8'));
      this.buf = this.buf.subarray(idx + marker.length);
      if (this.inFrame) {
        this.frameTimes.push(at);
        this.seenLateMs.push(Date.now() - at);
        for (const fn of this.listeners) fn(this.screen, at);
      }
      this.inFrame = !this.inFrame;
    }
    // Outside a frame nothing is pending: apply now (keeps a possible partial marker).
    if (!this.inFrame && this.buf.length > BSU.length) {
      const keep = this.buf.length - BSU.length;
      this.screen.write(this.buf.subarray(0, keep).toString('utf8'));
      this.buf = this.buf.subarray(keep);
    }
  }

  /** Resolves with the time of the first frame at or after now for which `pred` holds. */
  waitFor(pred: (screen: Screen) => boolean, timeoutMs: number, what: string): Promise<number> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        off();
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`));
      }, timeoutMs);
      const off = this.onFrame((screen, at) => {
        if (!pred(screen)) return;
        clearTimeout(timer);
        off();
        resolve(at);
      });
    });
  }

  /** Type into the terminal; returns the wall-clock ms the bytes were handed to the terminal. */
  press(keys: string): number {
    const at = Date.now();
    this.proc.stdin!.write(keys);
    return at;
  }

  async stop(keys = 'q', graceMs = 3000): Promise<void> {
    if (this.proc.exitCode === null) this.proc.stdin!.write(keys);
    const timer = setTimeout(() => {
      if (this.pid) {
        try {
          process.kill(this.pid, 'SIGTERM');
        } catch {
          // already gone
        }
      }
    }, graceMs);
    this.proc.stdin!.end();
    await this.proc;
    clearTimeout(timer);
  }
}
