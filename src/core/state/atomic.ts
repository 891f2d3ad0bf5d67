import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import path from 'node:path';

/**
 * The one writer of fleet-tui's bookkeeping files (fleet state, land journal, needs-sync list,
 * sync markers, lock files, hook settings). Readers see the old content or the new, never half;
 * after a crash of the process or of the machine the file holds one of the two, because the
 * data is fsynced before the rename and the directory after it.
 */

/** A sibling name no other writer uses: pid plus random bytes (two writes in one ms differ). */
export function uniqueSibling(file: string, tag = 'tmp'): string {
  return `${file}.${process.pid}.${randomBytes(6).toString('hex')}.${tag}`;
}

/** Write `data` to a new file (it must not exist) and fsync it. */
async function writeSynced(file: string, data: string | Uint8Array): Promise<void> {
  const fh = await open(file, 'wx');
  try {
    await fh.writeFile(data);
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/** fsync a directory so a rename or link in it survives a power loss. */
export async function syncDir(dir: string): Promise<void> {
  let fh;
  try {
    fh = await open(dir, constants.O_RDONLY);
    await fh.sync();
  } catch {
    // Some file systems refuse fsync on a directory; the rename itself is still atomic.
  } finally {
    await fh?.close();
  }
}

/** Write a private, fsynced copy next to `file` and return its name (for rename or link). */
export async function writeTemp(file: string, data: string | Uint8Array): Promise<string> {
  await mkdir(path.dirname(file), { recursive: true });
  const tmp = uniqueSibling(file);
  await writeSynced(tmp, data);
  return tmp;
}

/** Replace `file` whole: unique temp file, fsync, rename over the target, fsync the directory. */
export async function writeFileAtomic(file: string, data: string | Uint8Array): Promise<void> {
  const tmp = await writeTemp(file, data);
  try {
    await rename(tmp, file);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
  await syncDir(path.dirname(file));
}

/**
 * Several files replaced whole, each as writeFileAtomic does, with one fsync per directory
 * instead of one per file (a sync writes a marker for each of a dozen worktrees into one
 * directory, on the way to their rebases). A failure leaves each file old or new, never half.
 */
export async function writeFilesAtomic(
  files: ReadonlyArray<{ file: string; data: string | Uint8Array }>,
): Promise<void> {
  if (files.length === 0) return;
  const dirs = [...new Set(files.map((f) => path.dirname(f.file)))];
  await Promise.all(dirs.map((d) => mkdir(d, { recursive: true })));
  const tmps = files.map((f) => uniqueSibling(f.file));
  await Promise.all(files.map((f, k) => writeSynced(tmps[k]!, f.data)));
  const moved = await Promise.allSettled(files.map((f, k) => rename(tmps[k]!, f.file)));
  await Promise.all([
    ...moved.map((m, k) => (m.status === 'rejected' ? rm(tmps[k]!, { force: true }) : null)),
    ...dirs.map((d) => syncDir(d)),
  ]);
  const failed = moved.find((m) => m.status === 'rejected');
  if (failed) throw failed.reason;
}

/**
 * A writer whose writes asked for in the same turn go out together, through writeFilesAtomic
 * (each settles when its batch is written).
 */
export function coalescedWriter(): (file: string, data: string) => Promise<void> {
  type Write = { file: string; data: string; done: (e?: Error) => void };
  let batch: Write[] | null = null;
  return (file, data) =>
    new Promise((resolve, reject) => {
      let mine = batch;
      if (!mine) {
        const taken: Write[] = (mine = batch = []);
        queueMicrotask(() => {
          batch = null;
          writeFilesAtomic(taken).then(
            () => taken.forEach((w) => w.done()),
            (e: unknown) =>
              taken.forEach((w) => w.done(e instanceof Error ? e : new Error(String(e)))),
          );
        });
      }
      mine.push({ file, data, done: (e) => (e ? reject(e) : resolve()) });
    });
}
