import { spawn, type ChildProcess } from 'node:child_process';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { INGEST_SLICE, ingested } from '../../../src/core/sessions/output/ingest-gate.js';

// Three real processes flood their stdout. Whatever node reads per poll (up to 32 reads of
// 64 KiB per pipe), the shared gate pauses the pipes once a turn of the event loop has taken
// its slice: keys and frames (setImmediate, timers) run between slices.
const FLOOD = `const b = Buffer.alloc(1 << 20, 'x\\n'); const go = () => { while (process.stdout.write(b)); process.stdout.once('drain', go); }; go();`;

describe('ingest gate', () => {
  const kids: ChildProcess[] = [];
  afterEach(() => kids.splice(0).forEach((k) => k.kill('SIGKILL')));

  it('never ingests much more than one slice in a turn of the event loop', async () => {
    let turn = 0;
    let stop = false;
    const tick = () => {
      turn++;
      if (!stop) setImmediate(tick);
    };
    setImmediate(tick);
    const perTurn = new Map<number, number>();
    let total = 0;
    for (let i = 0; i < 3; i++) {
      const kid = spawn(process.execPath, ['-e', FLOOD], { stdio: ['ignore', 'pipe', 'ignore'] });
      kids.push(kid);
      kid.stdout.on('data', (b: Buffer) => {
        perTurn.set(turn, (perTurn.get(turn) ?? 0) + b.length);
        total += b.length;
        ingested(b.length, [kid.stdout]);
      });
    }
    await vi.waitFor(() => expect(total).toBeGreaterThan(64 * 1024 * 1024), {
      timeout: 60_000,
      interval: 20,
    });
    stop = true;
    // Each pipe may add one read (≤ 64 KiB) after the slice is spent, before it is paused.
    expect(Math.max(...perTurn.values())).toBeLessThanOrEqual(INGEST_SLICE + 3 * 64 * 1024);
    expect(perTurn.size).toBeGreaterThan(100);
  });
});
