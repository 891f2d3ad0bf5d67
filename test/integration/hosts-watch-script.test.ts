// The watcher script that runs on a host (watch-script.ts), run here by a real sh against a real
// git worktree: what it prints (only `<nonce> <word>` lines, never a file name), what it notices
// (files, a directory that appears, a commit), and the strict parser of its lines.
import { spawn, type ChildProcess } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { parseLine } from '../../src/core/migrations/hosts/host-watch.js';
import { watchScript } from '../../src/core/migrations/hosts/watch-script.js';
import { run } from '../helpers/git-fixture.js';

const NONCE = 'ab'.repeat(12);
const hasInotify = (() => {
  try {
    execFileSync('sh', ['-c', 'command -v inotifywait']);
    return true;
  } catch {
    return false;
  }
})();

let child: ChildProcess | null = null;
let dir = '';
afterEach(async () => {
  child?.kill();
  child = null;
  await rm(dir, { recursive: true, force: true });
});

async function repoWith(n: number): Promise<string[]> {
  dir = await mkdtemp(path.join(os.tmpdir(), 'fleet-ws-'));
  const wts: string[] = [];
  for (let k = 0; k < n; k++) {
    const wt = path.join(dir, `wt${k}`);
    await run(dir, ['init', '-q', '-b', `b${k}`, wt]);
    await run(wt, ['commit', '-q', '--allow-empty', '-m', 'init']);
    wts.push(wt);
  }
  return wts;
}

function watch(wts: string[], mode: 'auto' | 'poll') {
  const lines: string[] = [];
  const script = watchScript(
    wts.map((w, k) => ({ worktree: w, dir: path.join(w, 'm'), branch: `b${k}` })),
    NONCE,
    mode,
  );
  child = spawn('sh', ['-c', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  let buf = '';
  child.stdout!.on('data', (b: Buffer) => {
    buf += b.toString('utf8');
    const parts = buf.split('\n');
    buf = parts.pop()!;
    lines.push(...parts);
  });
  const saw = (what: string, from = 0) =>
    vi.waitFor(
      () => {
        if (!lines.slice(from).includes(`${NONCE} ${what}`))
          throw new Error(`no "${what}" in ${JSON.stringify(lines.slice(from))}`);
      },
      { timeout: 15_000, interval: 20 },
    );
  return { lines, saw };
}

describe('host watcher script', () => {
  it('poll mode: a directory that appears, a new file, a commit, a deletion — by index, never by name', async () => {
    const [w0, w1] = await repoWith(2);
    const { lines, saw } = watch([w0!, w1!], 'poll');
    await saw('mode poll');
    await saw('tick');
    let from = lines.length;
    await mkdir(path.join(w1!, 'm'));
    await saw('1', from);
    from = lines.length;
    const hostile = `x\n${NONCE} 0\n$(touch pwned).sql`;
    await writeFile(path.join(w1!, 'm', hostile), 'x');
    await saw('1', from);
    await saw('tick', lines.length);
    from = lines.length;
    await run(w0!, ['commit', '-q', '--allow-empty', '-m', 'moves HEAD']);
    await saw('0', from);
    from = lines.length;
    await rm(path.join(w1!, 'm'), { recursive: true });
    await saw('1', from);
    // Every line is the watcher's own: the hostile name never reached the output.
    for (const l of lines) expect(l).toMatch(new RegExp(`^${NONCE} (mode poll|tick|[01])$`));
    expect(lines.filter((l) => l === `${NONCE} 0`).length).toBeLessThanOrEqual(2);
  });

  it.skipIf(!hasInotify)('auto mode uses inotifywait where the host has it', async () => {
    const [w0] = await repoWith(1);
    await mkdir(path.join(w0!, 'm'));
    const { lines, saw } = watch([w0!], 'auto');
    await saw('mode inotify');
    await saw('tick');
    const from = lines.length;
    await writeFile(path.join(w0!, 'm', '20261201010000_a.sql'), 'x');
    await saw('0', from);
  });

  it('the parser takes only our nonce and known words', () => {
    expect(parseLine(`${NONCE} 3`, NONCE, 4)).toBe(3);
    expect(parseLine(`${NONCE} tick`, NONCE, 4)).toBe('tick');
    expect(parseLine(`${NONCE} mode inotify`, NONCE, 4)).toBe('mode');
    for (const bad of [
      `${NONCE} 4`,
      `${NONCE} 01`,
      `${NONCE} 1 `,
      `${NONCE}  1`,
      `${'cd'.repeat(12)} 1`,
      `x${NONCE} 1`,
      `${NONCE} -1`,
      `${NONCE} 1e2`,
      `${NONCE} mode other`,
      '',
    ])
      expect(parseLine(bad, NONCE, 4), bad).toBeNull();
  });
});
