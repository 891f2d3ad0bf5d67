// On-demand benchmark (FLEET_BENCH=1): land 12 instances × 2 commits through an origin that
// adds 100 ms per connection, against the article's loop of `git pull --rebase && git push` in
// every worktree. Target: ≤ 0.25× the loop's time, exactly one fetch and one push.
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { land } from '../../src/core/land/index.js';
import { observeGit } from '../../src/core/git/run.js';
import { countNetwork, fleetWithConfig, seedCommits } from '../helpers/land-helpers.js';

const SLOW = 'sleep 0.1; exec';

async function slowOrigin(repo: string) {
  for (const [k, v] of [
    ['remote.origin.uploadpack', `${SLOW} git-upload-pack`],
    ['remote.origin.receivepack', `${SLOW} git-receive-pack`],
  ]) {
    await execa('git', ['config', k!, v!], { cwd: repo });
  }
}

describe.skipIf(!process.env.FLEET_BENCH)('land speed (FLEET_BENCH=1)', () => {
  it('12 × 2 commits: land vs the sequential pull --rebase && push loop', async () => {
    const a = await fleetWithConfig({ instances: 12 });
    await seedCommits(a.fx, () => 2);
    await slowOrigin(a.fx.repo);
    const calls: string[] = [];
    const tStart = performance.now();
    const stop = observeGit((args) =>
      calls.push(`${(performance.now() - tStart).toFixed(0)} ${args.slice(0, 3).join(' ')}`),
    );
    const t0 = performance.now();
    const { value: r, fetches, pushes } = await countNetwork(() => land(a.config, { all: true }));
    const landMs = performance.now() - t0;
    stop();
    if (process.env.FLEET_BENCH === 'trace') console.log(calls.join('\n'));
    expect(r.ok).toBe(true);
    expect([fetches, pushes]).toEqual([1, 1]);

    const b = await fleetWithConfig({ instances: 12 });
    await seedCommits(b.fx, () => 2);
    await slowOrigin(b.fx.repo);
    const t1 = performance.now();
    for (const inst of b.fx.instances) {
      await execa('git', ['pull', '-q', '--rebase', 'origin', 'main'], { cwd: inst.worktree });
      await execa('git', ['push', '-q', 'origin', 'HEAD:main'], { cwd: inst.worktree });
    }
    const loopMs = performance.now() - t1;
    console.log(
      `land: ${landMs.toFixed(0)} ms (${calls.length} git calls); sequential loop: ${loopMs.toFixed(0)} ms; ratio ${(landMs / loopMs).toFixed(2)}`,
    );
    await a.fx.cleanup();
    await b.fx.cleanup();
    expect(landMs / loopMs).toBeLessThanOrEqual(0.25);
  });
});
