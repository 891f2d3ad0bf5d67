import { Writable } from 'node:stream';
import type { TerminalStage } from './stage.js';

// What Ink writes before a frame: log-update's line erasing and cursor moves, a full clear.
// eslint-disable-next-line no-control-regex
const LEADING_MOVES = /^(?:\x1b\[[0-9;]*[A-HJK]|\x1b\[\?[0-9]+[hl])*/;
const BSU = '\x1b[?2026h';
const ESU = '\x1b[?2026l';
// eslint-disable-next-line no-control-regex
const CURSOR_ONLY = /^(?:\x1b\[\?25[hl])+$/;

/**
 * The stdout Ink renders to: a terminal of the real one's size whose frames go to the stage
 * (which writes only what changed) instead of being written whole. Cursor show/hide passes
 * through; any other bare escape (log-update clearing its lines) makes the stage redraw.
 */
export class InkStdout extends Writable {
  readonly isTTY = true;
  private readonly onResize = () => {
    this.stage.invalidate();
    this.emit('resize');
  };

  constructor(
    private readonly real: NodeJS.WriteStream,
    private readonly stage: TerminalStage,
  ) {
    super({ decodeStrings: false });
    real.on('resize', this.onResize);
  }

  get columns(): number {
    return this.real.columns;
  }

  get rows(): number {
    return this.real.rows;
  }

  override _write(
    chunk: Buffer | string,
    _enc: BufferEncoding,
    done: (e?: Error | null) => void,
  ): void {
    this.take(typeof chunk === 'string' ? chunk : chunk.toString('utf8'));
    done();
  }

  override _destroy(e: Error | null, done: (e?: Error | null) => void): void {
    this.detach();
    done(e);
  }

  detach(): void {
    this.real.off('resize', this.onResize);
  }

  private take(data: string): void {
    if (data === '' || data === BSU || data === ESU) return;
    if (CURSOR_ONLY.test(data)) {
      this.real.write(data);
      return;
    }
    const frame = data.slice(LEADING_MOVES.exec(data)![0].length);
    if (frame === '') {
      this.stage.invalidate();
      return;
    }
    const rows = frame.split('\n');
    if (frame.endsWith('\n')) rows.pop();
    this.stage.inkFrame(rows);
  }
}
