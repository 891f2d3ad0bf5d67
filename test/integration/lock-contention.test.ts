// The repository lock under contention, with real processes: many takers find the same dead
// holder's land.lock at once; exactly one may win. (Before rename-and-verify, two takers could
// both remove the dead lock and both link their own: both ran.)
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { REPO_ROOT } from '../helpers/git-fixture.js';

const TAKERS = 12;
const ROUNDS = 4;

// One taker: wait for the start signal, try the lock once (no waiting), report, and hold the
// lock until told to let go — so a second winner could not hide behind the first one's exit.
const TAKER = `
import { existsSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
const { withRepoLock, lockPath } = await import(process.argv[1]);
const [commonDir, go, release] = process.argv.slice(2);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
writeFileSync(go + '.ready-' + process.pid, ''); // at the barrier
while (!existsSync(go)) await sleep(1);
let stale = null;
try {
  await withRepoLock(commonDir, 'land', async () => {
    const held = JSON.parse(await readFile(lockPath(commonDir, 'land'), 'utf8'));
    console.log(JSON.stringify({ won: true, stale, holderPid: held.pid, time: held.time }));
    while (!existsSync(release)) await sleep(5);
  }, { onStale: (info) => (stale = info.pid) });
} catch (e) {
  console.log(JSON.stringify({ won: false, message: e.message }));
}
`;

interface Report {
  pid: number;
  won: boolean;
  stale?: number | null;
  holderPid?: number;
  time?: string;
  message?: string;
}

describe('land.lock under contention', () => {
  let dir: string | undefined;
  const children: ChildProcess[] = [];
  afterEach(async () => {
    children.forEach((c) => c.kill('SIGKILL'));
    children.length = 0;
    if (dir) await rm(dir, { recursive: true, force: true });
    dir = undefined;
  });

  it(`${TAKERS} processes take over one dead holder's lock at once: exactly one wins (${ROUNDS} rounds)`, async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'fleet-lock-'));
    const commonDir = path.join(dir, 'git');
    const lockFile = path.join(commonDir, 'fleet-tui', 'land.lock');
    await mkdir(path.dirname(lockFile), { recursive: true });
    const lockModule = path.join(REPO_ROOT, 'dist', 'core', 'git', 'lock.js');
    // A pid that is certainly dead: a process that has exited and been reaped.
    const dead = spawn(process.execPath, ['-e', '0']);
    await new Promise((r) => dead.once('exit', r));
    for (let round = 0; round < ROUNDS; round++) {
      const go = path.join(dir, `go-${round}`);
      const release = path.join(dir, `release-${round}`);
      await writeFile(
        lockFile,
        JSON.stringify({ pid: dead.pid, time: '2026-01-01T00:00:00.000Z', purpose: 'land' }),
      );
      const reports: Report[] = [];
      const exits: Array<Promise<unknown>> = [];
      for (let i = 0; i < TAKERS; i++) {
        const child = spawn(
          process.execPath,
          ['--input-type=module', '-e', TAKER, lockModule, commonDir, go, release],
          { stdio: ['ignore', 'pipe', 'inherit'] },
        );
        children.push(child);
        exits.push(new Promise((r) => child.once('exit', r)));
        let buf = '';
        child.stdout.on('data', (b: Buffer) => {
          buf += b.toString();
          if (buf.endsWith('\n'))
            reports.push({ pid: child.pid!, ...(JSON.parse(buf) as object) } as Report);
        });
      }
      // Every process started and sits at the barrier: release them together.
      await vi.waitFor(
        async () => {
          const ready = (await readdir(dir!)).filter((f) => f.startsWith(`go-${round}.ready-`));
          expect(ready).toHaveLength(TAKERS);
        },
        { timeout: 60_000, interval: 20 },
      );
      await writeFile(go, '');
      await vi.waitFor(() => expect(reports).toHaveLength(TAKERS), {
        timeout: 60_000,
        interval: 20,
      });
      const winners = reports.filter((r) => r.won);
      expect(winners, `round ${round}: ${JSON.stringify(reports)}`).toHaveLength(1);
      const winner = winners[0]!;
      // The lock on disk is the winner's, with pid and time inside.
      expect(winner.holderPid).toBe(winner.pid);
      expect(Date.parse(winner.time!)).not.toBeNaN();
      for (const l of reports.filter((r) => !r.won))
        expect(l.message).toMatch(new RegExp(`held by pid ${winner.pid}\\b|being taken over`));
      await writeFile(release, '');
      await Promise.all(exits);
      children.length = 0;
      // The winner let go, and no claim or temp file is left behind.
      expect(await readdir(path.dirname(lockFile))).toEqual([]);
      expect(await readFile(lockFile, 'utf8').catch(() => null)).toBeNull();
    }
  }, 180_000);
});
