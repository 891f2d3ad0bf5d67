// The one writer of bookkeeping files: many writes of one file at once from one process (a land
// and the TUI both updating needs-sync.json) must all succeed and leave one whole version. The
// earlier writer named its temp file `<file>.<pid>.tmp`, so two writes in one process collided.
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  coalescedWriter,
  writeFileAtomic,
  writeFilesAtomic,
} from '../../../src/core/state/atomic.js';

describe('writeFileAtomic', () => {
  let dir: string | undefined;
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('50 concurrent writes of one file in one process: all succeed, one whole version stays, no temp file left', async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'fleet-atomic-'));
    const file = path.join(dir, 'sub', 'needs-sync.json');
    const versions = Array.from({ length: 50 }, (_, i) =>
      JSON.stringify({ v: i, pad: 'x'.repeat(i * 100) }),
    );
    const results = await Promise.allSettled(versions.map((v) => writeFileAtomic(file, v)));
    expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
    expect(versions).toContain(await readFile(file, 'utf8'));
    expect(await readdir(path.dirname(file))).toEqual(['needs-sync.json']);
  });

  it('writeFilesAtomic: several files (new and replaced, two directories) whole, no temp file left; a failure names itself and leaves the rest whole', async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'fleet-atomic-'));
    const a = path.join(dir, 'm', 'a.json');
    const b = path.join(dir, 'm', 'b.json');
    const c = path.join(dir, 'n', 'c.json');
    await writeFileAtomic(a, 'old');
    await writeFilesAtomic([
      { file: a, data: 'A' },
      { file: b, data: 'B' },
      { file: c, data: 'C' },
    ]);
    expect(await Promise.all([a, b, c].map((f) => readFile(f, 'utf8')))).toEqual(['A', 'B', 'C']);
    expect((await readdir(path.join(dir, 'm'))).sort()).toEqual(['a.json', 'b.json']);
    // A directory where a file should go: that rename fails, the other file is written.
    const blocked = path.join(dir, 'm', 'blocked');
    await writeFileAtomic(path.join(blocked, 'inside'), 'x');
    await expect(
      writeFilesAtomic([
        { file: a, data: 'A2' },
        { file: blocked, data: 'nope' },
      ]),
    ).rejects.toThrow();
    expect(await readFile(a, 'utf8')).toBe('A2');
    expect((await readdir(path.join(dir, 'm'))).sort()).toEqual(['a.json', 'b.json', 'blocked']);
  });

  it('coalescedWriter: writes asked for in one turn all land and each settles', async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'fleet-atomic-'));
    const write = coalescedWriter();
    const files = Array.from({ length: 12 }, (_, i) => path.join(dir!, 'syncing', `ps${i}.json`));
    await Promise.all(files.map((f, i) => write(f, JSON.stringify({ gitPid: i }))));
    for (const [i, f] of files.entries())
      expect(JSON.parse(await readFile(f, 'utf8'))).toEqual({ gitPid: i });
    expect(await readdir(path.join(dir, 'syncing'))).toHaveLength(12);
    // A later turn is a new batch.
    await write(files[0]!, 'again');
    expect(await readFile(files[0]!, 'utf8')).toBe('again');
  });
});
