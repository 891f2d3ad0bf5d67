// The SSH-cut tests' view of processes (the "hosts" are this machine, so /proc shows them):
// fleet-tui's ssh processes of one control directory, and the host sync scripts a land left
// running on a host after its connection was cut.
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { expect, vi } from 'vitest';

export interface Proc {
  pid: number;
  ppid: number;
  comm: string;
  argv: string[];
}

/** Every process now (those that end while we look are left out). */
export async function procs(): Promise<Proc[]> {
  const out: Proc[] = [];
  for (const d of await readdir('/proc').catch(() => [] as string[])) {
    if (!/^\d+$/.test(d)) continue;
    const [stat, cmdline] = await Promise.all([
      readFile(`/proc/${d}/stat`, 'utf8').catch(() => ''),
      readFile(`/proc/${d}/cmdline`, 'utf8').catch(() => ''),
    ]);
    if (!stat) continue; // ended while we looked
    // "pid (comm) state ppid …": comm may hold spaces and parentheses.
    const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    out.push({ pid: Number(d), ppid, comm, argv: cmdline.split('\0') });
  }
  return out;
}

/** ssh processes of one fleet-tui run (told apart by their control directory), master or sessions. */
export async function sshPids(ctl: string, which: 'master' | 'sessions'): Promise<number[]> {
  return (await procs())
    .filter(
      (p) =>
        path.basename(p.argv[0] ?? '') === 'ssh' &&
        p.argv.some((a) => a.startsWith(`ControlPath=${ctl}/`)) &&
        p.argv.includes('ControlMaster=yes') === (which === 'master'),
    )
    .map((p) => p.pid);
}

/** SIGKILL `pid` if it still runs: an ssh session may end between listing it and the kill. */
export function killIfAlive(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ESRCH') throw e;
  }
}

/**
 * What still runs of a sync on these host clones: the remote shells running a host sync script
 * (its argv holds the whole script: the marker directory and the worktree paths), and sshd's
 * session children not yet turned into that shell (forked, not exec'd: same title as their
 * parent, or orphaned when the cut connection's sshd already ended; a listener is neither) — a
 * script whose session request reached sshd just before the cut starts from those.
 */
export async function hostSyncsRunning(clones: readonly string[]): Promise<string[]> {
  const all = await procs();
  const byPid = new Map(all.map((p) => [p.pid, p]));
  const title = (p: Proc | undefined) => (p ? p.argv.join(' ').trim() : '');
  const sshd = (p: Proc | undefined) => !!p && p.comm.startsWith('sshd');
  const out: string[] = [];
  for (const p of all) {
    const text = p.argv.join(' ');
    if (text.includes('fleet-tui/syncing-host') && clones.some((c) => text.includes(c)))
      out.push(`${p.pid} sync script`);
    else if (sshd(p) && title(p).startsWith('sshd: ') && !title(p).includes('[listener]')) {
      const parent = byPid.get(p.ppid);
      if (!sshd(parent) || title(parent) === title(p))
        out.push(`${p.pid} sshd session child (${title(p)})`);
    }
  }
  return out;
}

/**
 * A host's sync script carries on by itself after a cut: wait until every one has ended and
 * left no marker. An empty marker directory alone is no sign: it is empty before a script
 * writes its marker too.
 */
export async function hostScriptsDone(clones: readonly string[], timeout = 120_000) {
  await vi.waitFor(
    async () => {
      expect(await hostSyncsRunning(clones)).toEqual([]);
      for (const c of clones) {
        const dir = path.join(c, '.git', 'fleet-tui', 'syncing-host');
        expect(await readdir(dir).catch(() => [])).toEqual([]);
      }
    },
    { timeout, interval: 100 },
  );
}
