import { execa, type ResultPromise } from 'execa';
import { BaseSession } from '../base-session.js';
import { capLine } from '../output/cap-line.js';
import { ingested } from '../output/ingest-gate.js';
import { LineSplitter } from '../output/line-splitter.js';
import { OutputLog, outputLogPath } from './output-log.js';
import { AgentEventParser } from '../parsers/events.js';
import { isActive } from '../status/tracker.js';
import type { SessionContext } from '../session-context.js';

const STOP_GRACE_MS = 3000;
/** A run longer than this resets the crash-loop counter. */
const HEALTHY_RUN_MS = 30_000;
const MAX_BACKOFF_MS = 60_000;

/**
 * Headless agent: the command runs in the worktree with pipes. Output goes through the line
 * splitter and the agent-event parser into the ring buffer; nothing is allocated per line beyond
 * the line itself, and listeners hear about output at most once per `notifyMs`.
 */
export class ExecSession extends BaseSession {
  readonly backend = 'exec' as const;
  private child: ResultPromise | null = null;
  private exitPromise: Promise<void> | null = null;
  private stopRequested = false;
  private parser = new AgentEventParser();
  private stdout: LineSplitter | null = null;
  private crashes = 0;
  private startedAt = 0;
  private retryTimer: NodeJS.Timeout | null = null;
  private readonly log: OutputLog;
  private readonly pushLine = (line: string) => {
    // An unparsable JSON-looking line can be long (the splitter keeps events whole): cap it here.
    this.ring.push(capLine(line));
    this.outputChanged();
  };

  constructor(ctx: SessionContext) {
    super(ctx);
    this.log = new OutputLog(outputLogPath(ctx.eventFile));
  }

  override tail(n: number): string[] {
    const partial = this.stdout?.partial() ?? '';
    // A half-received JSON event is not output yet; a progress bar without newline is.
    if (!partial || partial.startsWith('{')) return this.ring.tail(n);
    const lines = this.ring.tail(n - 1);
    lines.push(partial);
    return lines;
  }

  async start(opts: { rolePrompt?: string; resume?: boolean } = {}): Promise<void> {
    if (this.child) return;
    this.clearRetry();
    const launch = await this.prepareLaunch(opts);
    this.stopRequested = false;
    this.parser = new AgentEventParser(launch.cwd);
    this.tracker.starting(this.launchNote);
    const child = execa(launch.command, launch.args, {
      cwd: launch.cwd,
      env: launch.env,
      stdin: 'pipe',
      buffer: false,
      reject: false,
      encoding: 'buffer',
      // Own process group: stop() signals the agent and everything it started.
      detached: true,
    });
    this.child = child;
    this.pid = child.pid ?? null;
    this.startedAt = Date.now();
    const feed = (line: string) => {
      this.parser.feed(line, this.pushLine);
      if (this.parser.changed) {
        this.parser.changed = false;
        const t = this.parser.totals;
        if (t.sessionId) this.markResumable(t.sessionId);
        this.tracker.usage(t.costUsd, t.inputTokens, t.outputTokens, t.sessionId);
      }
    };
    const out = new LineSplitter(feed);
    const err = new LineSplitter(feed);
    this.stdout = out;
    this.log.open();
    const pipes = [child.stdout, child.stderr];
    const ingest = (n: number) => ingested(n, pipes);
    child.stdout?.on('data', (b: Uint8Array) => {
      this.log.write(b);
      out.write(b);
      if (out.hasPartial()) this.outputChanged();
      ingest(b.length);
    });
    child.stderr?.on('data', (b: Uint8Array) => {
      this.log.write(b);
      err.write(b);
      ingest(b.length);
    });
    child.stdin?.on('error', () => undefined);
    this.exitPromise = child.then((res) => {
      out.end();
      err.end();
      this.log.close();
      this.child = null;
      this.pid = null;
      const code = res.exitCode ?? null;
      const signal = res.signal ?? null;
      const spawnFailed = code === undefined && res.failed && !signal;
      this.onExit(code, signal, spawnFailed ? (res.shortMessage ?? '').split('\n')[0] : undefined);
    });
    // The spawn itself can fail (command not found): the status says so.
    child.once('spawn', () => this.outputChanged());
  }

  private onExit(code: number | null, signal: string | null, why?: string): void {
    if (this.stopRequested || code === 0 || this.ctx.crashBackoffMs <= 0) {
      this.tracker.exited(code, signal, this.stopRequested, why);
      return;
    }
    this.crashes = Date.now() - this.startedAt > HEALTHY_RUN_MS ? 1 : this.crashes + 1;
    const delay = Math.min(MAX_BACKOFF_MS, this.ctx.crashBackoffMs * 2 ** (this.crashes - 1));
    const what = why ?? (signal ? `killed by ${signal}` : `exit code ${code ?? '?'}`);
    const loop = this.crashes > 1 ? `crash loop (${this.crashes}×): ` : '';
    this.tracker.exited(
      code,
      signal,
      false,
      `${what}; ${loop}restart in ${Math.ceil(delay / 1000)}s`,
    );
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      if (this.tracker.state().status === 'crashed')
        void this.start({ resume: true }).catch(() => undefined);
    }, delay);
    this.retryTimer.unref();
  }

  async stop(): Promise<void> {
    this.clearRetry();
    const child = this.child;
    if (!child) {
      if (this.tracker.state().status !== 'stopped') this.tracker.exited(null, null, true);
      return;
    }
    this.stopRequested = true;
    this.signal('SIGTERM');
    const killer = setTimeout(() => this.signal('SIGKILL'), STOP_GRACE_MS);
    await this.exitPromise;
    clearTimeout(killer);
  }

  async restart(opts: { rolePrompt?: string } = {}): Promise<void> {
    await this.stop();
    this.crashes = 0;
    await this.start({ ...opts, resume: true });
  }

  send(text: string): Promise<void> {
    const stdin = this.child?.stdin;
    if (!stdin || !isActive(this.tracker.state().status)) {
      return Promise.reject(
        new Error(`instance ${this.instanceId}: agent is not running — start it first`),
      );
    }
    return new Promise((resolve, reject) => {
      stdin.write(text.endsWith('\n') ? text : `${text}\n`, (e) => (e ? reject(e) : resolve()));
    });
  }

  resize(): void {
    // Pipes have no size; the pane truncates long lines itself.
  }

  attachCommand(): null {
    return null;
  }

  override dispose(): void {
    this.clearRetry();
    // An exec agent's pipes end with this process: stop it rather than orphan it.
    if (this.child) {
      this.stopRequested = true;
      this.signal('SIGTERM');
    }
    super.dispose();
  }

  private signal(sig: NodeJS.Signals): void {
    const pid = this.child?.pid;
    if (!pid) return;
    try {
      process.kill(-pid, sig);
    } catch {
      this.child?.kill(sig);
    }
  }

  private clearRetry(): void {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
  }
}
