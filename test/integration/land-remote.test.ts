import { spawn } from 'node:child_process';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { land } from '../../src/core/land/index.js';
import { lockPath } from '../../src/core/git/lock.js';
import type { FleetFixture } from '../helpers/git-fixture.js';
import {
  countNetwork,
  fleetWithConfig,
  mainSubjects,
  seedCommits,
  snapshot,
} from '../helpers/land-helpers.js';

async function hook(dir: string, name: string, body: string) {
  const file = path.join(dir, 'hooks', name);
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, `#!/bin/sh\n${body}\n`);
  await chmod(file, 0o755);
}

describe('land: the remote', () => {
  let fx: FleetFixture | undefined;
  afterEach(async () => {
    await fx?.cleanup();
    fx = undefined;
  });

  it('someone pushes between fetch and push: fetched again, rebuilt, landed', async () => {
    const f = await fleetWithConfig({ instances: 2 });
    fx = f.fx;
    await seedCommits(fx, () => 1);
    let raced = false;
    const {
      value: r,
      fetches,
      pushes,
    } = await countNetwork(() =>
      land(f.config, {
        all: true,
        gate: async () => {
          if (!raced)
            await fx!.pushFromOutside({ 'outside.txt': 'o\n' }, 'outside: pushed meanwhile');
          raced = true;
          return [];
        },
      }),
    );
    expect(r.ok).toBe(true);
    expect([fetches, pushes, r.fetches, r.pushes]).toEqual([2, 2, 2, 2]);
    expect(await mainSubjects(fx)).toEqual([
      'initial commit',
      'outside: pushed meanwhile',
      'ps1: change 0',
      'ps2: change 0',
    ]);
  });

  it("main's tracking ref packed, and packed again by the fetch's own gc: land builds on the fetched main", async () => {
    // Land reads main from the ref files on both sides of the fetch (land.ts readMain). Here
    // the ref is only in packed-refs before, and the fetch's `gc --auto` (made to run, in the
    // foreground) packs the fetched value and deletes the loose ref: an earlier read of
    // packed-refs kept and used again would build on the old main.
    const f = await fleetWithConfig({ instances: 2 });
    fx = f.fx;
    await seedCommits(fx, () => 1);
    const old = await fx.git(fx.repo, 'rev-parse', 'refs/remotes/origin/main');
    await fx.git(fx.repo, 'repack', '-qd');
    await fx.git(fx.repo, 'pack-refs', '--all');
    for (const [k, v] of Object.entries({
      'gc.autoPackLimit': '1',
      'gc.autoDetach': 'false',
      'fetch.unpackLimit': '1',
    }))
      await fx.git(fx.repo, 'config', k, v);
    const outside = await fx.pushFromOutside({ 'outside.txt': 'o\n' }, 'outside: pushed before');
    const { value: r, fetches } = await countNetwork(() => land(f.config, { all: true }));
    expect(r.ok).toBe(true);
    // The fetch's gc did pack the fetched main (the push wrote a loose ref again since).
    const packed = await readFile(path.join(fx.repo, '.git', 'packed-refs'), 'utf8');
    expect(packed).toContain(`${outside} refs/remotes/origin/main`);
    expect(r.main.before).toBe(old);
    expect([fetches, r.fetches, r.pushes]).toEqual([1, 1, 1]);
    expect(await fx.git(fx.repo, 'rev-parse', `${r.main.after}~2`)).toBe(outside);
    expect(await mainSubjects(fx)).toEqual([
      'initial commit',
      'outside: pushed before',
      'ps1: change 0',
      'ps2: change 0',
    ]);
  });

  it('a pre-receive hook refuses one instance: the others land, that one is refused with the message', async () => {
    const f = await fleetWithConfig({ instances: 3 });
    fx = f.fx;
    await seedCommits(fx, () => 1);
    await fx.commit(fx.instances[1]!.worktree, { 'bad.txt': 'x\n' }, 'ps2: FORBIDDEN change');
    await hook(
      fx.origin,
      'pre-receive',
      `while read old new ref; do
  if git log --format=%s "$old..$new" | grep -q FORBIDDEN; then echo "policy: no FORBIDDEN commits"; exit 1; fi
done`,
    );
    const r = await land(f.config, { all: true });
    expect(r.instances.map((i) => i.outcome)).toEqual(['landed', 'refused', 'landed']);
    expect(r.instances[1]!.reason).toMatch(/policy: no FORBIDDEN commits/);
    expect(r.instances[1]!.sync).toBe('unchanged');
    expect(r.ok).toBe(false);
    expect(await mainSubjects(fx)).toEqual(['initial commit', 'ps1: change 0', 'ps3: change 0']);
  });

  it('a local pre-push hook is run (never skipped) and its refusal is reported', async () => {
    const f = await fleetWithConfig({ instances: 1 });
    fx = f.fx;
    await seedCommits(fx, () => 1);
    await hook(path.join(fx.repo, '.git'), 'pre-push', 'echo "pre-push says no" >&2; exit 1');
    const r = await land(f.config, { all: true });
    expect(r.instances[0]).toMatchObject({ outcome: 'refused', sync: 'unchanged' });
    expect(r.instances[0]!.reason).toMatch(/pre-push says no/);
    expect(await mainSubjects(fx)).toEqual(['initial commit']);
  });

  // The lander checks a chain out while its content is checked: what a pre-push hook sees must
  // still be exactly the commit pushed, after a gate drops an instance and without a gate.
  it.each([
    ['a gate that drops ps2', true],
    ['no gate', false],
  ])('a pre-push hook sees the pushed commit checked out, clean (%s)', async (_, gated) => {
    const f = await fleetWithConfig({ instances: 3 });
    fx = f.fx;
    await seedCommits(fx, () => 2);
    await hook(
      path.join(fx.repo, '.git'),
      'pre-push',
      `read local sha remote rsha
test "$(git rev-parse HEAD)" = "$sha" || { echo "lander at $(git rev-parse HEAD), pushing $sha" >&2; exit 1; }
test -z "$(git status --porcelain)" || { echo "lander not clean" >&2; exit 1; }
test -f ps3/file1.txt || { echo "ps3/file1.txt missing" >&2; exit 1; }`,
    );
    const r = await land(f.config, {
      all: true,
      ...(gated
        ? {
            gate: ({ steps }) =>
              Promise.resolve(
                steps
                  .filter((s) => s.instanceId === 'ps2')
                  .map((s) => ({ instanceId: s.instanceId, problems: ['not today'] })),
              ),
          }
        : {}),
    });
    expect(
      r.instances.map((i) => [i.outcome, i.reason]),
      JSON.stringify(r.instances),
    ).toEqual([
      ['landed', ''],
      gated ? ['blocked', 'migration gate: not today'] : ['landed', ''],
      ['landed', ''],
    ]);
  });

  it('origin unreachable: every instance error, nothing changed', async () => {
    const f = await fleetWithConfig({ instances: 2 });
    fx = f.fx;
    await seedCommits(fx, () => 1);
    await fx.git(fx.repo, 'remote', 'set-url', 'origin', path.join(fx.dir, 'nowhere.git'));
    const before = await snapshot(fx);
    const r = await land(f.config, { all: true });
    expect(r.instances.map((i) => i.outcome)).toEqual(['error', 'error']);
    expect(r.instances[0]!.reason).toMatch(/fetch from origin failed/);
    expect(r.ok).toBe(false);
    const after = await snapshot(fx);
    expect(after.refs).toBe(before.refs);
    expect([...after.files]).toEqual([...before.files]);
  });

  it('the land lock: a live holder gives a clear error; a dead holder is taken over and said so', async () => {
    const f = await fleetWithConfig({ instances: 1 });
    fx = f.fx;
    await seedCommits(fx, () => 1);
    const commonDir = path.join(fx.repo, '.git');
    const file = lockPath(commonDir, 'land');
    await mkdir(path.dirname(file), { recursive: true });
    const sleeper = spawn('sleep', ['30']);
    try {
      await writeFile(
        file,
        JSON.stringify({ pid: sleeper.pid, time: '2026-01-01T00:00:00Z', purpose: 'land' }),
      );
      await expect(land(f.config, { all: true })).rejects.toThrow(
        new RegExp(`held by pid ${sleeper.pid}.*wait for it`),
      );
    } finally {
      sleeper.kill();
    }
    await new Promise((r) => sleeper.once('exit', r));
    const notices: string[] = [];
    const r = await land(f.config, { all: true, onNotice: (t) => notices.push(t) });
    expect(r.ok).toBe(true);
    expect(notices.join('\n')).toMatch(new RegExp(`stale land lock of pid ${sleeper.pid}`));
  });
});
