import { randomBytes } from 'node:crypto';
import { spawn, type ChildProcess } from 'node:child_process';
import type { ResolvedHost } from '../../config/types.js';
import {
  hookEventFromPayload,
  parseEventLine,
  type HookEvent,
} from '../sessions/status/hook-events.js';
import { isObject, str } from '../sessions/parsers/types.js';
import { positionAfterRotation, ROTATE_SH } from './event-rotation.js';
import { shArgv } from './quote.js';
import { forgetHost, hostConnect, hostRun, sshArgv } from './ssh.js';

/**
 * The agents' event files on a host, read over SSH: one long-running session per host (not one
 * per agent: sshd allows ten sessions per connection by default) runs a small POSIX shell loop
 * that, once a second, sends what each file gained. Sections are framed by a header carrying a
 * random nonce, given on stdin (never in argv, where `ps` on the host would show it), and the
 * section's exact byte length, so nothing an agent writes can pose as a header. The loop also
 * sends a heartbeat each second: when the session is gone, the next write ends the loop (no
 * process is left behind on the host). When the session dies (host gone), it is started again,
 * backing off, from the offsets already read.
 */
const WATCH = [
  'export LC_ALL=C',
  'IFS= read -r n || exit 0',
  'k=0',
  'while [ $# -ge 2 ]; do k=$((k+1)); eval "f$k=\\$1; o$k=\\$2"; shift 2; done',
  'while :; do',
  '  j=1',
  '  while [ "$j" -le "$k" ]; do',
  '    eval "f=\\$f$j; o=\\$o$j"',
  '    s=$(wc -c < "$f" 2>/dev/null); s=$((${s:-0}))',
  '    [ "$s" -lt "$o" ] && o=0',
  '    if [ "$s" -gt "$o" ]; then',
  '      c=$(tail -c +$((o+1)) "$f" 2>/dev/null | head -c 65536; echo x); c=${c%x}',
  '      printf "@@%s %s %s %s\\n%s" "$n" "$j" "$o" "${#c}" "$c" || exit 0',
  '      o=$((o+${#c})); eval "o$j=\\$o"',
  '    fi',
  '    j=$((j+1))',
  '  done',
  '  printf "@@%s .\\n" "$n" || exit 0',
  '  sleep 1',
  'done',
].join('\n');

/** One line of a host event file: a wrapped hook payload (agent-hooks.ts) or a plain event. */
export function hostEventFromLine(line: string, instance: string): HookEvent | null {
  if (!line.startsWith('{"fleetHost":1,')) return parseEventLine(line);
  let v: unknown;
  try {
    v = JSON.parse(line);
  } catch {
    return null;
  }
  if (!isObject(v)) return null;
  const t = typeof v.t === 'number' ? new Date(v.t * 1000) : new Date();
  const ev = hookEventFromPayload(v.payload, str(v.event) ?? null, t);
  if (!ev) return null;
  if (v.managed === 1) ev.instance = instance;
  else ev.observed = true;
  return ev;
}

function parseLines(text: string, instance: string): HookEvent[] {
  return text.split('\n').flatMap((l) => hostEventFromLine(l, instance) ?? []);
}

/** The file's recent events (its last 64 KB) and its size, in one round trip; creates it, and
 * with `rotate` (before a start) rotates it first when it is big (event-rotation.ts). */
export async function readRecentHostEvents(
  host: ResolvedHost,
  file: string,
  instance: string,
  rotate = false,
): Promise<{ events: HookEvent[]; end: number }> {
  const script = [
    'f=$1; mkdir -p "$(dirname "$f")" && { [ -f "$f" ] || : >> "$f"; } || exit 3',
    ROTATE_SH,
    's=$(wc -c < "$f"); echo $((s)); tail -c 65536 "$f"',
  ].join('\n');
  const res = await hostRun(
    host,
    `sh -c ${shArgv([script, 'fleet-tui', file, rotate ? '1' : '0'])}`,
    {
      uncounted: true,
    },
  );
  const text = res.stdout.toString('utf8');
  const nl = text.indexOf('\n');
  const end = Number(text.slice(0, nl));
  if (res.exitCode !== 0 || nl < 0 || !Number.isFinite(end)) {
    throw new Error(`cannot read ${file} on host ${host.name}: ${res.stderr.trim()}`);
  }
  // Starting mid-file, the first line may be cut: it does not parse and is dropped.
  return { events: parseLines(text.slice(nl + 1), instance), end };
}

interface Sub {
  instance: string;
  file: string;
  /** Bytes of the file read so far (whole lines handled, `rest` waiting for its newline). */
  offset: number;
  rest: Buffer;
  /** Bytes before this offset were handled already (read before the file was rotated). */
  skipTo: number;
  onEvents: (events: HookEvent[]) => void;
}

export class HostEventWatcher {
  private readonly subs = new Map<string, Sub>();
  private child: ChildProcess | null = null;
  private retry: NodeJS.Timeout | null = null;
  private backoffMs = 500;
  private disposed = false;

