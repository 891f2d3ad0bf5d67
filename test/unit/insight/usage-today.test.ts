// The today-only reading behind status --json's usageToday: files untouched since midnight are
// not read at all, older calls are not kept, and a reader running past midnight drops them.
import { mkdtemp, rm, utimes } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TranscriptStore } from '../../../src/core/insight/transcript-store.js';
import { TranscriptWriter } from '../../../src/core/insight/transcript-writer.js';

describe('TranscriptStore with keepFrom (today only)', () => {
  let dir: string;
  let env: Record<string, string>;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'fleet-today-'));
    env = { CLAUDE_CONFIG_DIR: path.join(dir, 'claude'), CODEX_HOME: path.join(dir, 'codex') };
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('skips files last written before the cut, keeps calls at or after it, and moves with the cut', async () => {
    const wt = path.join(dir, 'wt');
    const t0 = Date.parse('2026-11-30T10:00:00Z');
    const old = new TranscriptWriter({ kind: 'claude', cwd: wt, env, now: () => new Date(t0) });
    old.call({ input: 1, output: 1 });
    await utimes(old.file, new Date(t0), new Date(t0));
    let now = t0;
    const live = new TranscriptWriter({ kind: 'claude', cwd: wt, env, now: () => new Date(now) });
    live.call({ input: 10, output: 1 });
    now = t0 + 3_600_000;
    live.call({ input: 20, output: 1 });
    now = t0 + 7_200_000;
    live.call({ input: 30, output: 1 });

    let cut = t0 + 1; // after `old`'s mtime and the first call of `live`
    const store = new TranscriptStore(null, [dir], () => cut);
    const list = [old.file, live.file].map((file) => ({ file, kind: 'claude' as const }));
    await store.refresh(list);
    expect(store.entries(old.file)).toEqual([]);
    expect(store.entries(live.file).map((e) => e.input)).toEqual([20, 30]);
    const liveBytes = store.bytesRead;

    // Without the cut the old file is read too.
    const all = new TranscriptStore(null, [dir]);
    await all.refresh(list);
    expect(all.bytesRead).toBeGreaterThan(liveBytes);
    expect(all.entries(live.file).map((e) => e.input)).toEqual([10, 20, 30]);

    // Midnight passes in a long-running reader: what is now older goes, nothing is read again.
    cut = t0 + 7_000_000;
    await store.refresh(list);
    expect(store.bytesRead).toBe(0);
    expect(store.entries(live.file).map((e) => e.input)).toEqual([30]);
  });

  it('the writer refuses to run without a sandbox directory (never the person’s ~/.claude)', () => {
    expect(() => new TranscriptWriter({ kind: 'claude', cwd: dir, env: {} })).toThrow(
      /CLAUDE_CONFIG_DIR is not set/,
    );
    expect(() => new TranscriptWriter({ kind: 'codex', cwd: dir, env: {} })).toThrow(
      /CODEX_HOME is not set/,
    );
  });
});
