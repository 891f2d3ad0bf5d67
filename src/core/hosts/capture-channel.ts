import { randomBytes } from 'node:crypto';
import { spawn, type ChildProcess } from 'node:child_process';
import type { ResolvedHost } from '../../config/types.js';
import { shArgv } from './quote.js';
import { hostConnect, sshArgv } from './ssh.js';

/** A capture that gets no answer in this long ends the channel (the next one starts another). */
const CAPTURE_TIMEOUT_MS = 15_000;

/**
 * Pane captures on a host through one long SSH session instead of one per capture (each of
 * those is a process here and a login shell there). A small POSIX shell loop on the host reads
 * a pane id per line and answers with `tmux capture-pane -p -e` of it, framed by a header with
 * a random nonce (given on stdin, never in argv) and the exact byte length of the text, so pane
 * text cannot pose as a header. Answers come back in request order. Only pane ids (`%N`) and a
 * number of history lines are ever read by the loop; anything else is skipped.
 */
const LOOP = [
  'export LC_ALL=C',
  't=$1',
  'IFS= read -r n || exit 0',
  'while IFS=" " read -r p h; do',
  '  case "$p" in %[0-9]*) ;; *) continue ;; esac',
  '  case "$h" in ""|*[!0-9]*) h=0 ;; esac',
  '  if [ "$h" -gt 0 ]; then c=$(tmux -u -L "$t" capture-pane -p -e -S "-$h" -t "$p" 2>/dev/null; echo "x$?")',
  '  else c=$(tmux -u -L "$t" capture-pane -p -e -t "$p" 2>/dev/null; echo "x$?"); fi',
  '  r=${c##*x}; c=${c%x*}',
  '  printf "@@%s %s %s\\n%s" "$n" "$r" "${#c}" "$c" || exit 0',
  'done',
].join('\n');

interface Pending {
  resolve: (text: string | null) => void;
  timer: NodeJS.Timeout;
}

export class CaptureChannel {
  private child: ChildProcess | null = null;
  private starting: Promise<ChildProcess | null> | null = null;
  private pending: Pending[] = [];
  private buf: Buffer = Buffer.alloc(0);
  private want: { ok: boolean; len: number } | null = null;
  private header: RegExp | null = null;

  constructor(
    private readonly host: ResolvedHost,
    private readonly socket: string,
  ) {}

  /** `tmux capture-pane` argv as PaneCapturer builds it: answered through the channel. */
  async run(args: string[]): Promise<{ ok: boolean; stdout: string }> {
    const at = (flag: string) => {
      const i = args.indexOf(flag);
      return i >= 0 ? (args[i + 1] ?? '') : '';
    };
    const pane = at('-t');
    const history = Number(at('-S').replace(/^-/, '')) || 0;
    if (args[0] !== 'capture-pane' || !/^%\d+$/.test(pane)) return { ok: false, stdout: '' };
    const text = await this.capture(pane, history);
    return text === null ? { ok: false, stdout: '' } : { ok: true, stdout: text };
  }

  private async capture(pane: string, history: number): Promise<string | null> {
    const child = await this.ensure();
    if (!child?.stdin) return null;
    return new Promise((resolve) => {
      const timer = setTimeout(() => this.end(), CAPTURE_TIMEOUT_MS);
      this.pending.push({ resolve, timer });
      child.stdin!.write(`${pane} ${Math.floor(history)}\n`);
    });
  }

  private ensure(): Promise<ChildProcess | null> {
    if (this.child) return Promise.resolve(this.child);
    this.starting ??= this.open().finally(() => (this.starting = null));
    return this.starting;
  }

  private async open(): Promise<ChildProcess | null> {
    try {
      await hostConnect(this.host);
    } catch {
      return null;
    }
    const nonce = randomBytes(12).toString('hex');
    this.header = new RegExp(`^@@${nonce} (\\d+) (\\d+)$`);
    this.buf = Buffer.alloc(0);
    this.want = null;
    const child = spawn(
      'ssh',
      sshArgv(this.host, `unset TMUX; sh -c ${shArgv([LOOP, 'fleet-tui-capture', this.socket])}`),
      { stdio: ['pipe', 'pipe', 'ignore'], env: { ...process.env, LC_ALL: 'C' } },
    );
    child.stdin.on('error', () => undefined);
    child.stdin.write(`${nonce}\n`);
    child.stdout.on('data', (b: Buffer) => this.feed(b));
    child.on('error', () => undefined);
    child.on('close', () => {
      if (this.child === child) this.end();
    });
    this.child = child;
    return child;
  }

  private feed(b: Buffer): void {
    this.buf = this.buf.length ? Buffer.concat([this.buf, b]) : b;
    for (;;) {
      if (this.want) {
        if (this.buf.length < this.want.len) return;
        const { ok, len } = this.want;
        this.want = null;
        const text = this.buf.subarray(0, len).toString('utf8');
        this.buf = this.buf.subarray(len);
        const p = this.pending.shift();
        if (p) {
          clearTimeout(p.timer);
          p.resolve(ok ? text : null);
        }
        continue;
      }
      const nl = this.buf.indexOf(10);
      if (nl < 0) return;
      const m = this.header?.exec(this.buf.subarray(0, nl).toString('latin1'));
      this.buf = this.buf.subarray(nl + 1);
      if (m) this.want = { ok: m[1] === '0', len: Number(m[2]) };
    }
  }

  /** The channel is gone (or stuck): every capture waiting gets nothing; the next starts anew. */
  end(): void {
    const c = this.child;
    this.child = null;
    c?.kill();
    for (const p of this.pending.splice(0)) {
      clearTimeout(p.timer);
      p.resolve(null);
    }
  }
}
