import { spawn } from 'node:child_process';
import path from 'node:path';
import type { ResolvedHost } from '../../config/types.js';
import { FleetError } from '../errors.js';
import { controlDir } from './control-dir.js';
import { countMaster, countSession } from './counters.js';
import { git, type GitResult } from '../git/run.js';
import { shArgv } from './quote.js';

/**
 * The transport to SSH hosts: one OpenSSH connection per host, shared by every command
 * (ControlMaster, kept for a minute by ControlPersist), started once per host and process. Each
 * command is one session over that connection; commands to different hosts run in parallel, and
 * every one has a deadline, so a slow or dead host costs its own instances only.
 */

/** A host could not be reached (or did not answer in time): ssh's own words, one line. */
export class HostError extends FleetError {
  constructor(
    readonly host: string,
    readonly detail: string,
  ) {
    super(`host "${host}" unreachable: ${detail}`);
    this.name = 'HostError';
  }
}

export interface SshResult {
  stdout: Buffer;
  stderr: string;
  exitCode: number;
}

/** Seconds to connect (TCP and the SSH greeting); FLEET_SSH_CONNECT_TIMEOUT overrides it. */
const connectTimeout = () => Number(process.env.FLEET_SSH_CONNECT_TIMEOUT) || 10;
/** Default deadline of one command (a status read, a small git command). */
const DEFAULT_TIMEOUT_MS = 30_000;

function controlPath(host: ResolvedHost): string {
  // The host's name keeps two aliases of one machine on two connections (%C alone would merge
  // them: it hashes the address, port and user).
  return path.join(controlDir(), `${host.name}-%C`);
}

/** Options every ssh invocation to `host` shares (git's GIT_SSH_COMMAND included). */
export function sshOptions(host: ResolvedHost): string[] {
  const cfg = process.env.FLEET_SSH_CONFIG;
  return [
    ...(cfg ? ['-F', cfg] : []),
    '-o',
    'BatchMode=yes',
    '-o',
    `ConnectTimeout=${connectTimeout()}`,
    '-o',
    'ServerAliveInterval=5',
    '-o',
    'ServerAliveCountMax=3',
    '-o',
    `ControlPath=${controlPath(host)}`,
    ...(host.port ? ['-p', String(host.port)] : []),
    ...(host.identityFile ? ['-i', host.identityFile, '-o', 'IdentitiesOnly=yes'] : []),
  ];
}

/** ssh's last meaningful stderr line (what a person needs to see). */
function sshSaid(stderr: string): string {
  const lines = stderr
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  return lines[lines.length - 1] ?? 'ssh failed';
}

