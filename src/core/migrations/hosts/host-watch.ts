import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import type { ResolvedConfig, ResolvedHost, ResolvedInstance } from '../../../config/types.js';
import { hostSpawn } from '../../hosts/stream.js';
import { HostError } from '../../hosts/ssh.js';
import type { Layout } from '../sources.js';
import { readHostMigrations, type HostInstanceRead } from './read.js';
import { POLL_SECONDS, watchScript } from './watch-script.js';

/** What a host watcher tells the live model. */
export interface HostWatchSink {
  /** Fresh reads of some of the host's instances. */
  update(reads: Map<string, HostInstanceRead>): void;
  /** The host went away (ssh's words) or came back (null). */
  reachable(host: string, error: string | null): void;
  /** A failure that is not the host's (a bug, a parse error): reported, the watch goes on. */
  onError(e: unknown): void;
}

export interface HostWatchOptions {
  debounceMs: number;
  /** `poll` forces the poll loop on the host even where inotifywait exists (tests). */
  mode?: 'auto' | 'poll';
  /** Waits before reconnecting after the host went away (ms); grows to the last one. */
  retryMs?: readonly number[];
}

/** Silence longer than this (several missed heartbeats) counts as a dead connection. */
const STALL_MS = (POLL_SECONDS * 4 + 2) * 1000;

/**
 * One host's live migration watch: a watcher script on the host over the shared connection
 * (watch-script.ts), whose lines name the instances that changed; each burst of changes is one
 * read of those instances (one SSH round trip). Lines are parsed strictly: anything that is not
 * `<our nonce> <known word>` is ignored. When the session ends or goes silent, the host is
 * reported unreachable and the watcher is started again, with backoff, until the host answers;
 * then everything on it is read afresh. Nothing here waits on another host.
 */
export class HostWatch {
  private child: ChildProcess | null = null;
  private closed = false;
  private down: string | null = null;
  private attempt = 0;
  private timer: NodeJS.Timeout | null = null;
  private stall: NodeJS.Timeout | null = null;
  private dirty = new Set<number>();
  private debounce: NodeJS.Timeout | null = null;
  private reading: Promise<void> = Promise.resolve();

  constructor(
    private readonly config: ResolvedConfig,
    private readonly host: ResolvedHost,
    private readonly insts: readonly ResolvedInstance[],
    private readonly layout: Layout,
    private readonly sink: HostWatchSink,
    private readonly opts: HostWatchOptions,
  ) {}

  start(): void {
    void this.connect();
  }

  /** Re-read every instance of the host (main moved); skipped while the host is away. */
  refreshAll(): void {
    if (this.child && this.down === null)
      this.request(
        this.insts.map((_, k) => k),
        false,
      );
  }

