import { execa } from 'execa';
import { FleetError } from '../errors.js';

/**
 * The one place fleet-tui runs git. Argument arrays only (never a shell string), `LC_ALL=C` so
 * porcelain and error text are stable, and read-only calls never take optional locks so that
 * `status` does not fight an agent for `index.lock`.
 */
export interface GitOptions {
  cwd: string;
  /** Read-only command: sets GIT_OPTIONAL_LOCKS=0. */
  readOnly?: boolean;
  /** Do not throw on a non-zero exit; inspect `exitCode` instead. */
  allowFail?: boolean;
  input?: string;
  env?: Record<string, string>;
  /** Kill the command after this many milliseconds. */
  timeoutMs?: number;
}

export interface GitResult {
  stdout: string;
  stderr: string;
  exitCode: number;
}

export class GitError extends FleetError {
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

export async function git(args: readonly string[], opts: GitOptions): Promise<GitResult> {
  for (const fn of observers) fn(args, opts.cwd);
  const env: Record<string, string> = { LC_ALL: 'C', GIT_TERMINAL_PROMPT: '0', ...opts.env };
  if (opts.readOnly) env.GIT_OPTIONAL_LOCKS = '0';
  const res = await execa('git', args, {
    cwd: opts.cwd,
    env,
    input: opts.input,
    reject: false,
    stripFinalNewline: false,
    timeout: opts.timeoutMs,
    maxBuffer: 256 * 1024 * 1024,
  });
  if (res.failed && res.exitCode === undefined) {
    // Spawn failure (git missing, cwd gone): surface execa's short message, not a stack.
    throw new FleetError(`could not run git in ${opts.cwd}: ${res.shortMessage}`);
  }
  const result: GitResult = {
    stdout: typeof res.stdout === 'string' ? res.stdout : '',
    stderr: typeof res.stderr === 'string' ? res.stderr : '',
    exitCode: res.exitCode ?? 1,
  };
  if (result.exitCode !== 0 && !opts.allowFail) throw new GitError(args, opts.cwd, result);
  return result;
}

/** Convenience: stdout without the trailing newline. */
export async function gitOut(args: readonly string[], opts: GitOptions): Promise<string> {
  const { stdout } = await git(args, opts);
  return stdout.replace(/\n$/, '');
}
