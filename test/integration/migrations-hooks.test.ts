import { readFile, stat, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installHook, uninstallHook } from '../../src/core/migrations/pre-push-hook.js';
import { makeFleet, run, type FleetFixture } from '../helpers/git-fixture.js';

const M = 'supabase/migrations';
const FOREIGN =
  '#!/bin/sh\necho "foreign hook $1" >> "$(git rev-parse --git-common-dir)/foreign.log"\ncat >> "$(git rev-parse --git-common-dir)/foreign.log"\nexit 0\n';

describe('hooks install / uninstall (pre-push)', () => {
  let fx: FleetFixture;
  beforeAll(async () => {
    fx = await makeFleet({ instances: 2, files: { [`${M}/20261120010000_init.sql`]: 'a' } });
  });
  afterAll(() => fx.cleanup());

  const hooks = () => path.join(fx.repo, '.git', 'hooks');

  it('blocks a real push whose commits bring a migration error and runs the existing hook first', async () => {
    const hooks = path.join(fx.repo, '.git', 'hooks');
    await writeFile(path.join(hooks, 'pre-push'), FOREIGN, { mode: 0o755 });
    const inst = await fx.cli(['hooks', 'install']);
    expect(inst.exitCode).toBe(0);
    expect(inst.stdout).toContain('pre-push.fleet-tui-chained');
    expect((await installHook(fx.repo)).changed).toBe(false);

    const ps1 = fx.instances[0]!;
    await fx.commit(ps1.worktree, { [`${M}/20261120010000_mine.sql`]: 'b' }, 'collides with main');
    const blocked = await run(ps1.worktree, [
      'push',
      '-q',
      'origin',
      `HEAD:refs/heads/${ps1.branch}`,
    ]).catch((e: Error) => e);
    expect(blocked).toBeInstanceOf(Error);
    expect(String(blocked)).toMatch(/duplicate-version 20261120010000/);
    expect(String(blocked)).toMatch(/push blocked by the migration check/);
    const log = await readFile(path.join(fx.repo, '.git', 'foreign.log'), 'utf8');
    expect(log).toMatch(/^foreign hook origin\nHEAD [0-9a-f]{40} refs\/heads\/claude\/ps1-wip /);
  });

  it('lets the fixed commits through (uncommitted files elsewhere do not count); uninstall restores the old hook', async () => {
    const ps1 = fx.instances[0]!;
    await fx.git(
      ps1.worktree,
      'mv',
      `${M}/20261120010000_mine.sql`,
      `${M}/20261120010500_mine.sql`,
    );
    await fx.git(ps1.worktree, 'commit', '-qm', 'move into the band');
    // Only the pushed commits count: another worktree's uncommitted collision does not block.
    await fx.write(fx.instances[1]!.worktree, { [`${M}/20261120010000_theirs.sql`]: 'c' });
    await run(ps1.worktree, ['push', '-q', 'origin', `HEAD:refs/heads/${ps1.branch}`]);

    const un = await fx.cli(['hooks', 'uninstall']);
    expect(un.exitCode).toBe(0);
    expect(await readFile(path.join(hooks(), 'pre-push'), 'utf8')).toBe(FOREIGN);
    expect((await stat(path.join(hooks(), 'pre-push'))).mode & 0o777).toBe(0o755);
    expect((await uninstallHook(fx.repo)).changed).toBe(false);
  });

  it('respects core.hooksPath; without a previous hook uninstall removes it', async () => {
    await fx.git(fx.repo, 'config', 'core.hooksPath', '.githooks');
    const res = await fx.cli(['hooks', 'install', '--json'], { cwd: fx.instances[1]!.worktree });
    expect(JSON.parse(res.stdout)).toEqual({
      file: path.join(fx.instances[1]!.worktree, '.githooks', 'pre-push'),
      chained: null,
      changed: true,
    });
    const un = await fx.cli(['hooks', 'uninstall'], { cwd: fx.instances[1]!.worktree });
    expect(un.stdout).toMatch(/^removed .*\.githooks\/pre-push$/m);
    expect(existsSync(path.join(fx.instances[1]!.worktree, '.githooks', 'pre-push'))).toBe(false);
    await fx.git(fx.repo, 'config', '--unset', 'core.hooksPath');
  });
});