  constructor(private readonly host: ResolvedHost) {}

  /** Follow `file` from byte `offset`; returns the unsubscribe. */
  subscribe(
    instance: string,
    file: string,
    offset: number,
    onEvents: (events: HookEvent[]) => void,
  ): () => void {
    const sub: Sub = { instance, file, offset, rest: Buffer.alloc(0), skipTo: 0, onEvents };
    this.subs.set(instance, sub);
    this.restart();
    return () => {
      if (this.subs.get(instance) !== sub) return;
      this.subs.delete(instance);
      this.restart();
    };
  }

  dispose(): void {
    this.disposed = true;
    this.subs.clear();
    this.stopChild();
  }

  /** The files followed changed (or the session died): one new session with every offset. */
  private restart(delayMs = 0): void {
    this.stopChild();
    if (this.disposed || this.subs.size === 0 || this.retry) return;
    this.retry = setTimeout(() => {
      this.retry = null;
      void this.spawnWatch();
    }, delayMs);
    this.retry.unref();
  }

  private stopChild(): void {
    const c = this.child;
    this.child = null;
    c?.kill();
  }

  private async spawnWatch(): Promise<void> {
    const subs = [...this.subs.values()];
    for (const s of subs) {
      s.offset -= s.rest.length;
      s.rest = Buffer.alloc(0);
    }
    try {
      await hostConnect(this.host);
    } catch {
      return this.again();
    }
    if (this.disposed || this.child || this.retry) return;
    const args = subs.flatMap((s) => [s.file, String(s.offset)]);
    const nonce = randomBytes(12).toString('hex');
    const child = spawn(
      'ssh',
      sshArgv(this.host, `sh -c ${shArgv([WATCH, 'fleet-tui-watch', ...args])}`),
      { stdio: ['pipe', 'pipe', 'ignore'], env: { ...process.env, LC_ALL: 'C' } },
    );
    this.child = child;
    child.stdin.on('error', () => undefined);
    child.stdin.write(`${nonce}\n`);
    const reader = new FrameReader(nonce, (j, from, body) => {
      const sub = subs[j - 1];
      if (!sub || this.subs.get(sub.instance) !== sub) return;
      this.backoffMs = 500;
      if (from !== sub.offset) {
        // The file shrank: rotated (go on where we were in the old one) or cut by someone else
        // (read it from its start). Anything else: start clean where the host says.
        const pos = sub.offset - sub.rest.length;
        sub.skipTo = from === 0 && from < sub.offset ? positionAfterRotation(body, pos) : 0;
        sub.rest = Buffer.alloc(0);
      }
      sub.offset = from + body.length;
      const fresh = body.subarray(Math.min(body.length, Math.max(0, sub.skipTo - from)));
      // Lines are decoded whole: a section may end inside a line or a UTF-8 character.
      const all = Buffer.concat([sub.rest, fresh]);
      const cut = all.lastIndexOf(10);
      sub.rest = Buffer.from(all.subarray(cut + 1));
      if (cut >= 0) sub.onEvents(parseLines(all.subarray(0, cut).toString('utf8'), sub.instance));
    });
    child.stdout.on('data', (b: Buffer) => {
      this.backoffMs = 500;
      reader.feed(b);
    });
    child.on('error', () => undefined);
    child.on('close', () => {
      if (this.child !== child) return;
      this.child = null;
      this.again();
    });
  }

  /** The session ended or could not start: try again later, backing off up to 10 s. */
  private again(): void {
    forgetHost(this.host);
    const wait = this.backoffMs;
    this.backoffMs = Math.min(this.backoffMs * 2, 10_000);
    this.restart(wait);
  }
}

/** Splits the watcher's stream into sections: `@@<nonce> <j> <from> <len>\n` + len bytes. */
class FrameReader {
  private buf: Buffer = Buffer.alloc(0);
  private want: { j: number; from: number; len: number } | null = null;
  private readonly header: RegExp;

  constructor(
    nonce: string,
    private readonly section: (j: number, from: number, body: Buffer) => void,
  ) {
    this.header = new RegExp(`^@@${nonce} (?:(\\d+) (\\d+) (\\d+)|\\.)$`);
  }

  feed(b: Buffer): void {
    this.buf = this.buf.length ? Buffer.concat([this.buf, b]) : b;
    for (;;) {
      if (this.want) {
        if (this.buf.length < this.want.len) return;
        const { j, from, len } = this.want;
        this.want = null;
        const body = this.buf.subarray(0, len);
        this.buf = this.buf.subarray(len);
        this.section(j, from, body);
        continue;
      }
      const nl = this.buf.indexOf(10);
      if (nl < 0) return;
      const m = this.header.exec(this.buf.subarray(0, nl).toString('latin1'));
      this.buf = this.buf.subarray(nl + 1);
      if (m?.[1]) this.want = { j: Number(m[1]), from: Number(m[2]), len: Number(m[3]) };
    }
  }
}
