import { createHash, randomBytes } from 'node:crypto';
import { link, mkdir, readFile, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { FleetError } from '../errors.js';
import { syncDir, uniqueSibling, writeTemp } from '../state/atomic.js';
import { fleetDir } from './repo.js';

/**
 * Cross-process lock: a file `<commonDir>/fleet-tui/<name>.lock` holding `{pid, time}`, created
 * atomically with link(). A lock whose pid is no longer alive is taken over (and reported through
 * `onStale`). Within one process, callers of the same lock are queued, so a TUI that fires two
 * lands in a row runs them one after the other instead of failing the second.
 *
 * Taking over a dead holder's lock must be won by one taker only. Removing the file and linking
 * a new one is not enough: a second taker that read the same dead holder would remove the
 * winner's fresh lock. So each dead lock (identified by its exact bytes, which carry a random
 * token) can only be removed by the taker that first creates its claim file (link, which fails
 * when the name exists); the claimant checks that the lock still holds those bytes, renames it
 * aside and verifies what it moved. Then the takers race for the free name with link(), which
 * exactly one wins.
 */
interface LockInfo {
  pid: number;
  time: string;
  /** What holds it, for messages ("land", "migrations-new"). */
  purpose: string;
  /** Random per acquisition: tells two generations of the lock apart (absent in old files). */
  token?: string;
}

export interface LockOptions {
  /** How long to wait for another live process before giving up (ms). Default 0: fail at once. */
  waitMs?: number;
  onStale?: (info: LockInfo) => void;
}

const inProcess = new Map<string, Promise<unknown>>();
/** A live process that is taking a dead lock over gets this long to finish before we give up. */
const TAKEOVER_GRACE_MS = 5000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

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

async function readRaw(file: string): Promise<string | null> {
  try {
    return await readFile(file, 'utf8');
  } catch {
    return null;
  }
}

function parseLock(raw: string | null): LockInfo | null {
  if (raw === null) return null;
  try {
    const v = JSON.parse(raw) as LockInfo | null;
    return v && typeof v === 'object' && Number.isInteger(v.pid) ? v : null;
  } catch {
    return null;
  }
}

function isCode(e: unknown, code: string): boolean {
  return (e as NodeJS.ErrnoException | null)?.code === code;
}

/**
 * Remove the dead lock whose content is `raw`, if this process wins the right to. Returns
 * 'taken' (it is gone, by our hand), 'busy' (a live process is taking it over) or 'changed'
 * (it is no longer there: look again).
 */
async function takeOver(file: string, raw: string): Promise<'taken' | 'busy' | 'changed'> {
  const key = createHash('sha1').update(raw).digest('hex').slice(0, 16);
  const claimOf = (n: number) => `${file}.takeover-${key}-${n}`;
  // Claims appear complete (linked from a private file), so a claim is never read half-written.
  const mine = await writeTemp(file, JSON.stringify({ pid: process.pid }));
  let n = 0;
  try {
    for (; ; n++) {
      if (n > 64) return 'busy';
      try {
        await link(mine, claimOf(n));
        break;
      } catch (e) {
        if (!isCode(e, 'EEXIST')) throw e;
        const claim = await readRaw(claimOf(n));
        if (claim === null) {
          n--; // removed meanwhile: try that index again
          continue;
        }
        // A claimant that died mid-takeover leaves its claim; the next index is the next claim.
        const claimant = parseLock(claim);
        if (claimant && pidAlive(claimant.pid)) return 'busy';
      }
    }
  } finally {
    await rm(mine, { force: true });
  }
  try {
    // Only this claim's holder may remove this generation of the lock, so if it is still there
    // now, nobody else can replace it before the rename below.
    if ((await readRaw(file)) !== raw) return 'changed';
    const grave = uniqueSibling(file, 'stale');
    try {
      await rename(file, grave);
    } catch (e) {
      if (isCode(e, 'ENOENT')) return 'changed';
      throw e;
    }
    if ((await readRaw(grave)) !== raw) {
      // Cannot happen by the argument above; if it ever does, put the live lock back.
      // EEXIST: a new lock already stands, and it is the live one.
      await link(grave, file).catch((e: unknown) => {
        if (!isCode(e, 'EEXIST')) throw e;
      });
      await rm(grave, { force: true });
      return 'changed';
    }
    await rm(grave, { force: true });
    return 'taken';
  } finally {
    // Ours, and those of claimants that died before finishing (they are never reused).
    for (let k = n; k >= 0; k--) await rm(claimOf(k), { force: true });
  }
}

async function acquire(file: string, purpose: string, opts: LockOptions): Promise<string> {
  await mkdir(path.dirname(file), { recursive: true });
  const deadline = Date.now() + (opts.waitMs ?? 0);
  const info: LockInfo = {
    pid: process.pid,
    time: new Date().toISOString(),
    purpose,
    token: randomBytes(12).toString('hex'),
  };
  // The lock appears complete in one step (write a private file, then link it into place), so a
  // process that finds it never reads it half-written and mistakes it for a dead holder's.
  const mine = await writeTemp(file, JSON.stringify(info));
  let sawDead: LockInfo | null = null;
  try {
    for (;;) {
      try {
        await link(mine, file);
        await syncDir(path.dirname(file));
        // Said by the winner only (the taker that removed a dead lock may lose the race after).
        if (sawDead) opts.onStale?.(sawDead);
        return info.token!;
      } catch (e) {
        if (!isCode(e, 'EEXIST')) throw e;
      }
      const raw = await readRaw(file);
      if (raw === null) continue; // released meanwhile
      const holder = parseLock(raw);
      if (holder && pidAlive(holder.pid)) {
        if (Date.now() >= deadline) {
          throw new FleetError(
            `${path.basename(file)} is held by pid ${holder.pid} (${holder.purpose}, since ${holder.time}) — wait for it to finish, or stop that process`,
          );
        }
        await sleep(20);
        continue;
      }
      // A dead holder's (or unreadable) lock: take it over, if no other taker is doing so.
      if (holder) sawDead = holder;
      const r = await takeOver(file, raw);
      if (r === 'busy') {
        if (Date.now() >= deadline + TAKEOVER_GRACE_MS) {
          throw new FleetError(
            `${path.basename(file)} is being taken over by another fleet-tui process — try again`,
          );
        }
        await sleep(10);
      }
    }
  } finally {
    await rm(mine, { force: true });
  }
}

/** Drop the lock only if it is still ours (a lock taken over from us is someone else's now). */
async function release(file: string, token: string): Promise<void> {
  if (parseLock(await readRaw(file))?.token === token) await rm(file, { force: true });
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
      const token = await acquire(file, name, opts);
      try {
        return await fn();
      } finally {
        await release(file, token);
      }
    });
  inProcess.set(file, run);
  try {
    return await run;
  } finally {
    if (inProcess.get(file) === run) inProcess.delete(file);
  }
}
