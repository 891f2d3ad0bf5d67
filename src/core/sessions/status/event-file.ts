import { open, stat, writeFile, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fleetDir } from '../../git/repo.js';
import { parseEventLine, type HookEvent } from './hook-events.js';

/** `<git common dir>/fleet-tui/agents/<id>.events.jsonl`: shared by every worktree, never in status. */
export function eventFilePath(commonDir: string, instanceId: string): string {
  return path.join(fleetDir(commonDir), 'agents', `${instanceId}.events.jsonl`);
}

export { appendEvent } from './append.js';

/** Rotation: past ROTATE_BYTES an event file keeps only its last TAIL_BYTES (whole lines). */
export const TAIL_BYTES = 64 * 1024;
export const ROTATE_BYTES = 1024 * 1024;

/** Events appended at or after byte `from`; returns them and the new end offset. */
export async function readEventsFrom(
  file: string,
  from: number,
): Promise<{ events: HookEvent[]; end: number }> {
  let fh;
  try {
    fh = await open(file, 'r');
  } catch {
    return { events: [], end: 0 };
  }
  try {
    const { size } = await fh.stat();
    let start = from;
    if (size < from) {
      // The file was rotated: go on from the same line in the new one (or its start).
      const head = Buffer.alloc(Math.min(size, 256));
      await fh.read(head, 0, head.length, 0);
      start = positionAfterRotation(head, from);
    }
    if (size === start) return { events: [], end: size };
    const buf = Buffer.alloc(size - start);
    await fh.read(buf, 0, buf.length, start);
    const text = buf.toString('utf8');
    // Only whole lines; a half-written last line is read next time.
    const lastNl = text.lastIndexOf('\n');
    if (lastNl < 0) return { events: [], end: start };
    const events: HookEvent[] = [];
    for (const line of text.slice(0, lastNl).split('\n')) {
      const ev = parseEventLine(line);
      if (ev) events.push(ev);
    }
    return { events, end: start + Buffer.byteLength(text.slice(0, lastNl + 1)) };
  } finally {
    await fh.close();
  }
}

/** The recent events of a file (its last 64 KB), oldest first, and the end offset. */
export async function readRecentEvents(
  file: string,
): Promise<{ events: HookEvent[]; end: number }> {
  let size = 0;
  try {
    size = (await stat(file)).size;
  } catch {
    return { events: [], end: 0 };
  }
  const from = Math.max(0, size - TAIL_BYTES);
  const res = await readEventsFrom(file, from);
  // Starting mid-file, the first line may be cut: parseEventLine drops it.
  return res;
}

/** The first line of a rotated file: which bytes of the old file it kept (`keptFrom` up to
 * `size`), so a reader that was following the old file goes on from the same line. */
const ROTATED = /^\{"event":"fleet:rotated","t":"[^"]*","keptFrom":(\d+),"size":(\d+)\}$/;

/**
 * Where to go on reading a file that is now shorter than `pos` (the first byte of the old file
 * not yet handled), given its first bytes: the matching offset in the new file. A file without
 * the rotation line (cut by someone else) is read from its start.
 */
export function positionAfterRotation(head: Buffer, pos: number): number {
  const nl = head.indexOf(10);
  if (nl < 0) return 0;
  const m = ROTATED.exec(head.subarray(0, nl).toString('latin1'));
  if (!m) return 0;
  const kept = Number(m[1]);
  const size = Number(m[2]);
  // Lines before `kept` not read yet are gone with the old file: nothing to repeat.
  if (pos <= kept) return nl + 1;
  return nl + 1 + (Math.min(pos, size) - kept);
}

/** Keep an event file small: past 1 MB, keep only its recent whole lines (after a line saying
 * which bytes were kept). */
export async function rotateEventFile(file: string): Promise<void> {
  try {
    if ((await stat(file)).size < ROTATE_BYTES) return;
    const buf = await readFile(file);
    const kept = buf.indexOf(10, buf.length - TAIL_BYTES) + 1 || buf.length;
    const line = JSON.stringify({
      event: 'fleet:rotated',
      t: new Date().toISOString(),
      keptFrom: kept,
      size: buf.length,
    });
    await writeFile(file, Buffer.concat([Buffer.from(`${line}\n`), buf.subarray(kept)]));
  } catch {
    // Missing file: nothing to rotate.
  }
}
