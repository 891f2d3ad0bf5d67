import { createHash } from 'node:crypto';
import {
  closeSync,
  constants,
  fstatSync,
  lstatSync,
  openSync,
  readSync,
  realpathSync,
  statSync,
  type Stats,
} from 'node:fs';
import { lstat, open, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { blobOid } from './model.js';

/** A migration larger than this is not read (SQL dumps that big are not schema migrations). */
export const MAX_MIGRATION_BYTES = 32 * 1024 * 1024;

/** What reading one file of a worktree gave: its blob id, gone, or skipped (and why). */
export type FileRead = { oid: string | null } | { oid: string; skipped: string };

/**
 * The blob id of `rel` inside `root`, reading regular files only: a device, FIFO or socket, a
 * symlink whose target leaves `root` (or does not exist), or a file over MAX_MIGRATION_BYTES is
 * skipped with the reason, never opened — a migration that is a symlink to /dev/zero would
 * otherwise be read forever, a FIFO would block. A skipped file still gets an id (unique to its
 * path) so it counts as present for the rules; the reason is reported as an `unreadable` problem.
 */
export async function readMigrationFile(root: string, rel: string): Promise<FileRead> {
  const file = path.join(root, rel);
  let st;
  try {
    st = await lstat(file);
  } catch {
    return { oid: null };
  }
  let target = file;
  if (st.isSymbolicLink()) {
    const [real, realRoot] = await Promise.all([
      realpath(file).catch(() => null),
      realpath(root).catch(() => root),
    ]);
    if (!real) return skipped(rel, 'a symlink to nothing');
    if (real !== realRoot && !real.startsWith(realRoot + path.sep))
      return skipped(rel, `a symlink leading outside the repository (to ${real})`);
    target = real;
    st = await stat(real).catch(() => null);
    if (!st) return skipped(rel, 'a symlink to nothing');
  }
  if (!st.isFile()) return skipped(rel, kindOf(st));
  if (st.size > MAX_MIGRATION_BYTES) return skipped(rel, tooLarge());
  // O_NOFOLLOW | O_NONBLOCK: a file swapped for a link or a FIFO since the stat is not followed
  // and does not block; fstat then decides on what was really opened.
  let fh;
  try {
    fh = await open(target, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch {
    return { oid: null };
  }
  try {
    const fst = await fh.stat();
    if (!fst.isFile()) return skipped(rel, kindOf(fst));
    if (fst.size > MAX_MIGRATION_BYTES) return skipped(rel, tooLarge());
    const buf = Buffer.alloc(fst.size);
    let got = 0;
    while (got < buf.length) {
      const { bytesRead } = await fh.read(buf, got, buf.length - got, got);
      if (bytesRead === 0) break;
      got += bytesRead;
    }
    return { oid: blobOid(buf.subarray(0, got)) };
  } finally {
    await fh.close();
  }
}

/**
 * readMigrationFile with blocking calls, the same checks in the same order, for one-shot
 * commands (`migrations check`): a dozen files cost ≈ 60 trips through libuv's thread pool and
 * their promises (≈ 15–20 ms of a cold process's CPU), a few microseconds each here. Not for
 * the TUI, whose event loop a large file would stall.
 */
export function readMigrationFileSync(root: string, rel: string): FileRead {
  const file = path.join(root, rel);
  const tryOr = <T>(f: () => T): T | null => {
    try {
      return f();
    } catch {
      return null;
    }
  };
  let st: Stats | null = tryOr(() => lstatSync(file));
  if (!st) return { oid: null };
  let target = file;
  if (st.isSymbolicLink()) {
    const real = tryOr(() => realpathSync(file));
    const realRoot = tryOr(() => realpathSync(root)) ?? root;
    if (!real) return skipped(rel, 'a symlink to nothing');
    if (real !== realRoot && !real.startsWith(realRoot + path.sep))
      return skipped(rel, `a symlink leading outside the repository (to ${real})`);
    target = real;
    st = tryOr(() => statSync(real));
    if (!st) return skipped(rel, 'a symlink to nothing');
  }
  if (!st.isFile()) return skipped(rel, kindOf(st));
  if (st.size > MAX_MIGRATION_BYTES) return skipped(rel, tooLarge());
  const fd = tryOr(() =>
    openSync(target, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK),
  );
  if (fd === null) return { oid: null };
  try {
    const fst = fstatSync(fd);
    if (!fst.isFile()) return skipped(rel, kindOf(fst));
    if (fst.size > MAX_MIGRATION_BYTES) return skipped(rel, tooLarge());
    const buf = Buffer.alloc(fst.size);
    let got = 0;
    while (got < buf.length) {
      const n = readSync(fd, buf, got, buf.length - got, got);
      if (n === 0) break;
      got += n;
    }
    return { oid: blobOid(buf.subarray(0, got)) };
  } finally {
    closeSync(fd);
  }
}

function kindOf(st: { isFIFO(): boolean; isSocket(): boolean; isDirectory(): boolean }): string {
  if (st.isFIFO()) return 'a FIFO';
  if (st.isSocket()) return 'a socket';
  if (st.isDirectory()) return 'a directory';
  return 'a device or other special file';
}

export function tooLarge(): string {
  return `larger than ${MAX_MIGRATION_BYTES / 1024 / 1024} MiB`;
}

/** A file not read, and why; its id is stable per path (also for files probed on SSH hosts). */
export function skipped(rel: string, reason: string): FileRead {
  // Never equal to a real blob id, and the same for the same path (stable across reads).
  const oid = createHash('sha1').update(`fleet-tui unreadable\0${rel}`).digest('hex');
  return { oid, skipped: `not read: ${reason}` };
}
