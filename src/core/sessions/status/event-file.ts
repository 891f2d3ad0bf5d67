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
    const start = size < from ? 0 : from; // the file was rotated: read it again
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

/** Keep an event file small: past 1 MB, keep only its recent lines. */
export async function rotateEventFile(file: string): Promise<void> {
  try {
    if ((await stat(file)).size < ROTATE_BYTES) return;
    const text = await readFile(file, 'utf8');
    const keep = text.slice(-TAIL_BYTES);
    await writeFile(file, keep.slice(keep.indexOf('\n') + 1));
  } catch {
    // Missing file: nothing to rotate.
  }
}
