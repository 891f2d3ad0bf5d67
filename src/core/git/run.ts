import { spawn } from 'node:child_process';
import { FleetError } from '../errors.js';
import { batchable, queueGit } from './run-batch.js';
import { counted, countProcess } from './spawn-count.js';

/**
 * The one place fleet-tui runs git. Argument arrays only (never a shell string), `LC_ALL=C` so
 * porcelain and error text are stable, and read-only calls never take optional locks so that
 * `status` does not fight an agent for `index.lock`. Spawned with node's child_process directly:
 * landing runs a few dozen git commands and execa's per-call overhead showed in the timings.
 */
export interface GitOptions {
  cwd: string;
  /** Read-only command: sets GIT_OPTIONAL_LOCKS=0. */
  readOnly?: boolean;
  /** Do not throw on a non-zero exit; inspect `exitCode` instead. */
  allowFail?: boolean;
  input?: string | Buffer;
  env?: Record<string, string>;
  /** Kill the command after this many milliseconds. */
  timeoutMs?: number;
  /**
   * Told, once git runs, the pid of a process that lives until git has ended: git's own, or the
   * `sh` that started it with others (a batch). A sync marker records it for `recover`.
   */
  onSpawn?: (pid: number) => void;
  /**
   * May start from one `sh` with the other such calls of the same turn even where batching is
   * off (run-batch.ts): many independent processes at once — the TUI's sweep, the sync's rebases.
   * A call with `input` is batched only when it says so (its input goes through a file).
   */
  batch?: boolean;
}

export interface GitResult {
  stdout: string;
  stderr: string;
  exitCode: number;
}

class GitError extends FleetError {
  constructor(
    readonly args: readonly string[],
    readonly cwd: string,
    readonly result: GitResult,
  ) {
    const text = (result.stderr || result.stdout).trim().split('\n').slice(-3).join(' | ');
    super(`git ${args.join(' ')} failed in ${cwd}: ${text || `exit code ${result.exitCode}`}`);
    this.name = 'GitError';
  }
}

/** Observers see every git invocation (tests and benchmarks count fetches and pushes). */
type GitObserver = (args: readonly string[], cwd: string) => void;
const observers = new Set<GitObserver>();
export function observeGit(fn: GitObserver): () => void {
  observers.add(fn);
  return () => observers.delete(fn);
}

/** A result whose stdout is kept as bytes (git objects, paths and messages in any encoding). */
export interface GitBytesResult {
  stdout: Buffer;
  stderr: string;
  exitCode: number;
}

const cannotRun = (cwd: string, why: string) =>
  new FleetError(`could not run git in ${cwd}: ${why}`);

function spawnGit(args: readonly string[], opts: GitOptions): Promise<GitBytesResult> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    LC_ALL: 'C',
    GIT_TERMINAL_PROMPT: '0',
    ...opts.env,
  };
  if (opts.readOnly) env.GIT_OPTIONAL_LOCKS = '0';
  const ended = counted(args);
  const plain = (opts.input === undefined || opts.batch === true) && !opts.timeoutMs;
  const run = batchable(opts.cwd, plain, opts.batch)
    ? queueGit(
        args,
        opts.cwd,
        opts.input,
        env,
        `${opts.readOnly === true}\0${JSON.stringify(opts.env ?? {})}`,
        () => spawnOne(args, opts, env),
        cannotRun,
        opts.onSpawn,
      )
    : spawnOne(args, opts, env);
  run.then(ended, ended);
  return run;
}