function spawnSsh(
  args: string[],
  opts: { input?: string | Buffer; timeoutMs: number },
): Promise<SshResult & { timedOut: boolean }> {
  return new Promise((resolve) => {
    const child = spawn('ssh', args, {
      stdio: [opts.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
      env: { ...process.env, LC_ALL: 'C' },
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, opts.timeoutMs);
    child.stdout?.on('data', (b: Buffer) => out.push(b));
    child.stderr?.on('data', (b: Buffer) => err.push(b));
    child.on('error', (e: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      resolve({
        stdout: Buffer.alloc(0),
        stderr: `could not run ssh: ${e.code ?? e.message}`,
        exitCode: 255,
        timedOut,
      });
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({
        stdout: Buffer.concat(out),
        stderr: Buffer.concat(err).toString('utf8'),
        exitCode: code ?? 255,
        timedOut,
      });
    });
    if (opts.input !== undefined && child.stdin) {
      child.stdin.on('error', () => undefined);
      child.stdin.end(opts.input);
    }
  });
}

const masters = new Map<string, Promise<void>>();

/** Start (or find) the shared connection to `host`. Throws HostError when it cannot. */
export function ensureMaster(host: ResolvedHost): Promise<void> {
  const key = `${host.name}\0${controlDir()}`;
  let p = masters.get(key);
  if (!p) {
    p = openMaster(host);
    masters.set(key, p);
    // A failed attempt is not remembered: the next command tries again (the host came back).
    p.catch(() => masters.delete(key));
  }
  return p;
}

async function openMaster(host: ResolvedHost): Promise<void> {
  const base = sshOptions(host);
  const check = await spawnSsh([...base, '-O', 'check', '--', host.ssh], { timeoutMs: 5_000 });
  if (check.exitCode === 0) return;
  // -f: go to the background once authenticated, so this returns when the connection is up.
  const res = await spawnSsh(
    [...base, '-o', 'ControlMaster=yes', '-o', 'ControlPersist=60', '-f', '-N', '--', host.ssh],
    { timeoutMs: (connectTimeout() + 5) * 1000 },
  );
  if (res.exitCode !== 0 || res.timedOut) {
    throw new HostError(host.name, res.timedOut ? 'connecting timed out' : sshSaid(res.stderr));
  }
  countMaster(host.name);
}

/**
 * sshd refuses more than MaxSessions (default 10) sessions on one connection, and agents on a
 * host keep three long ones open (tmux control client, event watcher, capture loop): at most
 * this many commands run at once per host; the others wait their turn.
 */
const MAX_COMMANDS_PER_HOST = 6;
const running = new Map<string, { n: number; waiting: Array<() => void> }>();

async function inTurn<T>(host: string, fn: () => Promise<T>): Promise<T> {
  let slot = running.get(host);
  if (!slot) running.set(host, (slot = { n: 0, waiting: [] }));
  const s = slot;
  if (s.n >= MAX_COMMANDS_PER_HOST) await new Promise<void>((r) => s.waiting.push(r));
  else s.n++;
  try {
    return await fn();
  } finally {
    // Hand the slot straight to the next waiter (the count stays), or free it.
    const next = s.waiting.shift();
    if (next) next();
    else s.n--;
  }
}

export interface HostRunOptions {
  input?: string | Buffer;
  timeoutMs?: number;
  /** Agent traffic (tmux commands, captures): not one of the sessions `land --json` counts. */
  uncounted?: boolean;
}

/**
 * Run `script` (a POSIX shell command line; quote every untrusted word with shQuote) on `host`
 * over the shared connection. The script's own exit code comes back; ssh's failures (exit 255,
 * the deadline) throw HostError.
 */
export async function hostRun(
  host: ResolvedHost,
  script: string,
  opts: HostRunOptions = {},
): Promise<SshResult> {
  await ensureMaster(host);
  if (!opts.uncounted) countSession(host.name);
  const res = await inTurn(host.name, () =>
    spawnSsh([...sshOptions(host), '-o', 'ControlMaster=no', '-T', '--', host.ssh, script], {
      input: opts.input,
      timeoutMs: opts.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    }),
  );
  if (res.timedOut) {
    throw new HostError(
      host.name,
      `no answer within ${Math.round((opts.timeoutMs ?? DEFAULT_TIMEOUT_MS) / 1000)} s`,
    );
  }
  if (res.exitCode === 255) throw new HostError(host.name, sshSaid(res.stderr));
  return res;
}

/** Run git with `args` in `cwd` on the host (argv quoted word by word). */
export function hostGit(
  host: ResolvedHost,
  cwd: string,
  args: readonly string[],
  opts: HostRunOptions & { readOnly?: boolean } = {},
): Promise<SshResult> {
  const env = opts.readOnly ? 'LC_ALL=C GIT_OPTIONAL_LOCKS=0' : 'LC_ALL=C';
  return hostRun(host, `${env} git ${shArgv(['-C', cwd, ...args])}`, opts);
}

/**
 * Run local git against the host's clone (fetch, push) over the same shared connection: the URL
 * is scp-like (`ssh` and `repo` are validated, so neither is read as an option) and
 * GIT_SSH_COMMAND carries our ssh options (git runs it through a shell, hence quoted). Counted
 * as one session; a connection failure (git's "Could not read from remote repository") throws
 * HostError with ssh's own words.
 */
export async function gitWithHost(
  host: ResolvedHost,
  cwd: string,
  args: (url: string) => string[],
): Promise<GitResult> {
  await ensureMaster(host);
  countSession(host.name);
  const res = await git(args(`${host.ssh}:${host.repo}`), {
    cwd,
    allowFail: true,
    timeoutMs: 300_000,
    env: { GIT_SSH_COMMAND: shArgv(['ssh', ...sshOptions(host), '-o', 'ControlMaster=no']) },
  });
  if (
    res.exitCode !== 0 &&
    /Could not read from remote repository|killed by SIG/.test(res.stderr)
  ) {
    const said = res.stderr
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l && !/^fatal: Could not read|^Please make sure|^and the repository/.test(l));
    throw new HostError(host.name, said[0] ?? 'the connection failed');
  }
  return res;
}

/** Make sure the shared connection to `host` is up (throws HostError when it cannot be). */
export const hostConnect = (host: ResolvedHost): Promise<void> => ensureMaster(host);

/** The connection to `host` failed under a running command: the next one checks it again
 * (and opens a new one when the old is gone) instead of trusting the one made earlier. */
export function forgetHost(host: ResolvedHost): void {
  masters.delete(`${host.name}\0${controlDir()}`);
}

/**
 * The ssh argv of a long-running session on `host` over the shared connection (a tmux control
 * client, an event watcher): `script` is one remote shell command line, quoted by the caller.
 * `tty`: a terminal for a person (`ssh -t`, attach).
 */
export function sshArgv(host: ResolvedHost, script: string, tty = false): string[] {
  return [...sshOptions(host), '-o', 'ControlMaster=no', tty ? '-t' : '-T', '--', host.ssh, script];
}

/** Close the shared connection to `host` (tests; a TUI quitting). */
export async function closeHost(host: ResolvedHost): Promise<void> {
  masters.delete(`${host.name}\0${controlDir()}`);
  await spawnSsh([...sshOptions(host), '-O', 'exit', '--', host.ssh], { timeoutMs: 5_000 });
}
