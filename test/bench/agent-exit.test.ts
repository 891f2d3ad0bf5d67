// The load printer and the simulated agent end cleanly and at once when what they write to goes
// away. They used to call process.exit() from their SIGHUP/SIGTERM/stdout-error handlers, and
// node died in its exit path instead: SIGABRT (it cannot restore a terminal that is gone) or a
// segfault in libgcc_s while printing that abort's backtrace — dozens per benchmark run.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { PRINTER } from '../../bench/load/spec.js';
import { BIN } from '../helpers/git-fixture.js';

let dir = '';
const kids: ChildProcess[] = [];
afterEach(async () => {
  for (const k of kids.splice(0))
    if (k.exitCode === null && k.signalCode === null) k.kill('SIGKILL');
  if (existsSync(path.join(dir, 'sock')))
    await execa('tmux', ['-S', path.join(dir, 'sock'), 'kill-server'], { reject: false });
  if (dir) await rm(dir, { recursive: true, force: true });
  dir = '';
});

async function goFile(): Promise<string> {
  dir = await mkdtemp(path.join(os.tmpdir(), 'fae-'));
  const go = path.join(dir, 'go.json');
  await writeFile(go, JSON.stringify({ start: Date.now() + 100, rate: 1000, durationS: 60 }));
  return go;
}

/** Start `argv` with piped stdout, wait for its first output, then close our end of the pipe. */
async function readerGoes(argv: string[], cwd?: string) {
  const child = spawn(process.execPath, argv, { stdio: ['pipe', 'pipe', 'ignore'], cwd });
  kids.push(child);
  const ended = new Promise<[number | null, string | null]>((r) =>
    child.once('exit', (code, sig) => r([code, sig])),
  );
  await new Promise((r) => child.stdout.once('data', r));
  child.stdout.destroy();
  // Within a bound that only a process that never ends would miss (no fixed sleep).
  return await Promise.race([
    ended,
    new Promise<string>((r) => setTimeout(() => r('still running after 20 s'), 20_000).unref()),
  ]);
}

describe('bench printer and sim agent: ending when the reader goes away', () => {
  it('a printer in a tmux pane whose server is killed dies of SIGHUP at once (no abort, no segfault)', async () => {
    const go = await goFile();
    const status = path.join(dir, 'status');
    const sock = path.join(dir, 'sock');
    // The shell outlives the hang-up to record how the printer ended (node resets the ignored
    // SIGHUP to its default when it starts).
    const cmd = `trap '' HUP; ${process.execPath} ${PRINTER} p1 ${go}; echo $? > ${status}`;
    await execa('tmux', ['-S', sock, 'new-session', '-d', '-x', '120', '-y', '30', cmd]);
    await vi.waitFor(
      async () => {
        const { stdout } = await execa('tmux', ['-S', sock, 'capture-pane', '-p']);
        expect(stdout).toMatch(/@\w+ p1/);
      },
      { timeout: 20_000 },
    );
    await execa('tmux', ['-S', sock, 'kill-server']);
    await vi.waitFor(() => expect(existsSync(status)).toBe(true), { timeout: 20_000 });
    // 128 + SIGHUP; before: 134 (SIGABRT) or 139 (SIGSEGV).
    expect((await readFile(status, 'utf8')).trim()).toBe('129');
  });

  it('a printer whose stdout pipe is closed exits 0 by itself', async () => {
    const go = await goFile();
    expect(await readerGoes([PRINTER, 'p1', go])).toEqual([0, null]);
  });

  it('a simulated agent (rate mode, and mid-conversation) whose stdout pipe is closed exits 0 by itself', async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'fae-'));
    await execa('git', ['init', '-q', dir]);
    const sim = [BIN, 'sim-agent', '--instance', 'ps1'];
    expect(await readerGoes([...sim, '--rate', '500'], dir)).toEqual([0, null]);
    // Waiting for the next prompt (a minute) or between steps: it still ends at once.
    expect(
      await readerGoes([...sim, '--pace', '10', '--idle', '60000', '--commit-every', '1000'], dir),
    ).toEqual([0, null]);
  });
});
