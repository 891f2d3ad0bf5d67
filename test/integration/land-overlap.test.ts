// The land's local part (plan, replay, content check, gate) runs while the fetch is on the wire,
// on the main the repository already has; it is used only when the fetch leaves main there.
// These tests hold the fetch until the replay has been seen, and move main under the land.
import { chmodSync, existsSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { FleetFixture } from '../helpers/git-fixture.js';
import { land } from '../../src/core/land/index.js';
import { observeGit } from '../../src/core/git/run.js';
import type { LandProgress } from '../../src/core/land/types.js';
import { prepare } from '../../src/core/land/prepare.js';
import { landerPath } from '../../src/core/land/lander.js';
import { openReplay } from '../../src/core/land/replay.js';
import { replayOptions } from '../../src/core/land/dry-run.js';
import { countNetwork, fleetWithConfig, seedCommits } from '../helpers/land-helpers.js';

/**
 * Reach origin through git's ssh transport whose "ssh" holds every fetch until `gate` exists
 * (at most 10 s), then logs whether it was opened or timed out.
 */
function holdFetches(fx: FleetFixture, gate: string, log: string): Promise<string> {
  const wrapper = path.join(fx.dir, 'held-ssh');
  writeFileSync(
    wrapper,
    `#!/bin/sh
for last; do :; done
case "$last" in
  git-upload-pack*)
    i=0
    while [ ! -e '${gate}' ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i+1)); done
    if [ -e '${gate}' ]; then echo opened >> '${log}'; else echo timeout >> '${log}'; fi ;;
esac
exec sh -c "$last"
`,
  );
  chmodSync(wrapper, 0o755);
  return (async () => {
    await fx.git(fx.repo, 'config', 'core.sshCommand', wrapper);
    await fx.git(fx.repo, 'config', 'ssh.variant', 'simple');
    return fx.git(fx.repo, 'remote', 'set-url', 'origin', `held-origin:${fx.origin}`);
  })();
}

describe('land: the local part overlaps the fetch', () => {
  let fx: FleetFixture | undefined;
  afterEach(async () => {
    await fx?.cleanup();
    fx = undefined;
  });

  it('the replay runs while the fetch waits, and its chain is the one pushed', async () => {
    const f = await fleetWithConfig({ instances: 3 });
    fx = f.fx;
    await seedCommits(fx, () => 2);
    await fx.git(fx.repo, 'fetch', '-q', 'origin');
    const gate = path.join(fx.dir, 'gate');
    const log = path.join(fx.dir, 'fetch.log');
    await holdFetches(fx, gate, log);
    // The fetch is let through only once a merge-tree (the replay) has started.
    const stop = observeGit((args) => {
      if (args.includes('merge-tree') && !existsSync(gate)) writeFileSync(gate, '');
    });
    const events: LandProgress[] = [];
    try {
      const {
        value: r,
        fetches,
        pushes,
      } = await countNetwork(() =>
        land(f.config, { all: true, onProgress: (p) => events.push(p) }),
      );
      expect([fetches, pushes]).toEqual([1, 1]);
      expect(r.instances.map((i) => [i.outcome, i.sync])).toEqual([
        ['landed', 'synced'],
        ['landed', 'synced'],
        ['landed', 'synced'],
      ]);
      expect(await fx.git(fx.origin, 'rev-parse', 'main')).toBe(r.main.after);
    } finally {
      stop();
    }
    expect((await readFile(log, 'utf8')).trim()).toBe('opened');
    // What the early replay had to say was said once, in order, and the instances ended landed.
    for (const id of ['ps1', 'ps2', 'ps3']) {
      const mine = events.filter((e) => e.id === id).map((e) => e.phase);
      expect(mine[0]).toBe('pending');
      expect(mine.at(-1)).toBe('landed');
      expect(mine.filter((p) => p === 'replaying').length).toBeGreaterThan(0);
    }
  });

  it('main moved on origin: the early chain is dropped and the land is built on the fetched main', async () => {
    const f = await fleetWithConfig({ instances: 2 });
    fx = f.fx;
    const [ps1, ps2] = fx.instances;
    // On the main this repository has, ps1 lands cleanly; on origin's new main it conflicts.
    const ps1Tip = await fx.commit(ps1!.worktree, { 'shared.txt': 'from ps1\n' }, 'ps1: shared');
    await fx.commit(ps2!.worktree, { 'ps2/own.txt': 'two\n' }, 'ps2: own');
    const outside = await fx.pushFromOutside({ 'shared.txt': 'from outside\n' }, 'outside: shared');
    const events: LandProgress[] = [];
    const {
      value: r,
      fetches,
      pushes,
    } = await countNetwork(() => land(f.config, { all: true, onProgress: (p) => events.push(p) }));
    expect([fetches, pushes]).toEqual([1, 1]);
    expect(r.instances.map((i) => i.outcome)).toEqual(['conflict', 'landed']);
    expect(r.instances[0]!.files).toEqual(['shared.txt']);
    // Built on the fetched main: the outsider's commit is under ps2's, nothing of ps1 is there.
    expect(await fx.git(fx.origin, 'rev-parse', 'main~1')).toBe(outside);
    expect(await fx.git(fx.origin, 'show', 'main:shared.txt')).toBe('from outside');
    expect(await fx.git(ps1!.worktree, 'rev-parse', 'HEAD')).toBe(ps1Tip);
    // The early replay's view (ps1 would land) was never told.
    const ps1Phases = events.filter((e) => e.id === 'ps1').map((e) => e.phase);
    expect(ps1Phases).not.toContain('pushing');
    expect(ps1Phases).not.toContain('landed');
    expect(ps1Phases.at(-1)).toBe('conflict');
  });
});

describe('land: no lander is added while the fetch runs', () => {
  let fx: FleetFixture | undefined;
  afterEach(async () => {
    await fx?.cleanup();
    fx = undefined;
  });

  it('the chain is built beside the fetch; the lander only once the fetch is over', async () => {
    const f = await fleetWithConfig({ instances: 3 });
    fx = f.fx;
    await seedCommits(fx, () => 1);
    await fx.git(fx.repo, 'fetch', '-q', 'origin');
    const base = await fx.git(fx.repo, 'rev-parse', 'origin/main');
    const commonDir = path.join(fx.repo, '.git');
    const seen: string[] = [];
    const stop = observeGit((args) => seen.push(args.filter((a) => !a.startsWith('-')).join(' ')));
    let fetchOver: (ok: boolean) => void = () => undefined;
    const fetched = new Promise<boolean>((r) => (fetchOver = r));
    const gated: string[] = [];
    const committer = await fx.git(fx.repo, 'var', 'GIT_COMMITTER_IDENT');
    const ctx = openReplay(fx.repo, 'sha1', committer, replayOptions(f.config));
    try {
      const prepared = prepare({
        config: f.config,
        commonDir,
        insts: f.config.instances,
        base,
        ctx,
        gate: (input) => {
          gated.push(input.cwd);
          return Promise.resolve([]);
        },
        hostFacts: undefined,
        progress: () => undefined,
        fetched,
      });
      // The chain is done (its content check ran) while the "fetch" is still on the wire.
      await vi.waitFor(
        () => expect(seen.filter((s) => s.startsWith('merge-tree')).length).toBeGreaterThan(1),
        { timeout: 30_000 },
      );
      expect(seen.some((s) => s.startsWith('worktree add'))).toBe(false);
      expect(existsSync(landerPath(commonDir))).toBe(false);
      expect(gated).toEqual([]);
      fetchOver(true);
      const p = await prepared;
      expect(p.lander).toBe(landerPath(commonDir));
      expect(gated).toEqual([landerPath(commonDir)]);
      expect(p.chain!.steps.map((s) => s.id)).toEqual(['ps1', 'ps2', 'ps3']);
    } finally {
      stop();
      await ctx.close();
    }
  });
});
