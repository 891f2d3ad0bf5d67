// The one writer of bookkeeping files: many writes of one file at once from one process (a land
// and the TUI both updating needs-sync.json) must all succeed and leave one whole version. The
// earlier writer named its temp file `<file>.<pid>.tmp`, so two writes in one process collided.
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { writeFileAtomic } from '../../../src/core/state/atomic.js';

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
});
