// The TUI keeps V8's young generation at its initial size (app/young-generation.ts): checked in
// a fresh node process that allocates like streaming output does (short-lived objects, some
// kept), with and without the call.
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/git-fixture.js';

const MODULE = pathToFileURL(path.join(REPO_ROOT, 'dist', 'app', 'young-generation.js')).href;

/** new_space size (MB) after the allocation, in a fresh process; `keep`: the call's argument
 * (null: no call). */
function youngMb(keep: number | null): number {
  const script = `
    import v8 from 'node:v8';
    const { keepYoungGenerationSmall } = await import(${JSON.stringify(MODULE)});
    if (${keep !== null}) keepYoungGenerationSmall(${keep ?? 0});
    const kept = [];
    for (let i = 0; i < 2000; i++) {
      const a = [];
      for (let j = 0; j < 2000; j++) a.push({ s: 'line ' + j + ' of ' + i });
      if (i % 10 === 0) kept.push(a.slice(0, 50));
      if (i % 100 === 0) await new Promise((r) => setImmediate(r));
    }
    const s = v8.getHeapSpaceStatistics().find((x) => x.space_name === 'new_space');
    console.log(s.space_size / 1e6);`;
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
    encoding: 'utf8',
  });
  return Number(out.trim());
}

describe('young generation of the TUI process', () => {
  it('does not grow under a stream of allocations once kept small (it does by default)', () => {
    expect(youngMb(null)).toBeGreaterThan(16);
    expect(youngMb(0)).toBeLessThanOrEqual(4);
  });

  it('with a size, grows up to it and no further', () => {
    const mb = youngMb(8);
    expect(mb).toBeGreaterThan(4);
    // 8 MiB: V8 grows by doubling, so the step that reaches the size stops there.
    expect(mb).toBeLessThanOrEqual(8.4);
  });
});