  private async connect(): Promise<void> {
    if (this.closed) return;
    const nonce = randomBytes(12).toString('hex');
    const targets = this.insts.map((i) => ({
      worktree: i.hostPath!,
      dir: path.posix.join(i.hostPath!, this.layout.dir),
      branch: i.branch,
    }));
    let child: ChildProcess;
    try {
      child = await hostSpawn(this.host, watchScript(targets, nonce, this.opts.mode ?? 'auto'));
    } catch (e) {
      if (!(e instanceof HostError)) this.sink.onError(e);
      return this.lost(e instanceof HostError ? e.detail : String(e));
    }
    if (this.closed) {
      child.kill();
      return;
    }
    this.child = child;
    let buf = '';
    let started = false;
    const stderr: string[] = [];
    child.stderr!.on('data', (b: Buffer) => {
      // ssh's last words are what matter; the remote side gets no more room than that.
      stderr.push(b.toString('utf8'));
      if (stderr.length > 8) stderr.splice(0, stderr.length - 8);
    });
    child.stdout!.on('data', (b: Buffer) => {
      buf += b.toString('utf8');
      // A line longer than any we print is not ours: drop it rather than grow without bound.
      if (buf.length > 64 * 1024) buf = buf.slice(buf.lastIndexOf('\n') + 1).slice(-1024);
      let nl: number;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        const what = parseLine(line, nonce, this.insts.length);
        if (what === null) continue;
        this.heartbeat();
        if (what === 'mode' && !started) {
          started = true;
          this.attempt = 0;
          // Read everything once the watcher runs: nothing changed in between goes unseen.
          this.request(
            this.insts.map((_, k) => k),
            true,
          );
        } else if (typeof what === 'number') this.request([what], false);
      }
    });
    const ended = (why: string) => {
      if (this.child !== child) return;
      this.child = null;
      this.clearStall();
      const said = stderr.join('').trim().split('\n').filter(Boolean).pop()?.slice(0, 300);
      this.lost(said ?? why);
    };
    child.on('close', (code) => ended(`the watcher on the host ended (exit ${code ?? 'signal'})`));
    // ssh could not be started at all (the transport reached the host a moment ago).
    child.on('error', (e: NodeJS.ErrnoException) =>
      ended(`could not run ssh: ${e.code ?? e.message}`),
    );
    this.heartbeat();
  }

  /** Re-read instances `ks` after the debounce (`now`: at once, and mark the host back up). */
  private request(ks: number[], now: boolean): void {
    ks.forEach((k) => this.dirty.add(k));
    if (this.debounce) clearTimeout(this.debounce);
    const run = () => {
      this.debounce = null;
      const insts = [...this.dirty].sort((a, b) => a - b).map((k) => this.insts[k]!);
      this.dirty.clear();
      this.reading = this.reading.then(() => this.read(insts, now));
    };
    if (now) run();
    else this.debounce = setTimeout(run, this.opts.debounceMs);
  }

  private async read(insts: ResolvedInstance[], fresh: boolean): Promise<void> {
    if (this.closed || insts.length === 0) return;
    try {
      const reads = await readHostMigrations(this.config, this.host, insts, this.layout);
      if (this.closed) return;
      this.sink.update(reads);
      if (fresh || this.down !== null) {
        this.down = null;
        this.sink.reachable(this.host.name, null);
      }
    } catch (e) {
      if (this.closed) return;
      // The host went away mid-read: the watcher's session ends too and drives the retry.
      if (e instanceof HostError) this.markDown(e.detail);
      else this.sink.onError(e);
    }
  }

  private lost(detail: string): void {
    if (this.closed) return;
    this.markDown(detail);
    const steps = this.opts.retryMs ?? [500, 1000, 2000, 5000];
    const wait = steps[Math.min(this.attempt++, steps.length - 1)]!;
    this.timer = setTimeout(() => void this.connect(), wait);
  }

  private markDown(detail: string): void {
    if (this.down === detail) return;
    this.down = detail;
    this.sink.reachable(this.host.name, detail);
  }

  private heartbeat(): void {
    this.clearStall();
    this.stall = setTimeout(() => {
      // Silent for several heartbeats: the connection is dead without having closed.
      this.child?.kill('SIGKILL');
    }, STALL_MS);
  }

  private clearStall(): void {
    if (this.stall) clearTimeout(this.stall);
    this.stall = null;
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const t of [this.timer, this.debounce]) if (t) clearTimeout(t);
    this.clearStall();
    const child = this.child;
    this.child = null;
    if (child && child.exitCode === null) {
      const gone = new Promise((r) => child.once('close', r));
      child.kill();
      await gone;
    }
    // A read under way is not awaited (a silent host would hold the close up to its deadline):
    // it reports nothing once closed.
  }
}

/** `<nonce> <index>` → index, `<nonce> mode …` → 'mode', `<nonce> tick` → 'tick', else null. */
export function parseLine(
  line: string,
  nonce: string,
  count: number,
): number | 'mode' | 'tick' | null {
  if (!line.startsWith(`${nonce} `)) return null;
  const what = line.slice(nonce.length + 1);
  if (what === 'tick') return 'tick';
  if (what === 'mode inotify' || what === 'mode poll') return 'mode';
  if (!/^(0|[1-9][0-9]{0,5})$/.test(what)) return null;
  const k = Number(what);
  return k < count ? k : null;
}
