// A real OpenSSH sshd for the SSH-host tests: 127.0.0.1, a free port, a throwaway host key and
// client key, and a test-only ssh_config with two aliases (two "hosts" on this one machine).
// Runs as whoever runs the tests: as root it needs sshd's privilege-separation directory; as
// any other user sshd simply authenticates that same user (no root needed).
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';

const SSHD = ['/usr/sbin/sshd', '/usr/local/sbin/sshd'].find((p) => existsSync(p)) ?? '';

export interface Sshd {
  /** Directory holding keys, configs and logs. */
  dir: string;
  port: number;
  /** The test-only ssh_config (pass with `ssh -F`; fleet-tui reads FLEET_SSH_CONFIG). */
  sshConfig: string;
  /** Aliases defined in sshConfig, both reaching this sshd. */
  aliases: [string, string];
  /** Environment for fleet-tui: this ssh_config, a private control-socket directory. */
  env: Record<string, string>;
  /** Successful logins so far (each one TCP connection), from sshd's own log. */
  logins(): Promise<number>;
  /** sshd's log (`-E`), for failure messages. */
  log(): Promise<string>;
  /** Stop sshd (SIGTERM); live sessions are cut. */
  stop(): Promise<void>;
  /** Start it again on the same port (after `stop`). */
  start(): Promise<void>;
  /** Does it accept connections now? */
  running(): Promise<boolean>;
  cleanup(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

/** Environment every session on the test sshd gets: the test's own git identity and config
 * (and tmux directory, when the test set one). */
function sessionEnv(): string {
  const keep = [
    'GIT_CONFIG_GLOBAL',
    'GIT_CONFIG_NOSYSTEM',
    'GIT_AUTHOR_NAME',
    'GIT_AUTHOR_EMAIL',
    'GIT_COMMITTER_NAME',
    'GIT_COMMITTER_EMAIL',
    // Agents on hosts: the tests' tmux servers live in their own directory on the "host" too.
    'TMUX_TMPDIR',
  ];
  return keep
    .filter((k) => process.env[k])
    .map((k) => `${k}=${process.env[k]!.replace(/\s/g, '_')}`)
    .join(' ');
}

/** Every process below `pid` (read from /proc: the harness knows only its own sshd's pid). */
function descendants(pid: number): number[] {
  const parents = new Map<number, number>();
  for (const name of readdirSync('/proc')) {
    if (!/^[0-9]+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      // "pid (comm) state ppid …": comm may hold spaces and parentheses; read after the last ")".
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      parents.set(Number(name), ppid);
    } catch {
      // the process ended while we looked
    }
  }
  const out: number[] = [];
  const walk = (p: number) => {
    for (const [child, parent] of parents)
      if (parent === p) {
        out.push(child);
        walk(child);
      }
  };
  walk(pid);
  return out;
}

function isSshd(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim().startsWith('sshd');
  } catch {
    return false;
  }
}

export async function startSshd(): Promise<Sshd> {
  if (!SSHD) throw new Error('sshd not found — install openssh-server (see README, Tests)');
  // Short path: ControlPath sockets must fit in sun_path (108 bytes).
  const dir = await mkdtemp(path.join(os.tmpdir(), 'fsd-'));
  const hostKey = path.join(dir, 'host_ed25519');
  const userKey = path.join(dir, 'id_ed25519');
  await execa('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', hostKey]);
  await execa('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', userKey]);
  const authorized = path.join(dir, 'authorized_keys');
  await writeFile(authorized, await readFile(`${userKey}.pub`), { mode: 0o600 });
  const hostPub = (await readFile(`${hostKey}.pub`, 'utf8')).trim().split(' ');
  const port = await freePort();
  const knownHosts = path.join(dir, 'known_hosts');
  await writeFile(knownHosts, `[127.0.0.1]:${port} ${hostPub[0]} ${hostPub[1]}\n`);
  const user = os.userInfo().username;
  const sshdConfig = path.join(dir, 'sshd_config');
  await writeFile(
    sshdConfig,
    [
      `Port ${port}`,
      'ListenAddress 127.0.0.1',
      `HostKey ${hostKey}`,
      `PidFile ${path.join(dir, 'sshd.pid')}`,
      `AuthorizedKeysFile ${authorized}`,
      // Keys live in a temp dir whose parent is world-writable (/tmp).
      'StrictModes no',
      'UsePAM no',
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      'PubkeyAuthentication yes',
      'PermitRootLogin prohibit-password',
      `AllowUsers ${user}`,
      'MaxSessions 50',
      'MaxStartups 50:30:100',
      // Sessions use the test's isolated git config and identity, as a real host has its own.
      // SHLVL=1: bash (Debian's, as the login shell) sources ~/.bashrc for every ssh command
      // when it thinks sshd ran it directly (SHLVL unset). This machine's root ~/.bashrc runs
      // `pyenv init` (~2 s a command, 4 s under load), which put the agent tests past their
      // timeouts. The hosts here are the test's own: their shell starts clean, as their git
      // config does. fleet-tui itself never relies on a host's rc files either way.
      `SetEnv SHLVL=1 ${sessionEnv()}`.trimEnd(),
      'LogLevel VERBOSE',
      '',
    ].join('\n'),
  );
  const sshConfig = path.join(dir, 'ssh_config');
  const aliases: [string, string] = ['hosta', 'hostb'];
  await writeFile(
    sshConfig,
    aliases
      .map((a) =>
        [
          `Host ${a}`,
          '  HostName 127.0.0.1',
          `  Port ${port}`,
          `  User ${user}`,
          `  IdentityFile ${userKey}`,
          '  IdentitiesOnly yes',
          `  UserKnownHostsFile ${knownHosts}`,
          '  StrictHostKeyChecking yes',
          '  BatchMode yes',
          '  LogLevel ERROR',
          '',
        ].join('\n'),
      )
      .join(''),
  );
  const ctlDir = path.join(dir, 'ctl');
  mkdirSync(ctlDir, { mode: 0o700 });
  if (process.getuid?.() === 0) mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });
  const logFile = path.join(dir, 'sshd.log');

  let child: ChildProcess | null = null;
  const start = async () => {
    // -D: stay in the foreground (so the test owns the process); -E: log to a file.
    child = spawn(SSHD, ['-D', '-f', sshdConfig, '-E', logFile], { stdio: 'ignore' });
    const c = child;
    let exited = false;
    c.once('exit', () => (exited = true));
    const deadline = Date.now() + 15_000;
    while (!(await canConnect(port))) {
      if (exited || Date.now() > deadline) {
        const log = await readFile(logFile, 'utf8').catch(() => '');
        throw new Error(`sshd did not start on port ${port}: ${log.trim().split('\n').pop()}`);
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  const stop = async () => {
    const c = child;
    child = null;
    if (!c || c.exitCode !== null || c.pid === undefined) return;
    // The listener's forked per-connection sshd processes outlive it: end them too, so "sshd
    // stopped" also cuts every open connection, as a network cut would. The commands those
    // sessions run are left alone (they are the host's processes: a connection that dies does
    // not kill them either). Only processes this harness started are signalled.
    const family = descendants(c.pid).filter((pid) => isSshd(pid));
    const gone = new Promise((r) => c.once('exit', r));
    c.kill('SIGTERM');
    for (const pid of family) {
      try {
        process.kill(pid, 'SIGTERM');
      } catch {
        // already gone
      }
    }
    await gone;
  };
  await start();
  return {
    dir,
    port,
    sshConfig,
    aliases,
    env: { FLEET_SSH_CONFIG: sshConfig, FLEET_SSH_CONTROL_DIR: ctlDir },
    log: () => readFile(logFile, 'utf8').catch(() => ''),
    logins: async () =>
      ((await readFile(logFile, 'utf8').catch(() => '')).match(/Accepted publickey/g) ?? []).length,
    stop,
    start,
    running: () => canConnect(port),
    cleanup: async () => {
      await stop();
      await rm(dir, { recursive: true, force: true, maxRetries: 3 });
    },
  };
}
