import { mkdir, rename, writeFile, open } from 'node:fs/promises';
import path from 'node:path';

/**
 * Write a file so readers see either the old or the new content, never half of it:
 * write a sibling temp file, fsync it, rename over the target.
 */
export async function writeFileAtomic(file: string, data: string): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
  await writeFile(tmp, data);
  const fh = await open(tmp, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
  await rename(tmp, file);
}
