import { link, mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { FleetError } from '../errors.js';
import { lockPath, readLock, type LockInfo } from '../git/lock.js';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * The `migrations new` lock (`<commonDir>/fleet-tui/migrations-new.lock`, same format as the
 * repo lock). It is created complete in one step (write a private file, then `link` it into
 * place), so a process that finds the lock never sees it half-written and mistakes it for a
 * dead holder's — concurrent `migrations new` calls start within milliseconds of each other.
 */
export async function withNewLock<T>(
  commonDir: string,
  fn: () => Promise<T>,
  waitMs = 30_000,
): Promise<T> {
  const file = lockPath(commonDir, 'migrations-new');
  await mkdir(path.dirname(file), { recursive: true });
  const mine = `${file}.${process.pid}.${Date.now()}`;
  const info: LockInfo = {
    pid: process.pid,
    time: new Date().toISOString(),
    purpose: 'migrations-new',
  };
  await writeFile(mine, JSON.stringify(info));
  const deadline = Date.now() + waitMs;
  try {
    for (;;) {
      try {
        await link(mine, file);
        break;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      }
      const h = await readLock(file);
      if (h && !alive(h.pid)) {
        await rm(file, { force: true });
        continue;
      }
      if (Date.now() >= deadline) {
        throw new FleetError(
          `${file} is held by pid ${h?.pid ?? '?'} since ${h?.time ?? '?'} — wait for it, or stop that process`,
        );
      }
      await new Promise((r) => setTimeout(r, 20));
    }
  } finally {
    await rm(mine, { force: true });
  }
  try {
    return await fn();
  } finally {
    await rm(file, { force: true });
  }
}
