import { afterEach, describe, expect, it, vi } from 'vitest';
import { connectFleet, type Fleet } from '../../src/app/connect.js';
import { loadConfig } from '../../src/config/load.js';
import type { FleetServices } from '../../src/core/fleet/types.js';
import { watchGitEvents } from '../../src/core/git/events.js';
import { gitOut } from '../../src/core/git/run.js';
import { makeFleet, type FleetFixture } from '../helpers/git-fixture.js';
import { gitStatus } from '../helpers/fake-fleet.js';

// The store's git facts follow real git events (commits, ref moves) without polling: the
// fallback timer is pushed out of the test's reach, so only the file-system watcher can work.
describe('live git status in the store', () => {
  let fx: FleetFixture | undefined;
  let fleet: Fleet | undefined;
  afterEach(async () => {
    await fleet?.close();
    await fx?.cleanup();
    fleet = fx = undefined;
  });

  it('updates one instance after a commit in its worktree, and all after main moves', async () => {
    fx = await makeFleet({ instances: 2 });
    const config = await loadConfig({ cwd: fx.repo });
    let reads = 0;
    const readsOf = new Map<string, number>();
    let failNext = false;
    const events = await watchGitEvents(config);
    const services: FleetServices = {
      config,
      session: () => null,
      readStatus: async (inst) => {
        if (failNext && inst.id === 'ps2') {
          failNext = false;
          throw new Error('index.lock is held');
        }
        reads++;
        readsOf.set(inst.id, (readsOf.get(inst.id) ?? 0) + 1);
        const ahead = Number(
          await gitOut(['rev-list', '--count', 'origin/main..HEAD'], {
            cwd: inst.worktreePath,
            readOnly: true,
          }),
        );
        const behind = Number(
          await gitOut(['rev-list', '--count', 'HEAD..origin/main'], {
            cwd: inst.worktreePath,
            readOnly: true,
          }),
        );
        return gitStatus(inst.id, ahead, behind);
      },
      land: () => Promise.reject(new Error('not in this test')),
      sync: () => Promise.reject(new Error('not in this test')),
      syncAll: () => Promise.resolve([]),
      createMigration: () => Promise.reject(new Error('not in this test')),
      watchMigrations: () => Promise.resolve({ close: () => Promise.resolve() }),
      watchGit: (fn) => {
        const off = events.on(fn);
        return Promise.resolve({ close: () => Promise.resolve(off()) });
      },
      setRole: () => Promise.resolve(),
      dispose: () => events.close(),
    };
    fleet = await connectFleet(services, { git: { fallbackMs: 600_000, debounceMs: 50 } });
    const store = fleet.store;
    const until = (pred: () => boolean) =>
      vi.waitFor(() => expect(pred()).toBe(true), { timeout: 10_000, interval: 20 });
    await until(() => store.instance('ps1').git !== null && store.instance('ps2').git !== null);
    // The two pauses below are windows for a read that must NOT happen (nothing to wait on):
    // the start's reads settle, then ps2 must stay unread after ps1's commit (debounce 50 ms).
    await new Promise((r) => setTimeout(r, 300));
    const ps2Reads = readsOf.get('ps2');
    const [ps1] = fx.instances;
    await fx.commit(ps1!.worktree, { 'a.txt': 'a\n' }, 'ps1 work');
    await until(() => store.instance('ps1').git?.ahead === 1);
    await new Promise((r) => setTimeout(r, 300));
    // ps1's branch moved: only ps1 is read again.
    expect(readsOf.get('ps2')).toBe(ps2Reads);
    expect(store.instance('ps2').git?.ahead).toBe(0);
    await fx.pushFromOutside({ 'b.txt': 'b\n' }, 'someone else');
    await fx.git(fx.repo, 'fetch', '-q', 'origin');
    await until(
      () => store.instance('ps2').git?.behind === 1 && store.instance('ps1').git?.behind === 1,
    );
    // Coalesced: a handful of reads, not one per file-system event.
    expect(reads).toBeLessThan(20);
    // A refresh that fails is reported in the log, not swallowed.
    failNext = true;
    await fx.commit(fx.instances[1]!.worktree, { 'c.txt': 'c\n' }, 'ps2 work');
    await until(() =>
      store.getFacts().log.some((e) => e.text === 'ps2: git status failed: index.lock is held'),
    );
    await services.dispose();
  });
});
