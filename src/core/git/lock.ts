import { mkdir, open, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { FleetError } from '../errors.js';
import { fleetDir } from './repo.js';

/**
 * Cross-process lock: a file `<commonDir>/fleet-tui/<name>.lock` holding `{pid, time}`, created
 * with O_EXCL. A lock whose pid is no longer alive is taken over (and reported through
 * `onStale`). Within one process, callers of the same lock are queued, so a TUI that fires two
 * lands in a row runs them one after the other instead of failing the second.
 */
export interface LockInfo {
  pid: number;
  time: string;
  /** What holds it, for messages ("land", "migrations-new"). */
  purpose: string;
}

export interface LockOptions {
  /** How long to wait for another live process before giving up (ms). Default 0: fail at once. */
  waitMs?: number;
  onStale?: (info: LockInfo) => void;
}

const inProcess = new Map<string, Promise<unknown>>();

export function lockPath(commonDir: string, name: string): string {
  return path.join(fleetDir(commonDir), `${name}.lock`);
}

/** Is a process with this pid running (EPERM: it exists but belongs to someone else)? */
export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export async function readLock(file: string): Promise<LockInfo | null> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as LockInfo;
  } catch {
    return null;
  }
}

async function acquire(file: string, purpose: string, opts: LockOptions): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const deadline = Date.now() + (opts.waitMs ?? 0);
  for (;;) {
    try {
      const fh = await open(file, 'wx');
      const info: LockInfo = { pid: process.pid, time: new Date().toISOString(), purpose };
      await fh.writeFile(JSON.stringify(info));
      await fh.close();
      return;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    const holder = await readLock(file);
    if (!holder || !pidAlive(holder.pid)) {
      // A half-written or dead holder's lock: take it over.
      if (holder) opts.onStale?.(holder);
      await rm(file, { force: true });
      continue;
    }
    if (Date.now() >= deadline) {
      throw new FleetError(
        `${path.basename(file)} is held by pid ${holder.pid} (${holder.purpose}, since ${holder.time}) — wait for it to finish, or stop that process`,
      );
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Run `fn` while holding the named lock of this repository. */
export async function withRepoLock<T>(
  commonDir: string,
  name: string,
  fn: () => Promise<T>,
  opts: LockOptions = {},
): Promise<T> {
  const file = lockPath(commonDir, name);
  const prev = inProcess.get(file) ?? Promise.resolve();
  const run = prev
    .catch(() => undefined)
    .then(async () => {
      await acquire(file, name, opts);
      try {
        return await fn();
      } finally {
        await rm(file, { force: true });
      }
    });
  inProcess.set(file, run);
  try {
    return await run;
  } finally {
    if (inProcess.get(file) === run) inProcess.delete(file);
  }
}
