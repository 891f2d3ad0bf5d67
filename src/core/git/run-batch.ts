import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { countProcess } from './spawn-count.js';

/**
 * Many git processes started by one `sh` instead of one node spawn each. A node spawn blocks the
 * event loop until the child has exec'd (libuv waits on its exec pipe), so on a loaded machine
 * 12 `git status` cost 12 scheduling waits in a row (5–15 ms each on the shared 2-core machine,
 * most of the wall time of `status --json`); `sh` forks its children without waiting, so they
 * all run at once and node waits for one exec. Each job's stdout and stderr go to files in a
 * private temporary directory (bytes as git wrote them; a pipe per job would need fd numbers
 * above 9, which dash cannot redirect); `sh` reports `<job> <exit code>` on its stdout as each
 * job ends, so every job's result is delivered as soon as it is complete. It also says which of
 * the two files are empty, so that node opens only the others (most stderr files, and the stdout
 * of a clean `status`, are empty), and reads them synchronously: a file of a few bytes costs one
 * syscall each way, where a promise read costs four trips through libuv's thread pool (with 21
 * jobs, ≈ 170 trips and their event-loop turns on a loaded machine). The files are removed by the
 * same `sh` once node closes its stdin (after the last read, or when node exits), not by node.
 *
 * Nothing from the jobs is ever part of the script: directories and arguments are positional
 * parameters (`<cwd> <argc> <args…>` per job), copied into `"$@"` by the shell itself. A job's
 * standard input, where it has one, is the file `<job>.in` node wrote there before the `sh`.
 */
const SCRIPT = `T=$1; shift
job() {
  k=$1; d=$2; c=$3; shift 3; n=$#; i=0
  for a do [ "$i" -lt "$c" ] && set -- "$@" "$a"; i=$((i + 1)); done
  shift "$n"
  if cd -- "$d" 2>"$T/$k.e"; then
    if [ -f "$T/$k.in" ]; then git "$@" <"$T/$k.in" >"$T/$k" 2>"$T/$k.e"; r=$?
    else git "$@" >"$T/$k" 2>"$T/$k.e"; r=$?; fi
    if [ -s "$T/$k" ]; then o=1; elif [ -f "$T/$k" ]; then o=0; else o=x; fi
    if [ -s "$T/$k.e" ]; then e=1; else e=0; fi
    echo "$k $r $o$e"
  else echo "$k cd 11"; fi
}
k=0
while [ "$#" -gt 0 ]; do
  job "$k" "$@" &
  shift $((2 + $2)); k=$((k + 1))
done
wait
read -r _
rm -rf -- "$T"`;

interface BatchResult {
  stdout: Buffer;
  stderr: string;
  exitCode: number;
}

interface BatchJob {
  args: readonly string[];
  cwd: string;
  input?: string | Buffer;
  resolve: (r: BatchResult) => void;
  reject: (e: Error) => void;
  /** Runs the job alone (node's own spawn) when nothing else is asked for in its turn. */
  alone: () => Promise<BatchResult>;
  /** Told the pid of the `sh`, which outlives the job's git. */
  onSpawn?: (pid: number) => void;
}

let batching = false;
/**
 * Start the git processes asked for in the same turn of the event loop from one `sh`. For
 * one-shot commands that ask for many at once (`status`, `migrations check`); a long-running
 * process (the TUI) spawns a few at a time and keeps node's own spawn, except where a call asks
 * for the batch itself (`GitOptions.batch`: the sweep's `git status` of every due worktree).
 */
export function batchGitSpawns(on = true): void {
  batching = on;
}

/**
 * Whether a call may wait for its turn's batch: no stdin, no timeout; batching on, or asked for
 * by the call itself (`asked`: the TUI's sweep, the sync's rebases).
 */
export function batchable(cwd: string, plain: boolean, asked = false): boolean {
  return (batching || asked) && plain && path.isAbsolute(cwd);
}

const queues = new Map<string, { env: NodeJS.ProcessEnv; jobs: BatchJob[] }>();

/**
 * Queue a git call for this turn's batch (one per environment: `key` names it). A turn with one
 * call runs it alone.
 */
export function queueGit(
  args: readonly string[],
  cwd: string,
  input: string | Buffer | undefined,
  env: NodeJS.ProcessEnv,
  key: string,
  alone: () => Promise<BatchResult>,
  cannotRun: (cwd: string, why: string) => Error,
  onSpawn?: (pid: number) => void,
): Promise<BatchResult> {
  return new Promise((resolve, reject) => {
    if (queues.size === 0) setImmediate(() => flush(cannotRun));
    let q = queues.get(key);
    if (!q) queues.set(key, (q = { env, jobs: [] }));
    q.jobs.push({ args, cwd, input, resolve, reject, alone, onSpawn });
  });
}

