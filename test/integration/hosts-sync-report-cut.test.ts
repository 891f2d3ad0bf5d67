import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import type { ResolvedHost, ResolvedInstance } from '../../src/config/types.js';
import { readSyncReport, type SyncItem } from '../../src/core/hosts/sync-report.js';
import { syncScript, type SyncJob } from '../../src/core/hosts/sync-scripts.js';
import { makeFleet, run, type FleetFixture } from '../helpers/git-fixture.js';

// The host sync's report travels in one piece after the script is done; a connection cut while
// it is in transit truncates it at any byte. Whatever the cut, a worktree's answer is either
// the one the whole report gives or "cut before it answered" (needs-sync, what to run) — never
// another answer, such as "unchanged" for a worktree the script moved.
// The script is the real one, run by sh against real worktrees (ssh only carries it).
const sh = promisify(execFile);

describe('hosts: a sync report cut part-way through delivery', () => {
  let fx: FleetFixture | undefined;
  afterEach(async () => {
    await fx?.cleanup();
    fx = undefined;
  });

  it('every truncation gives the whole answer or "cut", per worktree', async () => {
    fx = await makeFleet({ instances: 4 });
    const f = fx;
    const wt = (id: string) => f.instances.find((i) => i.id === id)!.worktree;
    await f.commit(wt('ps1'), { 'ps1/a.txt': 'a\n' }, 'ps1: own');
    await f.commit(wt('ps4'), { 'ps4/a.txt': 'a\n' }, 'ps4: own');
    await run(wt('ps2'), ['checkout', '-q', '-b', 'elsewhere']);
    await f.pushFromOutside({ 'main.txt': 'm\n' }, 'outside: main moves');
    await run(f.repo, ['fetch', '-q', 'origin']);
    const target = await run(f.repo, ['rev-parse', 'origin/main']);
    // ps3 is already on main: "current".
    await run(wt('ps3'), ['merge', '-q', '--ff-only', target]);

    const items: SyncItem[] = f.instances.map((i) => ({
      inst: { ...i, hostPath: i.worktree } as unknown as ResolvedInstance,
      from: null,
    }));
    const jobs: SyncJob[] = f.instances.map((i) => ({
      id: i.id,
      path: i.worktree,
      branch: i.branch,
      from: null,
      nonce: randomBytes(12).toString('hex'),
    }));
    const nonce = randomBytes(12).toString('hex');
    const { stdout } = await sh('sh', ['-c', syncScript(jobs, target, nonce, f.repo)]);
    const host = { name: 'box1' } as ResolvedHost;

    const whole = readSyncReport(stdout, nonce, items, host);
    const said = (id: string) => [whole.get(id)!.sync, whole.get(id)!.reason];
    expect(said('ps1')).toEqual(['synced', '']);
    expect(said('ps4')).toEqual(['synced', '']);
    expect(said('ps3')).toEqual(['unchanged', 'already up to date']);
    expect(whole.get('ps2')!.sync).toBe('needs-sync');
    expect(whole.get('ps2')!.reason).toMatch(/is not on claude\/ps2-wip/);
    for (const id of ['ps1', 'ps4'])
      expect(await run(wt(id), ['rev-parse', 'HEAD~1'])).toBe(target);

    let cut = 0;
    for (let n = 0; n < stdout.length; n++) {
      const part = readSyncReport(stdout.slice(0, n), nonce, items, host);
      for (const [id, r] of part) {
        if (r.unanswered) {
          cut++;
          expect(r.sync, `${id} cut at ${n}`).toBe('needs-sync');
          expect(r.reason).toContain(`fleet-tui sync ${id}`);
        } else expect(r, `${id} cut at ${n} of ${stdout.length}`).toEqual(whole.get(id));
      }
    }
    // The last worktree's answer needs the end: cut just before it, ps4 (moved) is not known.
    const end = stdout.lastIndexOf(`\n@@${nonce} - end`);
    const beforeEnd = readSyncReport(stdout.slice(0, end), nonce, items, host);
    expect(beforeEnd.get('ps4')!.unanswered).toBe(true);
    expect(beforeEnd.get('ps3')).toEqual(whole.get('ps3'));
    expect(cut).toBeGreaterThan(stdout.length);
  });
});
