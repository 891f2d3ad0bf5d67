// A terminal whose bytes are replayed on a virtual screen (bench/tty/screen.ts): what a person
// would see, and how many bytes were written to draw it.
import { EventEmitter } from 'node:events';
import { Screen } from '../../bench/tty/screen.js';

export class VirtualTerminal extends EventEmitter {
  readonly isTTY = true;
  readonly screen: Screen;
  bytes = 0;
  constructor(
    public columns: number,
    public rows: number,
  ) {
    super();
    this.screen = new Screen(columns, rows);
  }
  write(data: string | Uint8Array): boolean {
    const s = typeof data === 'string' ? data : Buffer.from(data).toString('utf8');
    this.bytes += s.length;
    this.screen.write(s);
    return true;
  }
}
