// A local event file rotated (past 1 MiB, its last 64 KB of whole lines) while a reader follows
// it: the reader goes on from the same line — nothing lost, nothing read twice.
import { appendFileSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  readEventsFrom,
  rotateEventFile,
  ROTATE_BYTES,
  TAIL_BYTES,
} from '../../../src/core/sessions/status/event-file.js';

const line = (tag: string) =>
  `${JSON.stringify({ event: 'Notification', t: '2026-12-02T00:00:00.000Z', message: tag })}\n`;

describe('local event file rotation', () => {
  let dir = '';
  let file = '';
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'fleet-rot-'));
    file = path.join(dir, 'ps1.events.jsonl');
    const lines: string[] = [];
    for (let bytes = 0; bytes < ROTATE_BYTES + 500;) {
      lines.push(line(`old-${lines.length}`));
      bytes += lines.at(-1)!.length;
    }
    writeFileSync(file, lines.join(''));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('a reader at the end reads only what came after the rotation', async () => {
    const end = statSync(file).size;
    await rotateEventFile(file);
    const text = readFileSync(file, 'utf8');
    expect(Buffer.byteLength(text)).toBeLessThanOrEqual(TAIL_BYTES + 200);
    expect(text.split('\n')[0]).toMatch(/^\{"event":"fleet:rotated",/);
    appendFileSync(file, line('new-1'));
    const res = await readEventsFrom(file, end);
    expect(res.events.map((e) => e.message)).toEqual(['new-1']);
    expect(res.end).toBe(statSync(file).size);
  });

  it('a reader a few lines behind reads those lines once, then the new ones', async () => {
    const old = readFileSync(file);
    // Three whole lines before the end.
    let at = old.length - 1;
    for (let k = 0; k < 3; k++) at = old.lastIndexOf(10, at - 1);
    const pos = at + 1;
    const behind = old
      .subarray(pos)
      .toString('utf8')
      .trim()
      .split('\n')
      .map((l) => (JSON.parse(l) as { message: string }).message);
    expect(behind).toHaveLength(3);
    await rotateEventFile(file);
    appendFileSync(file, line('new-1'));
    const res = await readEventsFrom(file, pos);
    expect(res.events.map((e) => e.message)).toEqual([...behind, 'new-1']);
  });

  it('a file cut by someone else (no rotation line) is read from its start', async () => {
    writeFileSync(file, line('fresh'));
    const res = await readEventsFrom(file, 5000);
    expect(res.events.map((e) => e.message)).toEqual(['fresh']);
  });
});