function flush(cannotRun: (cwd: string, why: string) => Error): void {
  const groups = [...queues.values()];
  queues.clear();
  for (const { env, jobs } of groups) {
    if (jobs.length === 1 || !runBatch(jobs, env, cannotRun)) {
      for (const j of jobs) j.alone().then(j.resolve, j.reject);
    }
  }
}

/** Temporary directories of batches still running: removed if the process exits first. */
const live = new Set<string>();
let hooked = false;

/**
 * Run `jobs` (all with the same environment) through one `sh`. `cannotRun(cwd, why)` makes the
 * error a job gets when its directory cannot be entered or git cannot be started (as a spawn
 * error would be). False when there is no temporary directory to write to (the caller runs the
 * jobs one by one).
 */
function runBatch(
  jobs: readonly BatchJob[],
  env: NodeJS.ProcessEnv,
  cannotRun: (cwd: string, why: string) => Error,
): boolean {
  let dir: string;
  try {
    dir = mkdtempSync(path.join(os.tmpdir(), 'fleet-tui-git-'));
  } catch {
    return false;
  }
  try {
    jobs.forEach(
      (j, k) => j.input !== undefined && writeFileSync(path.join(dir, `${k}.in`), j.input),
    );
  } catch {
    rmSync(dir, { recursive: true, force: true });
    return false;
  }
  live.add(dir);
  if (!hooked) {
    hooked = true;
    process.on('exit', () => live.forEach((d) => rmSync(d, { recursive: true, force: true })));
  }
  const argv = ['-c', SCRIPT, 'sh', dir];
  for (const j of jobs) argv.push(j.cwd, String(j.args.length), ...j.args);
  const pending = new Set(jobs.keys());
  const finishJob = (k: number, code: string, nonEmpty: string): void => {
    const job = jobs[k]!;
    const file = path.join(dir, String(k));
    if (code === 'cd') {
      void cdError(job.cwd).then((why) => job.reject(cannotRun(job.cwd, why)));
      return;
    }
    let stdout: Buffer;
    let stderr: string;
    // An output file that cannot be read (or is missing: `x`) is an error, never an empty answer
    // (an empty `status` would read as a clean worktree).
    try {
      stderr = nonEmpty[1] === '0' ? '' : readFileSync(`${file}.e`, 'utf8');
      // 127: sh could not find git on PATH (a spawn would fail with ENOENT).
      if (code === '127' && /not found/.test(stderr)) {
        job.reject(cannotRun(job.cwd, 'ENOENT'));
        return;
      }
      stdout = nonEmpty[0] === '0' ? Buffer.alloc(0) : readFileSync(file);
    } catch (e) {
      job.reject(cannotRun(job.cwd, (e as NodeJS.ErrnoException).code ?? String(e)));
      return;
    }
    job.resolve({ stdout, stderr, exitCode: Number(code) });
  };
  countProcess('sh');
  const child = spawn('sh', argv, { env, stdio: ['pipe', 'pipe', 'pipe'] });
  // Every file read: the sh removes the directory and ends on its own; node need not wait (were
  // the sh killed by a signal now, the directory would stay in the temporary directory).
  const release = () => {
    live.delete(dir);
    child.stdin.end();
    child.unref();
    (child.stdout as unknown as { unref?: () => void }).unref?.();
    (child.stderr as unknown as { unref?: () => void }).unref?.();
  };
  child.stdin.on('error', () => undefined);
  let buf = '';
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (s: string) => {
    buf += s;
    let nl: number;
    while ((nl = buf.indexOf('\n')) >= 0) {
      const [k, code, nonEmpty] = buf.slice(0, nl).split(' ');
      buf = buf.slice(nl + 1);
      const index = Number(k);
      if (code === undefined || nonEmpty?.length !== 2 || !pending.delete(index)) continue;
      finishJob(index, code, nonEmpty);
      if (pending.size === 0) release();
    }
  });
  child.stderr.resume();
  if (child.pid !== undefined) for (const j of jobs) j.onSpawn?.(child.pid);
  const end = (why: string) => {
    if (pending.size === 0) return;
    for (const k of pending) jobs[k]!.reject(cannotRun(jobs[k]!.cwd, why));
    pending.clear();
    // The sh ended (or never started) before its jobs did: the directory is node's to remove.
    rm(dir, { recursive: true, force: true })
      .then(() => live.delete(dir))
      .catch(() => undefined);
  };
  child.on('error', (e: NodeJS.ErrnoException) => end(`sh: ${e.code ?? e.message}`));
  child.on('close', (code, signal) => end(`sh ended (${signal ?? code}) before git did`));
  return true;
}

/** Why a directory cannot be entered, named as node's spawn names it (ENOENT, ENOTDIR, EACCES). */
function cdError(dir: string): Promise<string> {
  return stat(dir).then(
    (s) => (s.isDirectory() ? 'EACCES' : 'ENOTDIR'),
    (e: NodeJS.ErrnoException) => e.code ?? 'ENOENT',
  );
}
