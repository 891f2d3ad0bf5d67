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