function spawnOne(
  args: readonly string[],
  opts: GitOptions,
  env: NodeJS.ProcessEnv,
): Promise<GitBytesResult> {
  countProcess('git');
  return new Promise((resolve, reject) => {
    const child = spawn('git', args, {
      cwd: opts.cwd,
      env,
      stdio: [opts.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
      timeout: opts.timeoutMs,
    });
    if (child.pid !== undefined) opts.onSpawn?.(child.pid);
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout?.on('data', (b: Buffer) => out.push(b));
    child.stderr?.on('data', (b: Buffer) => err.push(b));
    child.on('error', (e: NodeJS.ErrnoException) => {
      // Spawn failure (git missing, cwd gone): one line, not a stack.
      reject(cannotRun(opts.cwd, e.code ?? e.message));
    });
    child.on('close', (code, signal) => {
      resolve({
        stdout: Buffer.concat(out),
        stderr: Buffer.concat(err).toString('utf8') + (signal ? `\nkilled by ${signal}` : ''),
        exitCode: code ?? 1,
      });
    });
    if (opts.input !== undefined && child.stdin) {
      child.stdin.on('error', () => undefined);
      child.stdin.end(opts.input);
    }
  });
}

export async function git(args: readonly string[], opts: GitOptions): Promise<GitResult> {
  const raw = await gitBytes(args, { ...opts, allowFail: true });
  const result = { ...raw, stdout: raw.stdout.toString('utf8') };
  if (result.exitCode !== 0 && !opts.allowFail) throw new GitError(args, opts.cwd, result);
  return result;
}

/** Like `git`, with stdout as bytes: sizes in `cat-file --batch` output are byte counts. */
export async function gitBytes(args: readonly string[], opts: GitOptions): Promise<GitBytesResult> {
  for (const fn of observers) fn(args, opts.cwd);
  const result = await spawnGit(args, opts);
  if (result.exitCode !== 0 && !opts.allowFail)
    throw new GitError(args, opts.cwd, { ...result, stdout: result.stdout.toString('utf8') });
  return result;
}

/** Convenience: stdout without the trailing newline. */
export async function gitOut(args: readonly string[], opts: GitOptions): Promise<string> {
  const { stdout } = await git(args, opts);
  return stdout.replace(/\n$/, '');
}

/**
 * A long-running git process fed line by line (`merge-tree --stdin`, `hash-object
 * --stdin-paths`): both answer each line as soon as it is read, so a sequence of dependent
 * steps costs one process instead of one per step.
 */
export class GitStream {
  private buf = '';
  private waiters: Array<() => void> = [];
  private result: GitResult | null = null;
  private readonly done: Promise<GitResult>;

  constructor(
    private readonly args: readonly string[],
    private readonly opts: GitOptions,
  ) {
    for (const fn of observers) fn(args, opts.cwd);
    const ended = counted(args);
    countProcess('git');
    const child = spawn('git', args, {
      cwd: opts.cwd,
      env: { ...process.env, LC_ALL: 'C', GIT_TERMINAL_PROMPT: '0', ...opts.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    this.child = child;
    const err: Buffer[] = [];
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (s: string) => {
      this.buf += s;
      this.wake();
    });
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.stdin.on('error', () => undefined);
    this.done = new Promise((resolve) => {
      const finish = (code: number | null, why = '') => {
        if (this.result) return;
        this.result = {
          stdout: this.buf,
          stderr: Buffer.concat(err).toString('utf8') + why,
          exitCode: code ?? 1,
        };
        this.wake();
        resolve(this.result);
      };
      child.on('error', (e: NodeJS.ErrnoException) =>
        finish(1, `could not run git: ${e.code ?? e.message}`),
      );
      child.on('close', (code) => {
        ended();
        finish(code);
      });
    });
  }

  private readonly child: ReturnType<typeof spawn>;

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    w.forEach((f) => f());
  }

  send(text: string): void {
    this.child.stdin?.write(text);
  }

  /** Wait until `parse` finds a complete answer at the start of the output, and consume it. */
  async take<T>(parse: (buf: string) => { value: T; used: number } | null): Promise<T> {
    for (;;) {
      const r = parse(this.buf);
      if (r) {
        this.buf = this.buf.slice(r.used);
        return r.value;
      }
      if (this.result) throw new GitError(this.args, this.opts.cwd, this.result);
      await new Promise<void>((res) => this.waiters.push(res));
    }
  }

  /** Close stdin and wait for the process to exit. */
  async end(): Promise<GitResult> {
    this.child.stdin?.end();
    return this.done;
  }
}
