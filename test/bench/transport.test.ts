// The landing figures count connections and rejected pushes at the origin: check the counting
// against a real push race through the slow transport, and that the article's loop works on it.
import { execa } from 'execa';
import { rm } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { buildFleet, git, type BenchFleet } from '../../bench/fixtures/fleet.js';
import { readCounts } from '../../bench/fixtures/origin.js';
import { ARTICLE_LOOP, landWith } from '../../bench/land/contenders.js';

let fleet: BenchFleet | undefined;
afterEach(async () => {
  if (fleet) await rm(fleet.dir, { recursive: true, force: true });
  fleet = undefined;
});

describe('bench slow origin', () => {
  it('counts a fetch and a push per sequential loop, and a stale push as rejected', async () => {
    fleet = await buildFleet({ instances: 2, commits: 1 });
    const [a, b] = fleet.instances;
    await execa('sh', ['-c', ARTICLE_LOOP], { cwd: a!.worktree });
    // b has not pulled a's commit: its push is refused (fetch first) and must count as rejected.
    const stale = await execa('git', ['push', 'origin', 'HEAD:main'], {
      cwd: b!.worktree,
      reject: false,
    });
    expect(stale.exitCode).not.toBe(0);
    expect(readCounts(fleet.log)).toMatchObject({ fetches: 1, pushes: 2, landed: 1, rejected: 1 });
  });

  it('lands every commit with the retrying parallel loop and times the connection delay', async () => {
    fleet = await buildFleet({ instances: 3, commits: 2 });
    const run = await landWith(fleet, 'c', 2);
    expect(run.complete).toBe(true);
    expect(run.error).toBeUndefined();
    expect(run.counts.landed).toBe(3);
    expect(run.counts.rejected).toBe(run.counts.pushes - 3);
    // Every connection waits 100 ms: at least one fetch and one push in sequence per winner.
    expect(run.wallMs).toBeGreaterThan(200);
    expect(Number(await git(fleet.origin, ['rev-list', '--count', 'main']))).toBe(7);
  });
});
